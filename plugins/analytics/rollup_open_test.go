package analytics_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"siyang/plugins/analytics"
	"siyang/plugins/workflow"
)

// 在办/超期 are the roll-up job's snapshot: a new appeal, a state change, a
// case crossing its deadline and a closure are each seen at the next job
// run (not before), open_as_of says when that was, and the answer then
// equals the live one.
func TestOpenSnapshotSeesChangesAtTheNextRun(t *testing.T) {
	m, _ := rollupEnv(t) // the job ran at 25 Nov 09:00
	nov := analytics.MonthPeriod(at(1, 0, 0))
	ask := func(now time.Time) *analytics.Figures { return novemberByDepartment(t, m, now) }
	open := func(f *analytics.Figures, dept string) (int, int) {
		for _, r := range f.Rows {
			if r.Key == dept {
				return r.Open, r.Overdue
			}
		}
		return 0, 0
	}
	// run is the job at now: afterwards the answer is the live one.
	run := func(what string, now time.Time) *analytics.Figures {
		t.Helper()
		m.SetNow(now)
		if _, err := m.Analytics.RefreshRollup(); err != nil {
			t.Fatal(err)
		}
		f := ask(now)
		want, err := analytics.Compute(m.App, nov, analytics.ByDepartment, analytics.Scope{}, now)
		if err != nil {
			t.Fatal(err)
		}
		same(t, what, f, want)
		if at := now.UTC().Format("2006-01-02 15:04:05.000Z"); f.OpenAsOf != at || !f.Rollup {
			t.Errorf("%s: open_as_of %q rollup %v, want %q from the roll-up", what, f.OpenAsOf, f.Rollup, at)
		}
		return f
	}
	check := func(what string, f *analytics.Figures, dept string, wantOpen, wantOverdue int) {
		t.Helper()
		if o, d := open(f, dept); o != wantOpen || d != wantOverdue {
			t.Errorf("%s: 在办 %d 超期 %d, want %d and %d", what, o, d, wantOpen, wantOverdue)
		}
	}

	first := ask(at(25, 9, 0))
	check("B at the first run", first, m.DeptB.Id, 1, 1) // c8, not signed by its 24 Nov deadline
	check("A at the first run", first, m.DeptA.Id, 0, 0)
	if first.OpenAsOf != "2026-11-25 01:00:00.000Z" {
		t.Errorf("open_as_of %q, want the run at 09:00", first.OpenAsOf)
	}

	// a new appeal dispatched to A
	c := submitAt(t, m.Env, at(25, 10, 0), submission("众兴镇路面塌陷", m.T1)).dispatchTo(at(25, 10, 0), m.DeptA)
	check("new appeal, before the run", ask(at(25, 10, 20)), m.DeptA.Id, 0, 0)
	check("new appeal, after the run", run("new appeal", at(25, 10, 30)), m.DeptA.Id, 1, 0)

	// a state change: B signs c8, which stops its 签收 clock
	c8, err := m.App.FindFirstRecordByFilter("appeals", "title = '爱园镇公交站牌倒了'")
	if err != nil {
		t.Fatal(err)
	}
	m.SetNow(at(25, 11, 0))
	m.Do(t, c8, "sign", m.HandlerB, workflow.Input{})
	check("B signed, before the run", ask(at(25, 11, 0)), m.DeptB.Id, 1, 1)
	check("B signed, after the run", run("B signed", at(25, 11, 30)), m.DeptB.Id, 1, 0)

	// A's case crosses its 签收 deadline (26 Nov): the sweep marks it
	m.SetNow(at(27, 9, 0))
	if _, err := m.SLA.Sweep(); err != nil {
		t.Fatal(err)
	}
	check("deadline passed, before the run", ask(at(27, 9, 0)), m.DeptA.Id, 1, 0)
	check("deadline passed, after the run", run("deadline passed", at(27, 9, 5)), m.DeptA.Id, 1, 1)

	// A's case is answered, approved and closed
	c.do(at(27, 10, 0), "sign", m.HandlerA, workflow.Input{}).replyAt(at(27, 11, 0), m.HandlerA).
		do(at(27, 13, 0), "archive", m.Operator, workflow.Input{Reason: "confirmed"})
	closedBefore := rowOf(t, ask(at(27, 13, 5)), m.DeptA.Id).Closed
	check("closed, before the run", ask(at(27, 13, 5)), m.DeptA.Id, 1, 1)
	after := run("closed", at(27, 13, 10))
	check("closed, after the run", after, m.DeptA.Id, 0, 0)
	if got := rowOf(t, after, m.DeptA.Id).Closed; got != closedBefore+1 {
		t.Errorf("A 办结量 %d, want %d", got, closedBefore+1)
	}

	// the endpoint says when 在办/超期 were counted
	res := m.Call(t, "GET", "/api/analytics/metrics?by=township&month=2026-11", nil, m.Supervisor)
	var body struct {
		OpenAsOf string `json:"open_as_of"`
		Rollup   bool   `json:"rollup"`
	}
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil || res.Status != 200 {
		t.Fatalf("metrics: %d %s", res.Status, res.Body)
	}
	if body.OpenAsOf != "2026-11-27 05:10:00.000Z" || !body.Rollup {
		t.Errorf("endpoint open_as_of %q rollup %v, want the 13:10 run", body.OpenAsOf, body.Rollup)
	}
}

