package dispatch_test

import (
	"slices"
	"testing"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// The duplicate search answers its candidates from an in-memory window of
// the open appeals: a new appeal, a withdrawal and a closure are seen by
// the very next intake.
func TestDuplicateWindowSeesNewWithdrawnAndClosedAppeals(t *testing.T) {
	env := testenv.New(t)
	lamp := func() *testenv.Appeal {
		return submit(t, env, "幸福小区北门路灯不亮", "幸福小区北门的路灯坏了一个月，晚上很黑。", func(s *workflow.Submission) {
			s.Address = "众兴街道幸福小区北门"
		}).Reload(t, env)
	}
	offered := func(a *testenv.Appeal) []string { return a.GetStringSlice("duplicate_candidates") }

	first := lamp()
	second := lamp() // the window is loaded here, with first in it
	if !slices.Contains(offered(second), first.Id) {
		t.Fatalf("the first appeal was not offered to the second: %v", offered(second))
	}
	third := lamp() // second enters the window as a new appeal
	if got := offered(third); !slices.Contains(got, first.Id) || !slices.Contains(got, second.Id) {
		t.Fatalf("new appeals not offered: %v", got)
	}

	env.Do(t, first.Record, "withdraw", env.Resident, workflow.Input{})
	fourth := lamp()
	if got := offered(fourth); slices.Contains(got, first.Id) || !slices.Contains(got, third.Id) {
		t.Fatalf("after a withdrawal: %v (withdrawn %s)", got, first.Id)
	}

	// second, already in the window, goes all the way to 办结
	a := second.Record
	a = env.Do(t, a, "accept", env.Operator, workflow.Input{})
	a = env.Do(t, a, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	fifth := lamp() // the window holds second as dispatched, still open
	if !slices.Contains(offered(fifth), second.Id) {
		t.Fatalf("a dispatched appeal is no longer offered: %v", offered(fifth))
	}
	a = env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	a = env.Do(t, a, "reply", env.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"})
	a = env.Do(t, a, "approve_reply", env.Operator, workflow.Input{})
	yes := true
	a = env.Do(t, a, "rate", env.Operator, workflow.Input{Satisfaction: "satisfied", Resolved: &yes})
	if a.GetString("status") != string(workflow.Closed) {
		t.Fatalf("not closed: %s", a.GetString("status"))
	}
	sixth := lamp()
	if got := offered(sixth); slices.Contains(got, second.Id) || !slices.Contains(got, fifth.Id) {
		t.Fatalf("after a closure: %v (closed %s)", got, second.Id)
	}
}
