package analytics_test

import (
	"testing"

	"siyang/plugins/analytics"
	"siyang/plugins/workflow"
)

// A monthly report is kept until the next roll-up job run (or the first
// change of its month since the last run): a case that leaves the overdue
// list (signed) is still in the kept report, and gone from the first
// report after the run, whose generated_at says when it was
// built; a hotspot change builds it again at once.
func TestReportKeptUntilTheNextRun(t *testing.T) {
	m, _ := rollupEnv(t) // the job ran at 25 Nov 09:00
	nov := analytics.MonthPeriod(at(1, 0, 0))
	report := func() *analytics.Report {
		t.Helper()
		r, err := m.Analytics.BuildReport(nov, "", *m.Now)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	inHand := func(r *analytics.Report, title string) bool {
		for _, c := range r.Overdue {
			if c.Title == title && c.Replied == "" {
				return true
			}
		}
		return false
	}
	const c8 = "爱园镇公交站牌倒了" // B's, not signed by its 24 Nov deadline

	one := report()
	if !inHand(one, c8) {
		t.Fatalf("first report's overdue list %+v, want c8 in hand", one.Overdue)
	}
	if report() != one {
		t.Error("the same report in one roll-up generation was built twice")
	}

	appeal, err := m.App.FindFirstRecordByFilter("appeals", "title = {:t}", map[string]any{"t": c8})
	if err != nil {
		t.Fatal(err)
	}
	// The first change of November after a run marks the month in the
	// database, which voids the kept answers at once (rollup_marks.go);
	// later changes wait for the run.
	submitAt(t, m.Env, at(25, 9, 30), submission("众兴镇路面塌陷", m.T1))
	base := report()
	if report() != base {
		t.Error("the same report in one roll-up generation was built twice")
	}
	m.SetNow(at(25, 10, 0))
	m.Do(t, appeal, "sign", m.HandlerB, workflow.Input{})
	if kept := report(); kept != base || !inHand(kept, c8) {
		t.Error("before the next job run the kept report should be given (c8 still listed)")
	}

	m.SetNow(at(25, 10, 1))
	if _, err := m.Analytics.RefreshRollup(); err != nil {
		t.Fatal(err)
	}
	two := report()
	if two == base || inHand(two, c8) {
		t.Errorf("after the job run: rebuilt %v, c8 listed %v; want a new report without c8", two != base, inHand(two, c8))
	}
	if two.GeneratedAt != "2026-11-25 10:01" {
		t.Errorf("generated_at %q, want the build's time 2026-11-25 10:01", two.GeneratedAt)
	}
	if report() != two {
		t.Error("the report after the run was built twice")
	}

	m.Save(t, "hotspots", map[string]any{"title": "测试爱园镇：公交站牌", "appeals": []string{appeal.Id}, "count": 1, "residents": 1,
		"heat": 5, "recent": 1, "first_at": at(23, 9, 0), "last_at": at(23, 9, 0), "status": "active"})
	three := report()
	if three == two || len(three.Hotspots) != 1 {
		t.Errorf("after a new hotspot: rebuilt %v, hotspots %+v; want it listed", three != two, three.Hotspots)
	}
}

// Before the roll-up job's first run (no 在办 snapshot) a report is
// computed live each time, never kept.
func TestReportNotKeptBeforeTheFirstRun(t *testing.T) {
	m := newMetricsEnv(t)
	nov := analytics.MonthPeriod(at(1, 0, 0))
	one, err := m.Analytics.BuildReport(nov, "", at(25, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	two, err := m.Analytics.BuildReport(nov, "", at(25, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if one == two {
		t.Error("a report computed live was kept")
	}
}

// Requests arriving together share one computation: after a job run, the
// same question asked at once by many readers gives them all one answer
// (and one report), which is then kept.
func TestConcurrentReadersShareOneAnswer(t *testing.T) {
	m, _ := rollupEnv(t)
	nov := analytics.MonthPeriod(at(1, 0, 0))
	const readers = 8
	answers := make(chan *analytics.Figures, readers)
	reports := make(chan *analytics.Report, readers)
	for i := 0; i < readers; i++ {
		go func() {
			f, err := m.Analytics.Answer(nov, analytics.ByTownship, analytics.Scope{}, at(25, 9, 0))
			if err != nil {
				t.Error(err)
			}
			answers <- f
			r, err := m.Analytics.BuildReport(nov, "", at(25, 9, 0))
			if err != nil {
				t.Error(err)
			}
			reports <- r
		}()
	}
	firstAnswer, firstReport := <-answers, <-reports
	for i := 1; i < readers; i++ {
		if f := <-answers; f != firstAnswer {
			t.Error("two readers asking together got two computations of one answer")
		}
		if r := <-reports; r != firstReport {
			t.Error("two readers asking together got two builds of one report")
		}
	}
	if f, _ := m.Analytics.Answer(nov, analytics.ByTownship, analytics.Scope{}, at(25, 9, 0)); f != firstAnswer {
		t.Error("the shared answer was not kept")
	}
}
