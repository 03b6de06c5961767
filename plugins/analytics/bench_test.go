package analytics_test

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
	"siyang/plugins/analytics"
)

// benchAppeals is the size of the generated county: a year of appeals.
const benchAppeals = 100_000

// seedAppeals writes n appeals over 2026 straight into the tables (one lead
// assignment each), spread over 20 departments, 12 categories and 16
// townships, with the mix of outcomes a real year has.
func seedAppeals(b *testing.B, env *testenv.Env, n int) {
	b.Helper()
	rng := rand.New(rand.NewSource(1))
	var depts, cats, towns []string
	for i := 0; i < 20; i++ {
		depts = append(depts, env.Save(b, "departments", map[string]any{"name": fmt.Sprintf("单位%02d", i), "code": fmt.Sprintf("bd%02d", i), "kind": "职能部门", "active": true}).Id)
	}
	for i := 0; i < 16; i++ {
		towns = append(towns, env.Save(b, "regions", map[string]any{"name": fmt.Sprintf("镇%02d", i), "code": fmt.Sprintf("bt%02d", i), "kind": "乡镇"}).Id)
	}
	for i := 0; i < 12; i++ {
		cats = append(cats, env.Save(b, "categories", map[string]any{"name": fmt.Sprintf("分类%02d", i), "code": fmt.Sprintf("bc%02d", i), "sort": i}).Id)
	}
	ts := func(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, testenv.China)
	channels := []string{"web", "phone", "phone", "phone", "letter", "window"}
	sats := []string{"very_satisfied", "satisfied", "satisfied", "basically_satisfied", "dissatisfied"}
	err := env.App.RunInTransaction(func(tx core.App) error {
		for i := 0; i < n; i++ {
			created := start.Add(time.Duration(rng.Int63n(int64(360 * 24 * time.Hour))))
			dispatched := created.Add(time.Duration(rng.Intn(8)) * time.Hour)
			signed := dispatched.Add(time.Duration(rng.Intn(40)) * time.Hour)
			replied := signed.Add(time.Duration(rng.Intn(200)) * time.Hour)
			closed := replied.Add(time.Duration(24+rng.Intn(48)) * time.Hour)
			id := fmt.Sprintf("bench%010d", i)
			dept := depts[rng.Intn(len(depts))]
			row := dbx.Params{
				"id": id, "ticket": fmt.Sprintf("B%09d", i), "channel": channels[rng.Intn(len(channels))], "kind": "complaint",
				"title": "t", "content": "c", "category": cats[rng.Intn(len(cats))], "region": towns[rng.Intn(len(towns))],
				"status": "closed", "priority": "normal", "lead_department": dept,
				"created": ts(created), "updated": ts(closed), "accepted_at": ts(created), "dispatched_at": ts(dispatched),
				"signed_at": ts(signed), "replied_at": ts(replied), "closed_at": ts(closed),
				"due_finish": ts(dispatched.Add(7 * 24 * time.Hour)), "satisfaction": sats[rng.Intn(len(sats))],
				"resolved": rng.Intn(4) > 0, "close_reason": "resolved", "reopen_count": rng.Intn(10) / 9,
			}
			switch r := rng.Intn(100); {
			case r < 3:
				row["status"], row["reject_reason"], row["close_reason"], row["satisfaction"] = "rejected", "duplicate", "", ""
			case r < 5:
				row["close_reason"] = "legal_channel"
			case r < 15:
				row["status"], row["closed_at"], row["satisfaction"], row["sla_state"] = "handling", "", "", "overdue"
			}
			if _, err := tx.DB().Insert("appeals", row).Execute(); err != nil {
				return err
			}
			if _, err := tx.DB().Insert("assignments", dbx.Params{
				"id": fmt.Sprintf("bs%011d", i), "appeal": id, "department": dept, "role": "lead", "status": "signed",
				"due_sign": ts(dispatched.Add(24 * time.Hour)), "signed_at": ts(signed), "created": ts(dispatched), "updated": ts(signed),
			}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMetricsMonthByDepartment computes a month's figures by
// department over a year of 100k appeals (docs/metrics.md has the figure).
func BenchmarkMetricsMonthByDepartment(b *testing.B) {
	benchmarkMetrics(b, analytics.ByDepartment, analytics.MonthPeriod(time.Date(2026, 6, 15, 0, 0, 0, 0, testenv.China)))
}

// BenchmarkMetricsYearByMonth computes the whole year's trend by month.
func BenchmarkMetricsYearByMonth(b *testing.B) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, testenv.China)
	benchmarkMetrics(b, analytics.ByMonth, analytics.Period{Label: "2026", From: from, To: from.AddDate(1, 0, 0)})
}

// BenchmarkMetricsYearByTownship computes the year by township (the map).
func BenchmarkMetricsYearByTownship(b *testing.B) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, testenv.China)
	benchmarkMetrics(b, analytics.ByTownship, analytics.Period{Label: "2026", From: from, To: from.AddDate(1, 0, 0)})
}

func benchmarkMetrics(b *testing.B, by analytics.Dimension, pr analytics.Period) {
	env := testenv.New(b)
	seedAppeals(b, env, benchAppeals)
	if _, err := env.App.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2027, 1, 10, 0, 0, 0, 0, testenv.China)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := analytics.Compute(env.App, pr, by, analytics.Scope{}, now)
		if err != nil {
			b.Fatal(err)
		}
		if f.Total.Received == 0 {
			b.Fatal("no appeals counted")
		}
	}
}
