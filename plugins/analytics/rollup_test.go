package analytics_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"siyang/internal/testenv"
	"siyang/plugins/analytics"
	"siyang/plugins/workflow"
)

// rollupEnv is the metrics fixture (November 2026) with a category on the
// 桃园村 cases and the 爱园镇 cases come in by phone, so every filter has
// something to find, and the roll-up built as of Wednesday 25 November.
func rollupEnv(t *testing.T) (*metricsEnv, string) {
	t.Helper()
	m := newMetricsEnv(t)
	cat := m.Save(t, "categories", map[string]any{"name": "测试市政设施", "code": "rc1", "sort": 1}).Id
	for _, q := range []string{
		"UPDATE appeals SET category = {:cat} WHERE title LIKE '桃园村%'",
		"UPDATE appeals SET channel = 'phone' WHERE region = {:t2}",
	} {
		if _, err := m.App.DB().NewQuery(q).Bind(dbx.Params{"cat": cat, "t2": m.T2}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	// plain SQL went past the hooks: a full rebuild is due, and it is what
	// the first run does (the migration left it due)
	res, err := m.Analytics.RefreshRollup()
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rebuilt {
		t.Fatalf("first roll-up run %+v, want a full rebuild", res)
	}
	return m, cat
}

// same compares the roll-up's answer with the live one: every row and the
// total, field by field (as the endpoint writes them).
func same(t *testing.T, what string, got, want *analytics.Figures) {
	t.Helper()
	g, w := *got, *want
	g.AsOf, w.AsOf, g.OpenAsOf, w.OpenAsOf, g.Rollup, w.Rollup = "", "", "", "", false, false
	gj, _ := json.Marshal(g)
	wj, _ := json.Marshal(w)
	if string(gj) != string(wj) {
		t.Errorf("%s:\n roll-up %s\n live    %s", what, gj, wj)
	}
}

// question is one metrics question: a period, a breakdown, a scope.
type question struct {
	pr    analytics.Period
	by    analytics.Dimension
	scope analytics.Scope
}

// servedQuestions are the questions the roll-up answers (docs/metrics.md):
// each period and breakdown in the fixture's scopes, and spans of days.
func servedQuestions(m *metricsEnv, cat string) []question {
	cn := testenv.China
	nov := analytics.MonthPeriod(at(1, 0, 0))
	year := analytics.Period{Label: "2026", From: time.Date(2026, 1, 1, 0, 0, 0, 0, cn), To: time.Date(2027, 1, 1, 0, 0, 0, 0, cn)}
	octNov := analytics.Period{Label: "2026-10-01~2026-11-30", From: time.Date(2026, 10, 1, 0, 0, 0, 0, cn), To: time.Date(2026, 12, 1, 0, 0, 0, 0, cn)}
	days := analytics.Period{Label: "2026-11-03~2026-11-20", From: at(3, 0, 0), To: at(21, 0, 0)}
	var served []question
	for _, pr := range []analytics.Period{nov, year, octNov} {
		for _, by := range analytics.Dimensions {
			for _, s := range []analytics.Scope{
				{}, {Department: m.DeptA.Id}, {Department: m.DeptB.Id}, {Department: m.DeptC.Id},
				{Category: cat}, {Township: m.T1}, {Township: m.T2}, {Channel: "phone"}, {Channel: "web"},
				{Department: m.DeptA.Id, Township: m.T1}, {Department: m.DeptA.Id, Category: cat},
			} {
				if s.Category != "" && by != analytics.ByTotal && by != analytics.ByDepartment && by != analytics.ByMonth && by != analytics.ByCategory ||
					s.Township != "" && by != analytics.ByTotal && by != analytics.ByDepartment && by != analytics.ByMonth && by != analytics.ByTownship ||
					s.Channel != "" && by != analytics.ByTotal && by != analytics.ByDepartment && by != analytics.ByMonth && by != analytics.ByChannel {
					continue // answered live (docs/metrics.md)
				}
				served = append(served, question{pr, by, s})
			}
		}
	}
	for _, by := range []analytics.Dimension{analytics.ByTotal, analytics.ByDepartment, analytics.ByDay} {
		for _, s := range []analytics.Scope{{}, {Department: m.DeptA.Id}} {
			served = append(served, question{days, by, s})
		}
	}
	return served
}

// sameAsLive asks every question of the roll-up and live at now: every
// answer comes from the roll-up and equals the live one field by field.
func sameAsLive(t *testing.T, m *metricsEnv, questions []question, now time.Time) {
	t.Helper()
	for _, q := range questions {
		what := fmt.Sprintf("%s by %s in %+v", q.pr.Label, q.by, q.scope)
		got, err := m.Analytics.Answer(q.pr, q.by, q.scope, now)
		if err != nil {
			t.Fatal(what, err)
		}
		if !got.Rollup {
			t.Errorf("%s: answered live, want the roll-up", what)
		}
		want, err := analytics.Compute(m.App, q.pr, q.by, q.scope, now)
		if err != nil {
			t.Fatal(what, err)
		}
		same(t, what, got, want)
	}
}

func TestRollupAnswersEqualLiveFigures(t *testing.T) {
	m, cat := rollupEnv(t)
	now := at(25, 9, 0)
	nov := analytics.MonthPeriod(now)
	days := analytics.Period{Label: "2026-11-03~2026-11-20", From: at(3, 0, 0), To: at(21, 0, 0)}
	sameAsLive(t, m, servedQuestions(m, cat), now)

	// the figures the roll-up cannot hold are computed live, and right
	for _, q := range []question{
		{nov, analytics.ByTownship, analytics.Scope{Category: cat}},
		{nov, analytics.ByTotal, analytics.Scope{Category: cat, Channel: "phone"}},
		{days, analytics.ByCategory, analytics.Scope{}},
		{days, analytics.ByTotal, analytics.Scope{Township: m.T1}},
	} {
		got, err := m.Analytics.Answer(q.pr, q.by, q.scope, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rollup {
			t.Errorf("%s by %s in %+v: from the roll-up, want live", q.pr.Label, q.by, q.scope)
		}
	}

	// the known answers hold through the roll-up too
	f, err := m.Analytics.Answer(nov, analytics.ByDepartment, analytics.Scope{}, now)
	if err != nil {
		t.Fatal(err)
	}
	a := rowOf(t, f, m.DeptA.Id)
	checkRate(t, "A 满意率", a.Satisfaction, 2, 3)
	checkRate(t, "A 响应率", a.Response, 3, 4)
	if f.AsOf != "2026-11-25 01:00:00.000Z" {
		t.Errorf("as_of %q, want the refresh time 2026-11-25 01:00:00.000Z", f.AsOf)
	}
}

// novemberByDepartment is the served answer for November by department at now.
func novemberByDepartment(t *testing.T, m *metricsEnv, now time.Time) *analytics.Figures {
	t.Helper()
	f, err := m.Analytics.Answer(analytics.MonthPeriod(at(1, 0, 0)), analytics.ByDepartment, analytics.Scope{}, now)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRollupSeesChangesAfterARefresh(t *testing.T) {
	m, _ := rollupEnv(t)
	nov := analytics.MonthPeriod(at(1, 0, 0))
	ask := func(now time.Time) *analytics.Figures { return novemberByDepartment(t, m, now) }
	live := func(now time.Time) *analytics.Figures {
		t.Helper()
		f, err := analytics.Compute(m.App, nov, analytics.ByDepartment, analytics.Scope{}, now)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}

	// B signs its case late and answers it: the month is marked dirty (in
	// the database, so a restart keeps it), the answer stays the cells' as
	// of their refresh until the job runs, then it is the live one.
	c8, err := m.App.FindFirstRecordByFilter("appeals", "title = '爱园镇公交站牌倒了'")
	if err != nil {
		t.Fatal(err)
	}
	m.SetNow(at(25, 10, 0))
	c8 = m.Do(t, c8, "sign", m.HandlerB, workflow.Input{})
	m.SetNow(at(25, 15, 0))
	m.Do(t, c8, "reply", m.HandlerB, workflow.Input{Content: "经现场核查，站牌已于当日重新立好，后续将持续巡查。"})
	m.SetNow(at(25, 16, 0))
	m.Do(t, c8, "approve_reply", m.Operator, workflow.Input{})
	var dirty bool
	if err := m.App.DB().NewQuery("SELECT dirty FROM metric_months WHERE month = '2026-11'").Row(&dirty); err != nil || !dirty {
		t.Fatalf("2026-11 dirty %v (%v), want marked", dirty, err)
	}
	now := at(25, 16, 30)
	stale := ask(now)
	if b := rowOf(t, stale, m.DeptB.Id); b.OnTime.Base != 0 || stale.AsOf != "2026-11-25 01:00:00.000Z" {
		t.Errorf("before the refresh: B 按时办结 base %d as of %s, want the cells of 09:00", b.OnTime.Base, stale.AsOf)
	}
	m.SetNow(now)
	res, err := m.Analytics.RefreshRollup()
	if err != nil {
		t.Fatal(err)
	}
	if res.Rebuilt || len(res.Months) != 1 || res.Months[0] != "2026-11" {
		t.Errorf("refresh %+v, want 2026-11 only", res)
	}
	fresh := ask(now)
	same(t, "after the refresh", fresh, live(now))
	if b := rowOf(t, fresh, m.DeptB.Id); b.OnTime.Base != 1 || fresh.AsOf != "2026-11-25 08:30:00.000Z" {
		t.Errorf("after the refresh: B 按时办结 base %d as of %s, want 1 as of 16:30", b.OnTime.Base, fresh.AsOf)
	}
	if res, _ := m.Analytics.RefreshRollup(); len(res.Months) != 0 {
		t.Errorf("nothing changed, yet %v refreshed", res.Months)
	}
	// a change no metric reads (an address, the SLA clock) marks nothing
	c8, err = m.App.FindRecordById("appeals", c8.Id)
	if err != nil {
		t.Fatal(err)
	}
	c8.Set("address", "爱园镇公交站台东侧")
	c8.Set("sla_state", "warning")
	if err := m.App.Save(c8); err != nil {
		t.Fatal(err)
	}
	if res, _ := m.Analytics.RefreshRollup(); len(res.Months) != 0 {
		t.Errorf("an address changed, yet %v refreshed", res.Months)
	}

	// a 签收 deadline passing is a change with no write: A gets a case on
	// Wednesday, due for 签收 on Thursday; Friday's run counts it missed.
	submitAt(t, m.Env, at(25, 17, 0), submission("桃园村井盖缺失", m.V1)).dispatchTo(at(25, 17, 0), m.DeptA)
	m.SetNow(at(25, 17, 30))
	if _, err := m.Analytics.RefreshRollup(); err != nil {
		t.Fatal(err)
	}
	before := rowOf(t, ask(at(25, 17, 30)), m.DeptA.Id).Response.Base
	m.SetNow(at(27, 9, 0))
	res, err = m.Analytics.RefreshRollup()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Months) != 1 {
		t.Errorf("after the deadline passed: refreshed %v, want 2026-11", res.Months)
	}
	after := ask(at(27, 9, 0))
	same(t, "after the deadline passed", after, live(at(27, 9, 0)))
	if got := rowOf(t, after, m.DeptA.Id).Response.Base; got != before+1 {
		t.Errorf("A 响应率 base %d, want %d (the missed 签收 counted)", got, before+1)
	}

	// the new case is in hand in T1's village: 在办 of T1 (a snapshot, live)
	town, err := m.Analytics.Answer(nov, analytics.ByTownship, analytics.Scope{}, at(27, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if t1 := rowOf(t, town, m.T1); t1.Open != 1 {
		t.Errorf("T1 在办 %d, want 1 (the case in its village)", t1.Open)
	}
	inT1, err := m.Analytics.Answer(nov, analytics.ByDepartment, analytics.Scope{Township: m.T1}, at(27, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if a := rowOf(t, inT1, m.DeptA.Id); a.Open != 1 {
		t.Errorf("A's 在办 in T1 %d, want 1", a.Open)
	}

	// a month never computed is answered live until the job has run
	dec := analytics.MonthPeriod(time.Date(2026, 12, 1, 0, 0, 0, 0, testenv.China))
	submitAt(t, m.Env, time.Date(2026, 12, 2, 9, 0, 0, 0, testenv.China), submission("十二月的诉求", m.T1))
	if _, err := m.App.DB().NewQuery("INSERT INTO metric_months (id, month, dirty, as_of) VALUES ('rollupdec000001', '2026-12', 1, '') ON CONFLICT (month) DO UPDATE SET dirty = 1").Execute(); err != nil {
		t.Fatal(err)
	}
	f, err := m.Analytics.Answer(dec, analytics.ByTotal, analytics.Scope{}, time.Date(2026, 12, 2, 10, 0, 0, 0, testenv.China))
	if err != nil {
		t.Fatal(err)
	}
	if f.Rollup || f.Total.Received != 1 {
		t.Errorf("December before the job: rollup %v received %d, want live 1", f.Rollup, f.Total.Received)
	}
}
