package sla

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/keptpages"
	"siyang/plugins/workflow"
)

func (p *plugin) bindRoutes(e *core.ServeEvent) {
	e.Router.GET("/api/sla/appeals/{id}", p.handleAppeal)
	e.Router.GET("/api/sla/board", p.handleBoard).Bind(workflow.RequireStaff())
}

// StageLabels, StateLabels: the Chinese names shown on every list.
var (
	StageLabels = map[string]string{"accept": "受理", "sign": "签收", "finish": "办结", "callback": "回访"}
	StateLabels = map[string]string{"normal": "正常", "warning": "预警", "overdue": "超时"}
)

// Status is a case's clock as people read it.
type Status struct {
	Stage       string          `json:"stage"`
	StageLabel  string          `json:"stage_label"`
	Due         *types.DateTime `json:"due"` // nil when no clock runs
	State       string          `json:"state"`
	StateLabel  string          `json:"state_label"`
	Overdue     bool            `json:"overdue"`
	LeftSeconds int64           `json:"left_seconds"` // working (or wall) seconds; negative: overdue by
	LeftText    string          `json:"left_text"`
	Unit        string          `json:"unit"`
}

// StatusOf computes the clock of r at now (working time for working units).
func (p *plugin) StatusOf(app core.App, r *core.Record, now time.Time) (*Status, error) {
	stage := r.GetString("sla_stage")
	state := r.GetString("sla_state")
	if state == "" {
		state = "normal"
	}
	st := &Status{Stage: stage, StageLabel: StageLabels[stage], State: state, StateLabel: StateLabels[state]}
	due := r.GetDateTime("sla_due_at")
	if stage == "" || due.IsZero() {
		return st, nil
	}
	policy, err := workflow.PolicyFor(app, r)
	if err != nil {
		return nil, err
	}
	unit := policy.GetString(stage + "_unit")
	if unit != workflow.WallHours {
		unit = workflow.WorkingHours
	}
	left, err := p.clock.Left(app, now, due.Time(), unit)
	if err != nil {
		return nil, err
	}
	st.Due, st.Unit, st.LeftSeconds = &due, unit, int64(left/time.Second)
	// past the deadline in wall time is overdue even when no working time
	// has passed since (a 17:30 deadline looked at the next morning)
	st.Overdue = now.After(due.Time())
	dayLen := 24 * time.Hour
	if unit == workflow.WorkingHours {
		cal, _, err := p.clock.Calendar(app)
		if err != nil {
			return nil, err
		}
		dayLen = cal.DayLength()
	}
	st.LeftText = describe(left, dayLen, unit == workflow.WorkingHours, st.Overdue)
	return st, nil
}

// describe: "剩余 2 个工作日 3 小时" / "已超时 5 小时 20 分".
func describe(d, dayLen time.Duration, working, overdue bool) string {
	prefix := "剩余 "
	if overdue {
		prefix, d = "已超时 ", max(-d, 0)
	}
	days := int64(d / dayLen)
	rest := d - time.Duration(days)*dayLen
	hours := int64(rest / time.Hour)
	minutes := int64(math.Round(float64(rest%time.Hour) / float64(time.Minute)))
	dayWord := " 天 "
	if working {
		dayWord = " 个工作日 "
	}
	switch {
	case days > 0:
		return fmt.Sprintf("%s%d%s%d 小时", prefix, days, dayWord, hours)
	case hours > 0:
		return fmt.Sprintf("%s%d 小时 %d 分", prefix, hours, minutes)
	}
	return fmt.Sprintf("%s%d 分", prefix, minutes)
}

// handleAppeal runs GET /api/sla/appeals/{id} ({id}: record id or ticket):
// the clock of one case, for whoever may view the case, including the
// resident with the query code (header X-Query-Code).
func (p *plugin) handleAppeal(e *core.RequestEvent) error {
	r, err := workflow.FindAppeal(e.App, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	actor := workflow.ActorFromAuth(e.Auth)
	actor.QueryCode = e.Request.Header.Get("X-Query-Code")
	if len(actor.RolesFor(r)) == 0 {
		return &router.ApiError{Status: http.StatusNotFound, Message: "工单不存在或您无权查看", Data: map[string]any{}}
	}
	st, err := p.StatusOf(e.App, r, p.now())
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, st)
}

