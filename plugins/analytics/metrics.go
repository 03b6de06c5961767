package analytics

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Scope narrows the figures: each non-empty field is a filter. A
// department handler's scope is always their own department.
type Scope struct {
	Department string `json:"department,omitempty"`
	Category   string `json:"category,omitempty"`
	Township   string `json:"township,omitempty"`
	Channel    string `json:"channel,omitempty"`
}

// Rate is a percentage with what it was computed from.
type Rate struct {
	Rate  *float64 `json:"rate"`  // percent, one decimal; nil when Base is 0
	Count int      `json:"count"` // the cases that meet the aim
	Base  int      `json:"base"`  // the cases it is judged over
}

func newRate(count, base int) Rate { return Rate{Rate: percent(count, base), Count: count, Base: base} }

// percent is a ratio as a percentage with one decimal, or nil when there is
// nothing to divide by (no rate rather than a made-up 0 or 100).
func percent(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	v := math.Round(float64(num)*1000/float64(den)) / 10
	return &v
}

// Row is the figures of one value of the breakdown (or the total).
type Row struct {
	Key   string `json:"key"`   // department/category/region id, channel code, 2026-11, 2026-11-25; "" for none
	Label string `json:"label"` // Chinese name

	Received int `json:"received"` // 来件量: appeals received in the period
	Closed   int `json:"closed"`   // 办结量: closed in the period
	Open     int `json:"open"`     // 在办: in a department's hands now
	Overdue  int `json:"overdue"`  // 超期: of those, past their deadline now

	Response     Rate `json:"response"`     // 响应率
	Resolution   Rate `json:"resolution"`   // 解决率
	Satisfaction Rate `json:"satisfaction"` // 满意率
	OnTime       Rate `json:"on_time"`      // 按时办结率
	FirstTime    Rate `json:"first_time"`   // 一次办结率
	Repeat       Rate `json:"repeat"`       // 重复诉求率

	HandlingDays *float64 `json:"handling_days"` // 平均办理时长 (working days, one decimal); nil without cases
	Handled      int      `json:"handled"`       // cases the average is over

	handlingSum float64
	counts      map[string]counts
}

// counts is one metric query's answer for one key.
type counts struct {
	K     string  `db:"k"`
	Base  int     `db:"base"`
	H1    int     `db:"h1"`
	H2    int     `db:"h2"`
	Total float64 `db:"total"`
}

// Figures is the answer of the metrics endpoint and the reports.
type Figures struct {
	Period string    `json:"period"`
	From   string    `json:"from"` // first instant (UTC datetime)
	To     string    `json:"to"`   // first instant after
	By     Dimension `json:"by"`
	Scope  Scope     `json:"scope"`
	Rows   []*Row    `json:"rows"`
	Total  *Row      `json:"total"`
	// AsOf is the moment the figures describe (UTC datetime): now for a
	// live answer, the oldest refresh of the roll-up months it read.
	AsOf string `json:"as_of"`
	// OpenAsOf is the moment 在办/超期 describe (UTC datetime): now for a
	// live answer, the roll-up job's last run for one from the roll-up.
	OpenAsOf string `json:"open_as_of"`
	// Rollup tells whether the answer came from the roll-up cells.
	Rollup bool `json:"rollup"`
}

// Compute runs every metric live over the period, broken down by d, within
// the scope. now bounds the 签收 deadlines that count (one still ahead is
// not yet missed). Answer serves the same figures from the roll-up when it
// can; Compute is the definition the roll-up is tested against.
func Compute(app core.App, pr Period, d Dimension, scope Scope, now time.Time) (*Figures, error) {
	rows := map[string]*Row{}
	for _, m := range metrics {
		if err := runLive(app, m, pr, d, scope, now, rows); err != nil {
			return nil, err
		}
	}
	f, err := assemble(app, pr, d, scope, rows)
	if err != nil {
		return nil, err
	}
	f.AsOf = sqlTime(now)
	f.OpenAsOf = f.AsOf
	return f, nil
}

// runLive runs one metric's SQL and adds its answer to rows.
func runLive(app core.App, m metric, pr Period, d Dimension, scope Scope, now time.Time, rows map[string]*Row) error {
	until := pr.To
	if now.Before(until) {
		until = now
	}
	params := dbx.Params{
		"from": sqlTime(pr.From), "to": sqlTime(pr.To), "until": sqlTime(until),
		"department": scope.Department, "category": scope.Category,
		"township": scope.Township, "channel": scope.Channel,
	}
	if m.snapshot && (d == ByTownship || scope.Township != "") {
		return snapshotByRegion(app, m, d, scope, params, rows)
	}
	var got []counts
	if err := app.DB().NewQuery(buildQuery(m, d, scope)).Bind(params).All(&got); err != nil {
		return err
	}
	for _, c := range got {
		addCounts(rows, m.name, c)
	}
	return nil
}

