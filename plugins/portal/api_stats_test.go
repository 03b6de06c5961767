package portal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// caseFlow drives appeals through the workflow at moments the test sets.
type caseFlow struct {
	t   *testing.T
	env *testenv.Env
}

func (f caseFlow) at(month time.Month, day int) {
	f.env.SetNow(time.Date(2026, month, day, 9, 0, 0, 0, testenv.China))
}

// dispatched is a new appeal, accepted and dispatched to dept now.
func (f caseFlow) dispatched(dept *core.Record) *core.Record {
	a, _ := f.env.Submit(f.t, testenv.SampleSubmission())
	a = f.env.Do(f.t, a, "accept", f.env.Operator, workflow.Input{})
	return f.env.Do(f.t, a, "dispatch", f.env.Operator, workflow.Input{Department: dept.Id})
}

// answered signs (as handler), replies and has the reply approved.
func (f caseFlow) answered(a, handler *core.Record, sign bool) *core.Record {
	if sign {
		a = f.env.Do(f.t, a, "sign", handler, workflow.Input{})
	}
	a = f.env.Do(f.t, a, "reply", handler, workflow.Input{Content: "经现场核查，问题已处理完毕，特此答复。"})
	return f.env.Do(f.t, a, "approve_reply", f.env.Operator, workflow.Input{})
}

func (f caseFlow) rated(a *core.Record, satisfaction string) *core.Record {
	yes := true
	return f.env.Do(f.t, a, "rate", f.env.Operator, workflow.Input{Satisfaction: satisfaction, Resolved: &yes})
}

// seedPeriod builds October and November 2026 (see the expectations in
// the tests below): department A leads 4 cases in November with one late
// signature, one late reply and a case closed as 告知法定途径 after a bad
// rating; B leads 3 perfect cases and one not yet due; C leads 2.
func seedPeriod(t *testing.T, env *testenv.Env) {
	f := caseFlow{t, env}
	f.at(time.October, 12)
	env.Reach(t, workflow.Closed) // A, 满意

	f.at(time.November, 2)        // a Monday: 签收 due the 3rd, 办结 due the 9th
	env.Reach(t, workflow.Closed) // n1: A, on time, 满意
	n2 := f.dispatched(env.DeptA)
	n3 := f.env.Do(t, f.dispatched(env.DeptA), "sign", env.HandlerA, workflow.Input{})
	n4 := f.rated(f.answered(f.dispatched(env.DeptA), env.HandlerA, true), "dissatisfied") // reopened
	n4 = f.answered(n4, env.HandlerA, false)
	env.Do(t, n4, "archive", env.Operator, workflow.Input{Reason: "legal_channel"})
	for i := 0; i < 3; i++ {
		f.rated(f.answered(f.dispatched(env.DeptB), env.HandlerB, true), "very_satisfied")
	}
	f.rated(f.answered(f.dispatched(env.DeptC), env.HandlerC, true), "satisfied")
	rejected, _ := env.Submit(t, testenv.SampleSubmission())
	env.Do(t, rejected, "reject", env.Operator, workflow.Input{Reason: "incomplete"})

	f.at(time.November, 5)
	f.rated(f.answered(n2, env.HandlerA, true), "basically_satisfied") // signed late, replied on time

	f.at(time.November, 20)
	f.rated(f.answered(n3, env.HandlerA, false), "very_satisfied") // replied late

	f.at(time.November, 27)
	f.dispatched(env.DeptB) // 签收 due after "now": not yet counted
	f.dispatched(env.DeptC)

	f.at(time.November, 28)
}

func TestStatsAndScorecards(t *testing.T) {
	env := testenv.New(t)
	seedPeriod(t, env)
	t.Run("stats", func(t *testing.T) { checkStats(t, env) })
	t.Run("scorecards", func(t *testing.T) { checkScorecards(t, env) })
}

func checkStats(t *testing.T, env *testenv.Env) {
	defer env.SetNow(*env.Now)
	res := env.Call(t, "GET", "/api/portal/stats", nil, nil)
	if res.Status != 200 {
		t.Fatalf("stats: %d %s", res.Status, res.Body)
	}
	type month struct {
		Period                             string
		Accepted, Closed, Rated, Satisfied int
		SatisfactionRate                   *float64 `json:"satisfaction_rate"`
	}
	var got struct{ Current, Previous month }
	res.JSON(t, &got)

	// 受理: n1–n4, B ×4, C ×2 (the rejected one was never accepted)
	// 办结: n1–n4, B ×3, C ×1; 满意率 base: the same without n4 (告知法定途径)
	// → 6 of 7 satisfied (n2 was only 基本满意)
	cur := got.Current
	if cur.Period != "2026-11" || cur.Accepted != 10 || cur.Closed != 8 || cur.Rated != 7 || cur.Satisfied != 6 ||
		cur.SatisfactionRate == nil || *cur.SatisfactionRate != 85.7 {
		t.Errorf("November: %+v (rate %v)", cur, deref(cur.SatisfactionRate))
	}
	prev := got.Previous
	if prev.Period != "2026-10" || prev.Accepted != 1 || prev.Closed != 1 || prev.Rated != 1 || deref(prev.SatisfactionRate) != 100 {
		t.Errorf("October: %+v (rate %v)", prev, deref(prev.SatisfactionRate))
	}
	for _, secret := range []string{"13912345678", "李四"} {
		if strings.Contains(res.Body, secret) {
			t.Errorf("stats show %s", secret)
		}
	}

	// a month without ratings has no rate rather than 0 %
	env.SetNow(time.Date(2027, 1, 5, 9, 0, 0, 0, testenv.China))
	res = env.Call(t, "GET", "/api/portal/stats", nil, nil)
	if !strings.Contains(res.Body, `"satisfaction_rate":null`) || !strings.Contains(res.Body, `"period":"2026-12"`) {
		t.Errorf("January 2027: %s", res.Body)
	}
}