// handleBoard runs GET /api/sla/board: open cases at risk (预警) or
// overdue (超时), grouped by department, for supervisors and operators; a
// handler sees their own department only. The counts come from one
// GROUP BY over the partial index idx_appeals_sla_board; each department's
// listed cases are picked from that index alone (rowids, LIMIT boardItems
// in its deadline order) and only they are read, and only the columns the
// board shows and the clock needs (at 1M appeals tens of thousands are
// overdue: reading each one's row, or each listed case's whole record,
// was most of the board's cost).
//
// The answer is kept per scope (board_cache.go): as_of says when it was
// computed, at most Config.BoardMaxAge ago and after the last change of a
// listed case, a policy or the calendar.
func (p *plugin) handleBoard(e *core.RequestEvent) error {
	auth := e.Auth
	scope := ""
	if auth.Collection().Name == "staff" && auth.GetString("role") == "handler" {
		scope = "department:" + auth.GetString("department")
	}
	page, err := p.board.Get(scope, func(now time.Time) (keptpages.Answer, bool, error) {
		body, err := p.boardAnswer(e.App, auth, now)
		return keptpages.Answer{Body: body, ContentType: "application/json"}, true, err
	})
	if err != nil {
		return err
	}
	return keptpages.SendJSON(e, page.Body)
}

// Board is GET /api/sla/board's answer.
type Board struct {
	AsOf        string        `json:"as_of"` // when it was computed (UTC datetime)
	Departments []*BoardGroup `json:"departments"`
}

// BoardGroup is one lead department's cases on the board.
type BoardGroup struct {
	Department string      `json:"department"`
	Name       string      `json:"name"`
	Warning    int         `json:"warning"`
	Overdue    int         `json:"overdue"`
	Items      []BoardItem `json:"items"`
}

// BoardItem is one listed case.
type BoardItem struct {
	ID         string  `json:"id"`
	Ticket     string  `json:"ticket"`
	Title      string  `json:"title"`
	Department string  `json:"department"`
	Status     string  `json:"status"`
	SLA        *Status `json:"sla"`
}

// boardAnswer computes the board auth may see as of now, encoded.
func (p *plugin) boardAnswer(app core.App, auth *core.Record, now time.Time) ([]byte, error) {
	where := "sla_state != 'normal' AND sla_stage != ''"
	params := dbx.Params{}
	if auth.Collection().Name == "staff" && auth.GetString("role") == "handler" {
		where += " AND lead_department = {:department}"
		params["department"] = auth.GetString("department")
	}
	var counts []struct {
		Department string `db:"department"`
		Overdue    int    `db:"overdue"`
		Warning    int    `db:"warning"`
	}
	if err := app.DB().NewQuery(`SELECT lead_department AS department,
		SUM(sla_state = 'overdue') AS overdue, SUM(sla_state != 'overdue') AS warning
		FROM appeals INDEXED BY idx_appeals_sla_board WHERE ` + where + `
		GROUP BY lead_department ORDER BY MIN(sla_due_at)`).Bind(params).All(&counts); err != nil {
		return nil, err
	}
	departments := make([]string, len(counts))
	for i, c := range counts {
		departments[i] = c.Department
	}
	records, err := boardCases(app, where, departments)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	var depts []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "name").From("departments").All(&depts); err != nil {
		return nil, err
	}
	for _, d := range depts {
		names[d.ID] = d.Name
	}
	groups := map[string]*BoardGroup{}
	out := make([]*BoardGroup, 0, len(counts))
	for _, c := range counts {
		g := &BoardGroup{Department: c.Department, Name: "平台（受理/回访）", Overdue: c.Overdue, Warning: c.Warning, Items: []BoardItem{}}
		if n, ok := names[c.Department]; ok {
			g.Name = n
		}
		groups[c.Department] = g
		out = append(out, g)
	}
	for _, r := range records {
		st, err := p.StatusOf(app, r, now)
		if err != nil {
			return nil, err
		}
		dept := r.GetString("lead_department")
		g := groups[dept]
		if g == nil {
			continue // changed between the two reads; the next load shows it
		}
		// a 预警 case whose deadline passed since the last sweep is overdue
		// now: the counts follow what the list shows
		if st.State == "overdue" && r.GetString("sla_state") != "overdue" {
			g.Overdue++
			g.Warning--
		}
		g.Items = append(g.Items, BoardItem{r.Id, r.GetString("ticket"), r.GetString("title"), dept, r.GetString("status"), st})
	}
	return json.Marshal(Board{AsOf: now.UTC().Format(types.DefaultDateLayout), Departments: out})
}