// addCounts adds one metric's counts for one key.
func addCounts(rows map[string]*Row, metric string, c counts) {
	r := rows[c.K]
	if r == nil {
		r = &Row{Key: c.K, counts: map[string]counts{}}
		rows[c.K] = r
	}
	t := r.counts[metric]
	t.Base, t.H1, t.H2, t.Total = t.Base+c.Base, t.H1+c.H1, t.H2+c.H2, t.Total+c.Total
	r.counts[metric] = t
}

// assemble turns the rows' counts into the answer: rates, the total, the
// labels and the order.
func assemble(app core.App, pr Period, d Dimension, scope Scope, rows map[string]*Row) (*Figures, error) {
	f := &Figures{Period: pr.Label, From: sqlTime(pr.From), To: sqlTime(pr.To), By: d, Scope: scope, Total: &Row{Key: "", Label: "合计", counts: map[string]counts{}}}
	for _, r := range rows {
		for name, c := range r.counts {
			t := f.Total.counts[name]
			t.Base, t.H1, t.H2, t.Total = t.Base+c.Base, t.H1+c.H1, t.H2+c.H2, t.Total+c.Total
			f.Total.counts[name] = t
		}
		r.finish()
		f.Rows = append(f.Rows, r)
	}
	f.Total.finish()
	if err := label(app, d, f.Rows); err != nil {
		return nil, err
	}
	sort.SliceStable(f.Rows, func(i, j int) bool {
		if d == ByMonth || d == ByDay {
			return f.Rows[i].Key < f.Rows[j].Key
		}
		if f.Rows[i].Received != f.Rows[j].Received {
			return f.Rows[i].Received > f.Rows[j].Received
		}
		return f.Rows[i].Label < f.Rows[j].Label
	})
	if f.Rows == nil {
		f.Rows = []*Row{}
	}
	return f, nil
}

// finish turns the raw counts into the rates.
func (r *Row) finish() {
	c := r.counts
	r.Received = c["received"].Base
	r.Repeat = newRate(c["received"].H1, c["received"].Base)
	r.Response = newRate(c["response"].H1, c["response"].Base)
	r.OnTime = newRate(c["on_time"].H1, c["on_time"].Base)
	r.Closed = c["closed"].Base
	r.FirstTime = newRate(c["closed"].H2, c["closed"].H1)
	r.Satisfaction = newRate(c["rated"].H1, c["rated"].Base)
	r.Resolution = newRate(c["rated"].H2, c["rated"].Base)
	r.Open = c["open"].Base
	r.Overdue = c["open"].H1
	r.Handled = c["handling"].Base
	r.handlingSum = c["handling"].Total
	if r.Handled > 0 {
		v := math.Round(r.handlingSum*10/float64(r.Handled)) / 10
		r.HandlingDays = &v
	}
}

// buildQuery writes one metric's SQL for a breakdown and scope. Only
// constant fragments go into the text; every value is a bound parameter.
func buildQuery(m metric, d Dimension, scope Scope) string {
	join := ""
	if m.join != "" && needsAppeal(d, scope) {
		join = m.join
	}
	return metricSQL(m, keyExpr(d, m)+" AS k", join, d == ByTownship || scope.Township != "", scope, "k")
}

// metricSQL is a metric's query selecting keys, grouped by groupBy; the
// live figures and the roll-up cells are both written by it, so they count
// the same rows the same way.
func metricSQL(m metric, keys, join string, township bool, scope Scope, groupBy string) string {
	var b strings.Builder
	if m.with != "" {
		b.WriteString(m.with + "\n")
	}
	b.WriteString("SELECT " + keys + ", COUNT(*) AS base,\n")
	b.WriteString("  COALESCE(SUM(CASE WHEN " + m.hit1 + " THEN 1 ELSE 0 END), 0) AS h1,\n")
	b.WriteString("  COALESCE(SUM(CASE WHEN " + m.hit2 + " THEN 1 ELSE 0 END), 0) AS h2,\n")
	b.WriteString("  COALESCE(SUM(" + m.sum + "), 0) AS total\n")
	b.WriteString("FROM " + m.from)
	if join != "" {
		b.WriteString("\n  " + join)
	}
	if township {
		b.WriteString(townshipJoin)
	}
	b.WriteString("\nWHERE (" + m.where + ")")
	if !m.snapshot {
		b.WriteString(" AND " + m.anchor + " >= {:from} AND " + m.anchor + " < {:to}")
	}
	if scope.Department != "" {
		b.WriteString(" AND " + m.dept + " = {:department}")
	}
	if scope.Category != "" {
		b.WriteString(" AND a.category = {:category}")
	}
	if scope.Township != "" {
		b.WriteString(" AND " + townshipExpr + " = {:township}")
	}
	if scope.Channel != "" {
		b.WriteString(" AND a.channel = {:channel}")
	}
	b.WriteString("\nGROUP BY " + groupBy)
	return b.String()
}

// needsAppeal: the breakdown or a filter reads the appeal's own columns.
func needsAppeal(d Dimension, s Scope) bool {
	return d == ByCategory || d == ByTownship || d == ByChannel || s.Category != "" || s.Township != "" || s.Channel != ""
}