// A kept answer is given again until the roll-up changes; a renamed
// department (a label) is seen at once, and the answer stays right.
func TestKeptAnswersFollowTheRollupAndLabels(t *testing.T) {
	m, _ := rollupEnv(t)
	nov := analytics.MonthPeriod(at(1, 0, 0))
	now := at(25, 9, 0)
	ask := func() *analytics.Figures { return novemberByDepartment(t, m, now) }
	one, two := ask(), ask()
	if one != two {
		t.Error("the same question in one roll-up generation was computed twice")
	}
	m.DeptA.Set("name", "测试改名后的单位")
	if err := m.App.Save(m.DeptA); err != nil {
		t.Fatal(err)
	}
	renamed := ask()
	if a := rowOf(t, renamed, m.DeptA.Id); a.Label != "测试改名后的单位" {
		t.Errorf("A's label %q after the rename, want the new name", a.Label)
	}
	live, err := analytics.Compute(m.App, nov, analytics.ByDepartment, analytics.Scope{}, now)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "after the rename", renamed, live)

	// a job run starts a new generation
	if _, err := m.Analytics.RefreshRollup(); err != nil {
		t.Fatal(err)
	}
	if ask() == renamed {
		t.Error("an answer kept from before the job run was given after it")
	}
}

// The warm-up (run as the server starts serving) takes the 在办/超期
// snapshot before the job's first run: from then on answers come from the
// roll-up and are kept. After a job run it leaves the job's snapshot.
func TestWarmUpTakesTheSnapshotBeforeTheFirstRun(t *testing.T) {
	m, _ := rollupEnv(t) // the full rebuild ran at 25 Nov 09:00 …
	m.Analytics.ForgetSnapshot()
	m.SetNow(at(25, 9, 30)) // … and then the server restarted
	if one, two := novemberByDepartment(t, m, at(25, 9, 30)), novemberByDepartment(t, m, at(25, 9, 30)); one == two {
		t.Fatal("without a snapshot an answer was kept")
	}
	if err := m.Analytics.WarmUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	one := novemberByDepartment(t, m, at(25, 9, 31))
	if one.OpenAsOf != "2026-11-25 01:30:00.000Z" || !one.Rollup {
		t.Errorf("after the warm-up: open_as_of %q rollup %v, want the warm-up's 09:30 snapshot", one.OpenAsOf, one.Rollup)
	}
	if novemberByDepartment(t, m, at(25, 9, 31)) != one {
		t.Error("after the warm-up the answer was not kept")
	}
	nov := analytics.MonthPeriod(at(1, 0, 0))
	live, err := analytics.Compute(m.App, nov, analytics.ByDepartment, analytics.Scope{}, at(25, 9, 30))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "after the warm-up", one, live)

	m.SetNow(at(25, 9, 40))
	if _, err := m.Analytics.RefreshRollup(); err != nil {
		t.Fatal(err)
	}
	m.SetNow(at(25, 9, 45))
	if err := m.Analytics.WarmUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := novemberByDepartment(t, m, at(25, 9, 45)).OpenAsOf; got != "2026-11-25 01:40:00.000Z" {
		t.Errorf("a late warm-up replaced the job's snapshot: open_as_of %q", got)
	}
}
