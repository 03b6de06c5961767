package analytics

import (
	"math"
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/internal/keptpages"
)

// Report is the monthly report of the county or of one department: the
// figures, their breakdowns, the top hotspots and the worst overdue cases.
// The JSON feeds report.html; the same value is written as a workbook.
type Report struct {
	Period         string          `json:"period"`
	Department     string          `json:"department"`      // id; "" for the county
	DepartmentName string          `json:"department_name"` // "" for the county
	Title          string          `json:"title"`
	GeneratedAt    string          `json:"generated_at"` // China time, 2006-01-02 15:04
	AsOf           string          `json:"as_of"`        // China time the figures describe (the roll-up's refresh), 2006-01-02 15:04
	OpenAsOf       string          `json:"open_as_of"`   // China time 在办/超期 describe (the roll-up job's last run), 2006-01-02 15:04
	Total          *Row            `json:"total"`
	ByDepartment   []*Row          `json:"by_department"` // the county's report only
	ByCategory     []*Row          `json:"by_category"`
	ByTownship     []*Row          `json:"by_township"`
	Hotspots       []ReportHotspot `json:"hotspots"`
	Overdue        []OverdueCase   `json:"overdue"`
}

// ReportHotspot is one hotspot in a report; Cases counts the report's
// department's cases in it (all of them in the county's report).
type ReportHotspot struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Count     int     `json:"count"`
	Cases     int     `json:"cases"`
	Residents int     `json:"residents"`
	Recent    int     `json:"recent"`
	Heat      float64 `json:"heat"`
	FirstAt   string  `json:"first_at"` // China-time day
	LastAt    string  `json:"last_at"`
}

// OverdueCase is a case past its deadline: still in hand and overdue now,
// or answered in the period after its 办结 deadline.
type OverdueCase struct {
	ID         string  `db:"id" json:"id"`
	Ticket     string  `db:"ticket" json:"ticket"`
	Title      string  `db:"title" json:"title"`
	Status     string  `db:"status" json:"status"`
	Department string  `db:"department" json:"department"`
	Due        string  `db:"due" json:"due"`         // the missed deadline (China time)
	Replied    string  `db:"replied" json:"replied"` // the late answer, "" while in hand (China time)
	DaysLate   float64 `db:"days_late" json:"days_late"`
	Stage      string  `db:"stage" json:"stage"` // 签收 / 办结 / 回访 / 受理
}

// reportLimit is how many hotspots and overdue cases a report lists.
const reportLimit = 10

// BuildReport assembles the monthly report of pr for department (or the
// county when department is ""), or gives the one kept since the last
// roll-up job run (report_cache.go). The report is shared: not to be
// modified.
func (p *Plugin) BuildReport(pr Period, department string, now time.Time) (*Report, error) {
	page, err := p.reportPage(pr, department, now)
	if err != nil {
		return nil, err
	}
	return page.Value.(*Report), nil
}

// reportPage is BuildReport's kept page: Value the report, Body its JSON.
func (p *Plugin) reportPage(pr Period, department string, now time.Time) (*keptpages.Page, error) {
	k := reportKey{pr.Label, pr.From.UnixNano(), pr.To.UnixNano(), department}
	return p.answers.report(k, func() (*Report, bool, error) { return p.buildReport(pr, department, now) })
}

// buildReport assembles the report; keep says whether every figure came
// from the roll-up and its 在办 snapshot (else it is not kept).
func (p *Plugin) buildReport(pr Period, department string, now time.Time) (*Report, bool, error) {
	app := p.app
	keep := p.open.Load() != nil
	scope := Scope{Department: department}
	r := &Report{Period: pr.Label, Department: department, GeneratedAt: now.In(hooks.ChinaTime()).Format("2006-01-02 15:04")}
	r.Title = "泗阳网络直通车 " + pr.Label + " 月度报告（全县）"
	if department != "" {
		d, err := app.FindRecordById("departments", department)
		if err != nil {
			return nil, false, err
		}
		r.DepartmentName = d.GetString("name")
		r.Title = "泗阳网络直通车 " + pr.Label + " 月度报告（" + r.DepartmentName + "）"
	}
	total, err := p.Answer(pr, ByTotal, scope, now)
	if err != nil {
		return nil, false, err
	}
	r.Total = total.Total
	asOf, openAsOf := total.AsOf, total.OpenAsOf
	keep = keep && total.Rollup
	older := func(f *Figures) {
		asOf, openAsOf = min(asOf, f.AsOf), min(openAsOf, f.OpenAsOf)
		keep = keep && f.Rollup
	}
	if department == "" {
		f, err := p.Answer(pr, ByDepartment, scope, now)
		if err != nil {
			return nil, false, err
		}
		r.ByDepartment = f.Rows
		older(f)
	}
	if f, err := p.Answer(pr, ByCategory, scope, now); err != nil {
		return nil, false, err
	} else {
		r.ByCategory = f.Rows
		older(f)
	}
	if f, err := p.Answer(pr, ByTownship, scope, now); err != nil {
		return nil, false, err
	} else {
		r.ByTownship = f.Rows
		older(f)
	}
	r.AsOf, r.OpenAsOf = chinaText(asOf, hooks.ChinaTime()), chinaText(openAsOf, hooks.ChinaTime())
	if r.Hotspots, err = reportHotspots(app, department); err != nil {
		return nil, false, err
	}
	if r.Overdue, err = worstOverdue(app, pr, department, now); err != nil {
		return nil, false, err
	}
	return r, keep, nil
}

