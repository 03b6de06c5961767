package analytics_test

import (
	"slices"
	"testing"

	"siyang/plugins/workflow"
)

// The current month is refreshed at its dirty days only, and every answer
// the roll-up serves still equals the live one: B signs and answers a case
// that came in on the 23rd, a new appeal comes in, then the case is closed.
// Neither the signing nor the closure marks the day the case came in.
func TestDayRefreshRecomputesOnlyTheDirtyDays(t *testing.T) {
	m, cat := rollupEnv(t) // built on 25 Nov 09:00, with November's day cells
	questions := servedQuestions(m, cat)
	c8, err := m.App.FindFirstRecordByFilter("appeals", "title = '爱园镇公交站牌倒了'") // in on the 23rd, 签收 due the 24th
	if err != nil {
		t.Fatal(err)
	}
	m.SetNow(at(25, 10, 0))
	c8 = m.Do(t, c8, "sign", m.HandlerB, workflow.Input{})
	m.SetNow(at(25, 11, 0))
	c8 = m.Do(t, c8, "reply", m.HandlerB, workflow.Input{Content: "经现场核查，站牌已于当日重新立好，后续将持续巡查。"})
	m.SetNow(at(25, 12, 0))
	c8 = m.Do(t, c8, "approve_reply", m.Operator, workflow.Input{})
	submitAt(t, m.Env, at(25, 13, 0), submission("众兴镇路灯闪烁", m.T1)).dispatchTo(at(25, 13, 0), m.DeptA)

	// refresh runs the job: November at the days from `from` on (the
	// days of the changes and of the job runs, and the new case's 签收
	// deadline), not the month.
	refresh := func(what, from string) {
		t.Helper()
		res, err := m.Analytics.RefreshRollup()
		if err != nil {
			t.Fatal(err)
		}
		if res.Rebuilt || !slices.Equal(res.Months, []string{"2026-11"}) || len(res.Days) == 0 || res.Days[0] != from || len(res.Days) > 4 {
			t.Errorf("%s: refreshed %+v, want 2026-11 at a few days from %s", what, res, from)
		}
	}
	m.SetNow(at(25, 14, 0))
	// from the 24th: c8's 签收 deadline (signed); its answer and the new
	// appeal on the 25th
	refresh("signed, answered, a new appeal", "2026-11-24")
	sameAsLive(t, m, questions, at(25, 14, 0))

	m.SetNow(at(26, 10, 0))
	m.Do(t, c8, "rate", m.Operator, workflow.Input{Satisfaction: "satisfied", Resolved: yes()})
	m.SetNow(at(26, 11, 0))
	// the closure on the 26th; the days since the last run from the 25th
	refresh("closed", "2026-11-25")
	sameAsLive(t, m, questions, at(26, 11, 0))
}
