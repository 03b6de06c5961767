package testenv

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

// SampleSubmission is a valid web submission; the contact data is made up.
func SampleSubmission() workflow.Submission {
	return workflow.Submission{
		Kind:          "complaint",
		Title:         "幸福小区门口路灯不亮",
		Content:       "幸福小区北门路灯已经坏了一个月，晚上出行很不安全，我是李四，电话13912345678。",
		Address:       "众兴街道幸福小区北门",
		ContactName:   "李四",
		ContactPhone:  "13912345678",
		PublicConsent: true,
	}
}

// Submit registers a sample appeal for the resident account and answers
// the appeal and its query code.
func (env *Env) Submit(t testing.TB, sub workflow.Submission) (*core.Record, string) {
	t.Helper()
	receipt, err := env.Engine.Submit(env.App, sub, workflow.ActorFromAuth(env.Resident))
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return receipt.Appeal, receipt.QueryCode
}

// Do performs action as actor and fails the test on error.
func (env *Env) Do(t testing.TB, appeal *core.Record, action string, actor *core.Record, in workflow.Input) *core.Record {
	t.Helper()
	res, err := env.Engine.Perform(env.App, workflow.Request{
		Appeal: appeal.Id, Action: action, Actor: workflow.ActorFromAuth(actor), Input: in,
	})
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return res.Appeal
}

func yes() *bool { b := true; return &b }

// Reach answers a new appeal in the given state, driven there through the
// workflow itself: department A leads, B assists.
func (env *Env) Reach(t testing.TB, status workflow.Status) *core.Record {
	t.Helper()
	return env.ReachWith(t, status, SampleSubmission())
}

// ReachWith is Reach for a given submission.
func (env *Env) ReachWith(t testing.TB, status workflow.Status, sub workflow.Submission) *core.Record {
	t.Helper()
	a, _ := env.Submit(t, sub)
	step := func(action string, actor *core.Record, in workflow.Input) {
		a = env.Do(t, a, action, actor, in)
	}
	switch status {
	case workflow.Submitted:
		return a
	case workflow.Rejected:
		step("reject", env.Operator, workflow.Input{Reason: "incomplete"})
		return a
	case workflow.Withdrawn:
		step("withdraw", env.Resident, workflow.Input{})
		return a
	case workflow.Merged:
		original, _ := env.Submit(t, SampleSubmission())
		step("merge", env.Operator, workflow.Input{Target: original.GetString("ticket")})
		return a
	}
	step("accept", env.Operator, workflow.Input{})
	if status == workflow.Accepted {
		return a
	}
	step("dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id, Assisting: []string{env.DeptB.Id}})
	if status == workflow.Dispatched {
		return a
	}
	step("sign", env.HandlerA, workflow.Input{})
	switch status {
	case workflow.Handling:
		return a
	case workflow.Suspended:
		step("request_suspension", env.HandlerA, workflow.Input{Note: "等待司法鉴定结果"})
		step("approve_suspension", env.Operator, workflow.Input{})
		return a
	}
	step("reply", env.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"})
	if status == workflow.Replied {
		return a
	}
	step("approve_reply", env.Operator, workflow.Input{})
	if status == workflow.Callback {
		return a
	}
	step("rate", env.Operator, workflow.Input{Satisfaction: "satisfied", Resolved: yes()})
	if status != workflow.Closed {
		t.Fatalf("Reach: unknown status %s", status)
	}
	return a
}