// reportHotspots are the hottest active hotspots; for a department, those
// with at least one of its cases (it is asked to act before more come).
func reportHotspots(app core.App, department string) ([]ReportHotspot, error) {
	hs, err := app.FindRecordsByFilter("hotspots", "status = 'active'", "-heat", 200, 0)
	if err != nil {
		return nil, err
	}
	out := []ReportHotspot{}
	cn := hooks.ChinaTime()
	for _, h := range hs {
		var ids []string
		if err := h.UnmarshalJSONField("appeals", &ids); err != nil {
			return nil, err
		}
		cases := len(ids)
		if department != "" {
			if cases, err = countOfDepartment(app, ids, department); err != nil {
				return nil, err
			}
			if cases == 0 {
				continue
			}
		}
		out = append(out, ReportHotspot{
			ID: h.Id, Title: h.GetString("title"), Count: h.GetInt("count"), Cases: cases,
			Residents: h.GetInt("residents"), Recent: h.GetInt("recent"), Heat: math.Round(h.GetFloat("heat")*10) / 10,
			FirstAt: h.GetDateTime("first_at").Time().In(cn).Format("2006-01-02"),
			LastAt:  h.GetDateTime("last_at").Time().In(cn).Format("2006-01-02"),
		})
		if len(out) == reportLimit {
			break
		}
	}
	return out, nil
}

func countOfDepartment(app core.App, ids []string, department string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	in := make([]any, len(ids))
	for i, id := range ids {
		in[i] = id
	}
	var n int
	err := app.DB().Select("COUNT(*)").From("appeals").
		Where(dbx.In("id", in...)).AndWhere(dbx.HashExp{"lead_department": department}).Row(&n)
	return n, err
}

// worstOverdueSQL: the cases in hand now whose running stage is overdue
// (late by now − that stage's deadline), and the cases answered in the
// period after their 办结 deadline (late by the answer − the deadline);
// most late first. Days are calendar days. Each part picks its 50 worst
// from an index alone (rowid, not id: the indexes hold the rowid), and only
// those are read whole — at 1M appeals tens of thousands are overdue.
// (sla_state != 'normal' is said again for SQLite: it is the partial
// index's condition, which it does not infer from = 'overdue'.)
const worstOverdueSQL = `
SELECT a.id, a.ticket, a.title, a.status, COALESCE(d.name, '') AS department, w.due, w.replied, w.stage, w.days_late
FROM (
  SELECT * FROM (
    SELECT rowid AS rid, sla_due_at AS due, '' AS replied, sla_stage AS stage,
      julianday({:now}) - julianday(sla_due_at) AS days_late
    FROM appeals INDEXED BY idx_appeals_sla_board
    WHERE sla_state != 'normal' AND sla_state = 'overdue' AND sla_due_at != ''
      AND status IN ('submitted', 'accepted', 'dispatched', 'handling', 'replied', 'callback')
      AND ({:department} = '' OR lead_department = {:department})
    ORDER BY sla_due_at LIMIT 50)
  UNION ALL
  SELECT * FROM (
    SELECT rowid AS rid, due_finish AS due, replied_at AS replied, 'finish' AS stage,
      julianday(replied_at) - julianday(due_finish) AS days_late
    FROM appeals INDEXED BY idx_appeals_an_replied
    WHERE replied_at >= {:from} AND replied_at < {:to} AND due_finish != '' AND replied_at > due_finish
      AND lead_department != '' AND ({:department} = '' OR lead_department = {:department})
    ORDER BY days_late DESC LIMIT 50)
) w
JOIN appeals a ON a.rowid = w.rid
LEFT JOIN departments d ON d.id = a.lead_department
ORDER BY w.days_late DESC
LIMIT 50`

var stageLabels = map[string]string{"accept": "受理", "sign": "签收", "finish": "办结", "callback": "回访"}

func worstOverdue(app core.App, pr Period, department string, now time.Time) ([]OverdueCase, error) {
	var rows []OverdueCase
	err := app.DB().NewQuery(worstOverdueSQL).Bind(dbx.Params{
		"now": sqlTime(now), "from": sqlTime(pr.From), "to": sqlTime(pr.To), "department": department,
	}).All(&rows)
	if err != nil {
		return nil, err
	}
	// A case can be both answered late in the period and overdue again
	// now (重办): it is listed once, at its worst.
	seen := map[string]bool{}
	out := []OverdueCase{}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].DaysLate > rows[j].DaysLate })
	cn := hooks.ChinaTime()
	for _, c := range rows {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		c.DaysLate = math.Round(c.DaysLate*10) / 10
		c.Stage = stageLabels[c.Stage]
		c.Due = chinaText(c.Due, cn)
		c.Replied = chinaText(c.Replied, cn)
		out = append(out, c)
		if len(out) == reportLimit {
			break
		}
	}
	return out, nil
}

// chinaText turns a stored UTC datetime into China time for reading.
func chinaText(s string, cn *time.Location) string {
	if s == "" {
		return ""
	}
	t, err := time.Parse("2006-01-02 15:04:05.000Z", s)
	if err != nil {
		return s
	}
	return t.In(cn).Format("2006-01-02 15:04")
}