// rate is a Scorecard rate as the page reads it.
type rate struct {
	Rate        *float64
	Count, Base int
}

type card struct {
	Rank                   *int
	Department, Name       string
	Cases                  int
	Insufficient           bool
	Response, Satisfaction *rate
	OnTime                 *rate `json:"on_time"`
	Score                  *float64
}

func checkScorecards(t *testing.T, env *testenv.Env) {
	var got struct {
		Period, Kind string
		MinCases     int `json:"min_cases"`
		Departments  []card
	}
	res := env.Call(t, "GET", "/api/portal/scorecards?period=2026-11", nil, nil)
	if res.Status != 200 {
		t.Fatalf("scorecards: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &got)
	if got.Period != "2026-11" || got.Kind != "month" || got.MinCases != 3 || len(got.Departments) != 3 {
		t.Fatalf("scorecards: %s", res.Body)
	}
	b, a, c := got.Departments[0], got.Departments[1], got.Departments[2]
	if b.Department != env.DeptB.Id || a.Department != env.DeptA.Id || c.Department != env.DeptC.Id {
		t.Fatalf("order %s, %s, %s; want B, A, C", b.Name, a.Name, c.Name)
	}

	// B: 3 of 3 signed on time (the 4th is not due yet), replied on time, satisfied
	checkRate(t, "B 响应率", b.Response, 3, 3, 100)
	checkRate(t, "B 按时办结率", b.OnTime, 3, 3, 100)
	checkRate(t, "B 满意率", b.Satisfaction, 3, 3, 100)
	if b.Cases != 4 || deref(b.Score) != 100 || b.Rank == nil || *b.Rank != 1 {
		t.Errorf("B: cases %d score %v rank %v", b.Cases, deref(b.Score), b.Rank)
	}
	// A: n2 signed late, n3 replied late, n4 left out of 满意率, n2 only 基本满意
	checkRate(t, "A 响应率", a.Response, 3, 4, 75)
	checkRate(t, "A 按时办结率", a.OnTime, 3, 4, 75)
	checkRate(t, "A 满意率", a.Satisfaction, 2, 3, 66.7)
	// 0.3 × 75 + 0.3 × 75 + 0.4 × 66.7 = 71.68
	if a.Cases != 4 || deref(a.Score) != 71.7 || a.Rank == nil || *a.Rank != 2 || a.Insufficient {
		t.Errorf("A: cases %d score %v rank %v", a.Cases, deref(a.Score), a.Rank)
	}
	// C: 2 cases — no rates at all
	if !c.Insufficient || c.Cases != 2 || c.Rank != nil || c.Score != nil || c.Response != nil || c.OnTime != nil || c.Satisfaction != nil {
		t.Errorf("C should be insufficient without rates: %+v", c)
	}
	if !strings.Contains(res.Body, `"insufficient":true,"response":null,"on_time":null,"satisfaction":null,"score":null`) {
		t.Errorf("C's withheld rates: %s", res.Body)
	}

	// the year: October's case counts for A too
	res = env.Call(t, "GET", "/api/portal/scorecards?year=2026", nil, nil)
	res.JSON(t, &got)
	if got.Period != "2026" || got.Kind != "year" {
		t.Errorf("year: %s", res.Body)
	}
	for _, d := range got.Departments {
		if d.Department == env.DeptA.Id && d.Cases != 5 {
			t.Errorf("A in 2026: %d cases, want 5", d.Cases)
		}
	}
	// October alone: one case, below the threshold
	res = env.Call(t, "GET", "/api/portal/scorecards?period=2026-10", nil, nil)
	res.JSON(t, &got)
	if len(got.Departments) != 1 || !got.Departments[0].Insufficient || got.Departments[0].Cases != 1 {
		t.Errorf("October: %s", res.Body)
	}
	// no period: this month
	if res := env.Call(t, "GET", "/api/portal/scorecards", nil, nil); !strings.Contains(res.Body, `"period":"2026-11"`) {
		t.Errorf("default period: %s", res.Body)
	}

	for url, field := range map[string]string{
		"/api/portal/scorecards?period=2026-13":           `"period":`,
		"/api/portal/scorecards?period=11/2026":           `"period":`,
		"/api/portal/scorecards?year=26":                  `"year":`,
		"/api/portal/scorecards?period=2026-11&year=2026": `"period":`,
	} {
		if res := env.Call(t, "GET", url, nil, nil); res.Status != 400 || !strings.Contains(res.Body, field) {
			t.Errorf("%s: %d %s", url, res.Status, res.Body)
		}
	}
}

func checkRate(t *testing.T, name string, r *rate, count, base int, want float64) {
	t.Helper()
	if r == nil {
		t.Errorf("%s: missing", name)
		return
	}
	if r.Count != count || r.Base != base || deref(r.Rate) != want {
		t.Errorf("%s: %d/%d = %v, want %d/%d = %v", name, r.Count, r.Base, deref(r.Rate), count, base, want)
	}
}

func deref(f *float64) float64 {
	if f == nil {
		return -1
	}
	return *f
}
