package analytics

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// Answer is the metrics endpoint's and the reports' figures: summed from the
// roll-up cells when they can answer the question, else computed live
// (Compute). A month changed since its last refresh is answered from its
// cells as they are, with as_of saying when that was (at most a job
// interval plus a refresh ago): the current month is changing all day, so
// answering it live would make the dashboard slow exactly when it is read.
// 在办/超期 come from the snapshot the same job takes (open_as_of says
// when; rollup_open.go). A month whose cells were never computed (or a
// full rebuild still due) is answered live. Answers from the roll-up are
// kept until the roll-up changes (rollup_cache.go); the returned figures
// are shared and must not be modified.
func (p *Plugin) Answer(pr Period, d Dimension, scope Scope, now time.Time) (*Figures, error) {
	f, _, err := p.answerWithJSON(pr, d, scope, now)
	return f, err
}

// answerWithJSON is Answer and, for a kept answer, its JSON (encoded once
// when it was kept; nil for a live answer).
func (p *Plugin) answerWithJSON(pr Period, d Dimension, scope Scope, now time.Time) (*Figures, []byte, error) {
	plan, ok := planCells(pr, d, scope)
	if !ok {
		f, err := Compute(p.app, pr, d, scope, now)
		return f, nil, err
	}
	return p.answers.answer(keyOf(pr, d, scope), func() (*Figures, bool, error) {
		open := p.open.Load()
		f, served, err := fromCells(p.app, pr, d, scope, plan, open, now)
		if err != nil {
			return nil, false, err
		}
		if !served {
			f, err := Compute(p.app, pr, d, scope, now)
			return f, false, err
		}
		return f, open != nil, nil
	})
}

// cellPlan is how the cells answer a question: which kind of cell, which
// key (a filter) or key range (days), and the column the rows are keyed by.
type cellPlan struct {
	kind, key        string
	dayFrom, dayTo   string // China-time days, [from, to); "" for whole months
	group            string
	filterDepartment bool
}

// planCells says whether the cells can answer: a period of whole China-time
// months, with at most one filter besides the department, which is either
// the breakdown itself or a breakdown by total, department or month; or a
// period of days broken down by total, department or day with no filter but
// the department. Everything else (e.g. a township within a category, a
// category for a span of days) is computed live.
func planCells(pr Period, d Dimension, s Scope) (cellPlan, bool) {
	var kind, key string
	filters := 0
	for _, f := range []struct{ kind, value string }{{"category", s.Category}, {"township", s.Township}, {"channel", s.Channel}} {
		if f.value != "" {
			kind, key = f.kind, f.value
			filters++
		}
	}
	if filters > 1 {
		return cellPlan{}, false
	}
	p := cellPlan{kind: kind, key: key, filterDepartment: s.Department != ""}
	switch d {
	case ByTotal:
		p.group = "''"
	case ByDepartment:
		p.group = "department"
	case ByMonth:
		p.group = "month"
	default:
		p.group = "key"
	}
	if !wholeMonths(pr) {
		if filters > 0 || (d != ByTotal && d != ByDepartment && d != ByDay) {
			return cellPlan{}, false
		}
		cn := hooks.ChinaTime()
		p.kind, p.dayFrom, p.dayTo = "day", pr.From.In(cn).Format("2006-01-02"), pr.To.In(cn).Format("2006-01-02")
		return p, true
	}
	switch d {
	case ByCategory, ByTownship, ByChannel, ByDay:
		if filters > 0 && kind != string(d) {
			return cellPlan{}, false
		}
		p.kind = string(d)
	}
	return p, true
}

// wholeMonths: the period starts and ends on the first of a China-time month.
func wholeMonths(pr Period) bool {
	first := func(t time.Time) bool {
		t = t.In(hooks.ChinaTime())
		return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
	}
	return first(pr.From) && first(pr.To) && pr.From.Before(pr.To)
}

// fromCells answers from the cells; served is false when a month of the
// period has no cells yet (or a full rebuild is due).
// open is the 在办/超期 snapshot; nil computes them live.
func fromCells(app core.App, pr Period, d Dimension, scope Scope, plan cellPlan, open *openSnapshot, now time.Time) (*Figures, bool, error) {
	var months []any
	for m := MonthPeriod(pr.From); m.From.Before(pr.To); m = MonthPeriod(m.To) {
		months = append(months, m.Label)
	}
	var states []struct {
		Month string `db:"month"`
		AsOf  string `db:"as_of"`
		Dirty bool   `db:"dirty"`
	}
	if err := app.DB().Select("month", "as_of", "dirty").From("metric_months").
		Where(dbx.In("month", append(months, allMonths)...)).All(&states); err != nil {
		return nil, false, err
	}
	asOf := sqlTime(now)
	built := false
	for _, s := range states {
		switch {
		case s.Month == allMonths:
			built = !s.Dirty && s.AsOf != ""
		case s.AsOf == "":
			return nil, false, nil
		case s.AsOf < asOf:
			asOf = s.AsOf
		}
	}
	if !built {
		return nil, false, nil
	}
	// A month without a state row has had no data since the last full
	// rebuild (any change marks its month): it has no cells, rightly.

	// Only constant fragments go into the text; every value is bound.
	params := dbx.Params{"kind": plan.kind, "all": allDepartments, "department": scope.Department,
		"key": plan.key, "dayFrom": plan.dayFrom, "dayTo": plan.dayTo}
	in := ""
	for i, m := range months {
		name := fmt.Sprintf("m%d", i)
		params[name] = m
		if i > 0 {
			in += ", "
		}
		in += "{:" + name + "}"
	}
	sql := "SELECT " + plan.group + " AS k, metric, SUM(base) AS base, SUM(hit1) AS h1, SUM(hit2) AS h2, SUM(sum) AS total\n" +
		"FROM metric_cells WHERE kind = {:kind} AND month IN (" + in + ")"
	switch {
	case plan.filterDepartment:
		sql += " AND department = {:department}"
	case d == ByDepartment:
		sql += " AND department != {:all}"
	default:
		sql += " AND department = {:all}"
	}
	if plan.key != "" {
		sql += " AND key = {:key}"
	}
	if plan.dayFrom != "" {
		sql += " AND key >= {:dayFrom} AND key < {:dayTo}"
	}
	sql += "\nGROUP BY k, metric"
	var got []struct {
		counts
		Metric string `db:"metric"`
	}
	if err := app.DB().NewQuery(sql).Bind(params).All(&got); err != nil {
		return nil, false, err
	}
	rows := map[string]*Row{}
	for _, c := range got {
		addCounts(rows, c.Metric, c.counts)
	}
	openAsOf := sqlTime(now)
	if open != nil {
		open.addTo(d, scope, rows)
		openAsOf = open.asOf
	} else if err := runLive(app, openMetric(), pr, d, scope, now, rows); err != nil {
		return nil, false, err
	}
	f, err := assemble(app, pr, d, scope, rows)
	if err != nil {
		return nil, false, err
	}
	f.AsOf, f.OpenAsOf, f.Rollup = asOf, openAsOf, true
	return f, true, nil
}
