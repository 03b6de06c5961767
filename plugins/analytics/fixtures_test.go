package analytics_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// at is a China-time instant in November 2026 (Monday 2 November is day 2;
// the month has no public holiday).
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, testenv.China)
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// caseBuilder drives one appeal through the workflow at given times.
type caseBuilder struct {
	t      *testing.T
	env    *testenv.Env
	appeal *core.Record
}

// submitAt registers an appeal at the given time. The record's created
// stamp is PocketBase's wall clock, so the fixture moves it to the
// platform's time, as if the appeal had come in then.
func submitAt(t *testing.T, env *testenv.Env, when time.Time, sub workflow.Submission) *caseBuilder {
	t.Helper()
	env.SetNow(when)
	a, _ := env.Submit(t, sub)
	created := when.UTC().Format(types.DefaultDateLayout)
	if _, err := env.App.DB().Update("appeals", dbx.Params{"created": created}, dbx.HashExp{"id": a.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	return &caseBuilder{t: t, env: env, appeal: a}
}

// do performs an action at the given time.
func (c *caseBuilder) do(when time.Time, action string, actor *core.Record, in workflow.Input) *caseBuilder {
	c.t.Helper()
	c.env.SetNow(when)
	c.appeal = c.env.Do(c.t, c.appeal, action, actor, in)
	return c
}

// dispatchTo accepts the appeal and dispatches it to dept at the given time.
func (c *caseBuilder) dispatchTo(when time.Time, dept *core.Record) *caseBuilder {
	c.t.Helper()
	c.do(when, "accept", c.env.Operator, workflow.Input{})
	return c.do(when.Add(10*time.Minute), "dispatch", c.env.Operator, workflow.Input{Department: dept.Id})
}

// replyAt replies as handler and has the operator approve it an hour later.
func (c *caseBuilder) replyAt(when time.Time, handler *core.Record) *caseBuilder {
	c.t.Helper()
	c.do(when, "reply", handler, workflow.Input{Content: "经现场核查，问题已于当日处理完毕，后续将持续跟踪。"})
	return c.do(when.Add(time.Hour), "approve_reply", c.env.Operator, workflow.Input{})
}

func (c *caseBuilder) rate(when time.Time, satisfaction string, resolved *bool) *caseBuilder {
	c.t.Helper()
	return c.do(when, "rate", c.env.Operator, workflow.Input{Satisfaction: satisfaction, Resolved: resolved})
}

// submission is a sample complaint in a region.
func submission(title, region string) workflow.Submission {
	s := testenv.SampleSubmission()
	s.Title = title
	s.Region = region
	return s
}
