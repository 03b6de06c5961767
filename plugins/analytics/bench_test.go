package analytics_test

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
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

// BenchmarkMetrics computes the figures over a year of 100k generated
// appeals, or over a copy of the folder METRICS_DIR filled by `siyang seed`
// (e.g. 1M appeals): from the roll-up (Answer) and live (Compute), a month
// and the whole year by department, township and category; the other
// dashboard requests over HTTP; and it times a full roll-up rebuild and the
// refresh of one dirty month (docs/metrics.md, docs/performance.md). The
// live year breakdowns take seconds each: -benchtime 3x is enough, and
// -bench 'Metrics$/[^l]' leaves them out.
func BenchmarkMetrics(b *testing.B) {
	env, now := metricsBenchEnv(b)
	env.SetNow(now)
	started := time.Now()
	if _, err := env.Analytics.RefreshRollup(); err != nil {
		b.Fatal(err)
	}
	b.Logf("first roll-up run (a full rebuild) %s", time.Since(started).Round(time.Millisecond))
	cn := testenv.China
	month := analytics.MonthPeriod(now.AddDate(0, -5, 0))
	year := time.Date(month.From.In(cn).Year(), 1, 1, 0, 0, 0, 0, cn)

	b.Run("rebuild", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := analytics.Rebuild(env.App, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("refresh-month", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := env.App.DB().NewQuery("UPDATE metric_months SET dirty = 1 WHERE month = {:m}").Bind(dbx.Params{"m": month.Label}).Execute(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := env.Analytics.RefreshRollup()
			if err != nil {
				b.Fatal(err)
			}
			if res.Rebuilt || len(res.Months) != 1 {
				b.Fatalf("refreshed %+v, want %s", res, month.Label)
			}
		}
	})
	// the job's usual run: one appeal answered on the current month's last
	// day changed through the app (its hooks mark that day), then the run
	// recomputes that day (and the days since the last run), not the month
	b.Run("refresh-day", func(b *testing.B) {
		var ids []string
		cur := analytics.MonthPeriod(now)
		if err := env.App.DB().NewQuery(`SELECT id FROM appeals WHERE replied_at >= {:from} AND replied_at < {:now} AND due_finish != ''
			ORDER BY replied_at DESC LIMIT 1`).Bind(dbx.Params{"from": cur.From.UTC().Format(types.DefaultDateLayout), "now": now.UTC().Format(types.DefaultDateLayout)}).Column(&ids); err != nil {
			b.Fatal(err)
		}
		if len(ids) == 0 {
			b.Skip("no appeal answered in the current month")
		}
		id := ids[0]
		change := func(i int) {
			r, err := env.App.FindRecordById("appeals", id)
			if err != nil {
				b.Fatal(err)
			}
			due := r.GetDateTime("due_finish")
			r.Set("due_finish", due.Time().Add(time.Duration(1-2*(i%2))*time.Hour))
			if err := env.App.Save(r); err != nil {
				b.Fatal(err)
			}
		}
		// the first run after a start computes the month whole, with its
		// day cells (untimed; logged)
		b.StopTimer()
		change(1)
		started := time.Now()
		res, err := env.Analytics.RefreshRollup()
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("first run after a start: %+v in %s", res, time.Since(started).Round(time.Millisecond))
		b.StartTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			change(i)
			b.StartTimer()
			res, err := env.Analytics.RefreshRollup()
			if err != nil {
				b.Fatal(err)
			}
			if res.Rebuilt || len(res.Months) != 1 || len(res.Days) == 0 {
				b.Fatalf("refreshed %+v, want a few days of the current month", res)
			}
			if i == 0 {
				b.Logf("refreshed %v at %v", res.Months, res.Days)
			}
		}
	})
	periods := []struct {
		name string
		pr   analytics.Period
	}{
		{"month", month},
		{"year", analytics.Period{Label: year.Format("2006"), From: year, To: year.AddDate(1, 0, 0)}},
	}
	dims := []analytics.Dimension{analytics.ByDepartment, analytics.ByTownship, analytics.ByCategory}
	// "rollup" asks again and again (kept answers, as the dashboard's
	// repeated questions within a job interval); "rollup-fresh" empties
	// the kept answers before each (the first request after a job run).
	for _, fresh := range []bool{false, true} {
		for _, p := range periods {
			for _, by := range dims {
				name := "rollup"
				if fresh {
					name = "rollup-fresh"
				}
				b.Run(fmt.Sprintf("%s/%s/%s", name, p.name, by), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if fresh {
							env.Analytics.ForgetAnswers()
						}
						f, err := env.Analytics.Answer(p.pr, by, analytics.Scope{}, now)
						if err != nil {
							b.Fatal(err)
						}
						if f.Total.Received == 0 || !f.Rollup {
							b.Fatalf("received %d, from the roll-up %v", f.Total.Received, f.Rollup)
						}
					}
				})
			}
		}
	}

	// the data dashboard's and the monthly report's other requests
	supervisor := env.Staff(b, "supervisor", "")
	current := analytics.MonthPeriod(now)
	trendFrom := current.From.AddDate(0, -11, 0).Format("2006-01-02")
	trendTo := current.To.AddDate(0, 0, -1).Format("2006-01-02")
	for _, req := range []struct{ name, url string }{
		{"dashboard/department", "/api/analytics/metrics?by=department&month=" + current.Label},
		{"dashboard/township", "/api/analytics/metrics?by=township&month=" + current.Label},
		{"dashboard/day", "/api/analytics/metrics?by=day&month=" + current.Label},
		{"dashboard/12-months", "/api/analytics/metrics?by=month&from=" + trendFrom + "&to=" + trendTo},
		{"dashboard/sla-board", "/api/sla/board"},
		{"dashboard/hotspots", "/api/analytics/hotspots?limit=20"},
		{"report/monthly", "/api/analytics/reports/monthly?month=" + current.Label},
	} {
		for _, fresh := range []bool{false, true} {
			name := req.name
			if fresh {
				name = strings.Replace(name, "/", "-fresh/", 1)
			}
			b.Run(name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if fresh {
						env.Analytics.ForgetAnswers()
						if req.name == "dashboard/sla-board" {
							// the SLA plugin keeps the board: a saved
							// department (a label) empties it
							b.StopTimer()
							touchDepartment(b, env)
							b.StartTimer()
						}
					}
					if res := env.Call(b, "GET", req.url, nil, supervisor); res.Status != 200 {
						b.Fatalf("%s: %d %s", req.url, res.Status, res.Body)
					}
				}
			})
		}
	}

	for _, p := range periods {
		for _, by := range dims {
			b.Run(fmt.Sprintf("live/%s/%s", p.name, by), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					f, err := analytics.Compute(env.App, p.pr, by, analytics.Scope{}, now)
					if err != nil {
						b.Fatal(err)
					}
					if f.Total.Received == 0 {
						b.Fatal("no appeals counted")
					}
				}
			})
		}
	}
}

// touchDepartment saves a department unchanged: its hooks run as for a
// rename.
func touchDepartment(b *testing.B, env *testenv.Env) {
	d, err := env.App.FindFirstRecordByFilter("departments", "id != ''")
	if err != nil {
		b.Fatal(err)
	}
	if err := env.App.Save(d); err != nil {
		b.Fatal(err)
	}
}

// metricsBenchEnv is a copy of METRICS_DIR with its "now" just after its
// last submission, or else a year of benchAppeals generated appeals with
// now in the January after.
func metricsBenchEnv(b *testing.B) (*testenv.Env, time.Time) {
	if dir := os.Getenv("METRICS_DIR"); dir != "" {
		env := testenv.Reopen(b, dir)
		var last string
		if err := env.App.DB().NewQuery("SELECT MAX(created) FROM appeals").Row(&last); err != nil {
			b.Fatal(err)
		}
		t, err := types.ParseDateTime(last)
		if err != nil {
			b.Fatal(err)
		}
		return env, t.Time().Add(time.Minute)
	}
	env := testenv.New(b)
	seedAppeals(b, env, benchAppeals)
	if _, err := env.App.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
	return env, time.Date(2027, 1, 10, 0, 0, 0, 0, testenv.China)
}
