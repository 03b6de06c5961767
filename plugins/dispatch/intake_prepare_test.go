package dispatch_test

import (
	"slices"
	"sync/atomic"
	"testing"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// The active rules are cached for every intake: a rule added, changed,
// switched off or deleted applies from the very next submission.
func TestRuleChangesApplyToTheNextIntake(t *testing.T) {
	env := testenv.New(t)
	dept := func() string {
		return submit(t, env, "小区路灯不亮", "幸福小区门口路灯坏了一个月。").Reload(t, env).GetString("suggested_department")
	}
	if d := dept(); d != "" {
		t.Fatalf("suggested %q without any rule", d)
	}
	r := rule(t, env, map[string]any{"name": "路灯归住建", "sort": 10, "keywords": "路灯", "lead_department": env.DeptA.Id})
	if d := dept(); d != env.DeptA.Id {
		t.Fatalf("a new rule did not apply: %q", d)
	}
	r.Set("lead_department", env.DeptB.Id)
	if err := env.App.Save(r); err != nil {
		t.Fatal(err)
	}
	if d := dept(); d != env.DeptB.Id {
		t.Fatalf("a changed rule did not apply: %q", d)
	}
	r.Set("active", false)
	if err := env.App.Save(r); err != nil {
		t.Fatal(err)
	}
	if d := dept(); d != "" {
		t.Fatalf("a switched-off rule still applies: %q", d)
	}
	r.Set("active", true)
	if err := env.App.Save(r); err != nil {
		t.Fatal(err)
	}
	if err := env.App.Delete(r); err != nil {
		t.Fatal(err)
	}
	if d := dept(); d != "" {
		t.Fatalf("a deleted rule still applies: %q", d)
	}
}

// An intake searches for duplicates before its write transaction; an
// appeal committed after that search (a neighbour reporting the same lamp
// a moment earlier) is still found inside the transaction.
func TestDuplicateCommittedDuringPreparationIsFound(t *testing.T) {
	env := testenv.New(t)
	sub := testenv.SampleSubmission()
	sub.Title, sub.Content = "幸福小区北门路灯不亮", "幸福小区北门的路灯坏了一个月，晚上很黑。"
	var neighbour atomic.Pointer[string]
	var once atomic.Bool
	// bound after the dispatch plugin: runs once its search is done
	workflow.OnPrepareIntake(env.App).BindFunc(func(e *workflow.PrepareIntakeEvent) error {
		if once.CompareAndSwap(false, true) {
			a, _ := env.Submit(t, sub)
			id := a.Id
			neighbour.Store(&id)
		}
		return e.Next()
	})
	mine, _ := env.Submit(t, sub)
	id := neighbour.Load()
	if id == nil {
		t.Fatal("the neighbour's appeal was not submitted")
	}
	if got := mine.GetStringSlice("duplicate_candidates"); !slices.Contains(got, *id) {
		t.Fatalf("appeal committed during the preparation not offered as a duplicate: %v", got)
	}
	res := env.Call(t, "GET", "/api/dispatch/suggest/"+mine.Id, nil, env.Operator)
	if res.Status != 200 {
		t.Fatalf("suggest: %d %s", res.Status, res.Body)
	}
}
