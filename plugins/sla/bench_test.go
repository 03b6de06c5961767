package sla_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
)

// benchAppeals is the number of open appeals of the sweep benchmark; set
// SLA_BENCH_APPEALS to try other sizes (docs/performance.md uses 1,000,000).
func benchAppeals() int {
	if n, err := strconv.Atoi(os.Getenv("SLA_BENCH_APPEALS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// seedOpenAppeals inserts n handled appeals of department A, whose next
// timer checks lie in the future, straight into SQLite (a record save each
// would take far longer than the sweep under test).
func seedOpenAppeals(b *testing.B, env *testenv.Env, n int) {
	b.Helper()
	policy, err := env.App.FindFirstRecordByData("sla_policies", "code", "normal")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	err = env.App.RunInTransaction(func(tx core.App) error {
		q := tx.DB().NewQuery(`INSERT INTO appeals (id, ticket, status, kind, channel, title, content, priority,
			sla_policy, lead_department, sla_stage, sla_state, sla_start, sla_warn_at, sla_due_at, next_sla_at,
			due_finish, dispatched_at, created, updated)
			VALUES ({:id}, {:ticket}, 'handling', 'complaint', 'web', '测试工单', '测试内容测试内容', 'normal',
			{:policy}, {:dept}, 'finish', 'normal', {:start}, {:warn}, {:due}, {:warn}, {:due}, {:start}, {:start}, {:start})`).Prepare()
		defer q.Close()
		for i := 0; i < n; i++ {
			// spread warnings over the coming weeks, so none is due "now"
			warn := start.Add(30*24*time.Hour + time.Duration(i)*time.Second)
			_, err := q.Bind(dbx.Params{
				"id": fmt.Sprintf("b%014d", i), "ticket": fmt.Sprintf("SY261102%07d", i),
				"policy": policy.Id, "dept": env.DeptA.Id,
				"start": types.NowDateTime().String(), "warn": dt(warn), "due": dt(warn.Add(7 * 24 * time.Hour)),
			}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	checkpoint(b, env)
}

// checkpoint folds the write-ahead log into the database, so that the timed
// part does not pay for the bulk load's checkpoint.
func checkpoint(b *testing.B, env *testenv.Env) {
	b.Helper()
	if _, err := env.App.DB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
		b.Fatal(err)
	}
}

func dt(t time.Time) string { d, _ := types.ParseDateTime(t); return d.String() }

// makeDue moves k appeals' warning point into the past (as the clock
// passing would) and resets their state, outside the timed part.
func makeDue(b *testing.B, env *testenv.Env, k int) {
	b.Helper()
	past := dt(time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC))
	_, err := env.App.DB().NewQuery(`UPDATE appeals SET sla_state = 'normal', sla_warn_at = {:past}, next_sla_at = {:past}
		WHERE id IN (SELECT id FROM appeals ORDER BY id LIMIT {:k})`).Bind(dbx.Params{"past": past, "k": k}).Execute()
	if err != nil {
		b.Fatal(err)
	}
	checkpoint(b, env)
}

// BenchmarkSweep measures one sweep over a table of open appeals (1M by
// default) when none, 100 or 1,000 of them crossed their warning point
// since the last sweep; each crossing is a full workflow action (transaction,
// appeal update with its hooks, timeline entry).
func BenchmarkSweep(b *testing.B) {
	env := testenv.New(b)
	n := benchAppeals()
	seedOpenAppeals(b, env, n)
	env.SetNow(time.Date(2026, 11, 25, 9, 0, 0, 0, testenv.China))
	if v := os.Getenv("SLA_BENCH_PRAGMA"); v != "" {
		for _, db := range []interface {
			NewQuery(string) *dbx.Query
		}{env.App.NonconcurrentDB(), env.App.ConcurrentDB()} {
			if _, err := db.NewQuery("PRAGMA " + v).Execute(); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, crossed := range []int{0, 100, 1000} {
		b.Run(fmt.Sprintf("appeals=%d/crossed=%d", n, crossed), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				makeDue(b, env, crossed)
				b.StartTimer()
				res, err := env.SLA.Sweep()
				if err != nil || res.Warned != crossed {
					b.Fatalf("sweep: %+v %v", res, err)
				}
			}
		})
	}
}

// BenchmarkBarePocketBaseUpdate is the baseline of the same run: bare
// PocketBase updating 100 records of a plain collection, each app.Save in its
// own transaction, as the sweep's acts are.
func BenchmarkBarePocketBaseUpdate(b *testing.B) {
	env := testenv.New(b)
	c := core.NewBaseCollection("bare")
	c.Fields.Add(&core.TextField{Name: "state"}, &core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true})
	if err := env.App.Save(c); err != nil {
		b.Fatal(err)
	}
	records := make([]*core.Record, 100)
	for i := range records {
		records[i] = core.NewRecord(c)
		records[i].Set("state", "normal")
		if err := env.App.Save(records[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range records {
			r.Set("state", strconv.Itoa(i))
			if err := env.App.RunInTransaction(func(tx core.App) error { return tx.Save(r) }); err != nil {
				b.Fatal(err)
			}
		}
	}
}
