package loadgen_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"siyang/internal/dbtune"
	"siyang/internal/sqlstmt"
	"siyang/internal/testenv"
	"siyang/plugins/loadgen"
)

// BenchmarkStat4 answers whether SQLite's STAT4 statistics (sqlite_stat4,
// written by ANALYZE and by PocketBase's PRAGMA optimize) help or hurt, on
// a copy of the seeded folder LOADGEN_DIR: the hot requests are sent once
// through the app with every SELECT logged; then two copies of its
// database are compared, one as it is (stat1 + stat4) and one with the
// stat4 rows deleted (stat1 only):
//
//	open/*      a new connection's open and first query (its schema load,
//	            which reads sqlite_stat1 and every stat4 sample)
//	queries/*   every logged SELECT once, on one connection
//
// and the query plans (EXPLAIN QUERY PLAN, through this binary's modernc
// SQLite) of every logged SELECT and every sqlstmt statement that differ
// between the two are logged (-test.v). Nothing is asserted.
func BenchmarkStat4(b *testing.B) {
	dir := os.Getenv("LOADGEN_DIR")
	if dir == "" {
		b.Skip("LOADGEN_DIR (a folder filled by siyang seed) is needed")
	}
	env := testenv.Reopen(b, dir)
	if _, err := env.Analytics.RefreshRollup(); err != nil {
		b.Fatal(err)
	}

	var mu sync.Mutex
	logged := map[string]bool{}
	pool := env.App.ConcurrentDB().(*dbx.DB)
	pool.QueryLogFunc = func(_ context.Context, _ time.Duration, q string, _ *sql.Rows, _ error) {
		mu.Lock()
		logged[q] = true
		mu.Unlock()
	}
	hotRequestsOnce(b, env)
	pool.QueryLogFunc = nil
	var queries []string
	for q := range logged {
		q = unquoteDBX.Replace(q)
		if t := strings.ToUpper(strings.TrimSpace(q)); strings.HasPrefix(t, "SELECT") || strings.HasPrefix(t, "WITH") {
			queries = append(queries, q)
		}
	}
	sort.Strings(queries)

	// Two copies of the database: as it is, and without the stat4 rows.
	if _, err := env.App.NonconcurrentDB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	with, without := filepath.Join(tmp, "stat4.db"), filepath.Join(tmp, "stat1.db")
	for _, to := range []string{with, without} {
		copyFile(b, filepath.Join(env.App.DataDir(), "data.db"), to)
	}
	open := func(path string) *sql.DB {
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
			"&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-"+fmt.Sprint(dbtune.Defaults().CacheMB*1024)+")")
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		return db
	}
	strip := open(without)
	var samples int
	if err := strip.QueryRow("SELECT COUNT(*) FROM sqlite_stat4").Scan(&samples); err != nil {
		b.Fatal(err)
	}
	if _, err := strip.Exec("DELETE FROM sqlite_stat4"); err != nil {
		b.Fatal(err)
	}
	strip.Close()
	b.Logf("%d logged SELECTs, %d sqlstmt statements; %d stat4 samples deleted in the stat1-only copy", len(queries), len(sqlstmt.Declared()), samples)

	dbs := map[string]*sql.DB{"with-stat4": open(with), "stat1-only": open(without)}
	defer func() {
		for _, db := range dbs {
			db.Close()
		}
	}()
	plans := map[string]map[string]string{}
	for name, db := range dbs {
		plans[name] = map[string]string{}
		for _, q := range queries {
			plans[name][q] = queryPlan(b, db, q, 0) // values inlined by dbx's log
		}
		for _, q := range sqlstmt.Declared() {
			if t := strings.ToUpper(strings.TrimSpace(q)); strings.HasPrefix(t, "SELECT") || strings.HasPrefix(t, "WITH") {
				plans[name][q] = queryPlan(b, db, q, strings.Count(q, "?"))
			}
		}
	}
	var differ []string
	for q, p := range plans["with-stat4"] {
		if o := plans["stat1-only"][q]; o != p {
			differ = append(differ, q)
			b.Logf("plan differs:\n%s\n-- with stat4:\n%s\n-- stat1 only:\n%s", clip(q, 600), p, o)
		}
	}
	b.Logf("%d of %d plans differ", len(differ), len(plans["with-stat4"]))
	// A differing sqlstmt statement (the queue's walks: ?1 department,
	// ?2 limit, ?3 ?4 cursor) run for the busiest handler's department.
	department := busiestHandler(b, env).GetString("department")
	for _, q := range differ {
		if !strings.Contains(q, "?") {
			continue
		}
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = ""
		}
		args[0], args[1] = department, 100
		for _, name := range []string{"with-stat4", "stat1-only"} {
			db := dbs[name]
			start, rows := time.Now(), 0
			for i := 0; i < 50; i++ {
				r, err := db.Query(q, args...)
				if err != nil {
					b.Fatalf("%v: %s", err, clip(q, 300))
				}
				for r.Next() {
					rows++
				}
				r.Close()
			}
			b.Logf("%s: %.3f ms a run (%d rows): %s", name, float64(time.Since(start).Microseconds())/50/1000, rows/50, clip(strings.Join(strings.Fields(q), " "), 160))
		}
	}
	// Every logged SELECT timed both ways (alternated, 3 runs each): those
	// whose plans differ, and those whose time differs by more than a
	// quarter and a millisecond.
	for _, q := range queries {
		took := map[string]time.Duration{}
		for round := 0; round < 3; round++ {
			for _, name := range []string{"with-stat4", "stat1-only"} {
				start := time.Now()
				r, err := dbs[name].Query(q)
				if err != nil {
					b.Fatalf("%v: %s", err, clip(q, 300))
				}
				for r.Next() {
				}
				r.Close()
				took[name] += time.Since(start)
			}
		}
		w, o := took["with-stat4"]/3, took["stat1-only"]/3
		planned := plans["with-stat4"][q] != plans["stat1-only"][q]
		if d := w - o; planned || (d > time.Millisecond || -d > time.Millisecond) && (d*4 > o || -d*4 > w) {
			b.Logf("query time (plans differ: %v): with stat4 %.2f ms, stat1 only %.2f ms: %s", planned, float64(w.Microseconds())/1000, float64(o.Microseconds())/1000,
				clip(strings.Join(strings.Fields(q), " "), 240))
		}
	}
	// New connections, alternated: open and first query (the schema load),
	// in wall time and in this process's CPU time (the machine is shared:
	// CPU time is what the other processes change least).
	opens, opensCPU := map[string]time.Duration{}, map[string]time.Duration{}
	for round := 0; round < 10; round++ {
		for _, name := range []string{"with-stat4", "stat1-only"} {
			path := with
			if name == "stat1-only" {
				path = without
			}
			start, cpu := time.Now(), processCPU()
			for i := 0; i < 10; i++ {
				db := open(path)
				var n int
				if err := db.QueryRow("SELECT COUNT(*) FROM (SELECT 1 FROM appeals LIMIT 1)").Scan(&n); err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
			opens[name] += time.Since(start)
			opensCPU[name] += processCPU() - cpu
		}
	}
	for _, name := range []string{"with-stat4", "stat1-only"} {
		b.Logf("open + first query, %s: %.2f ms wall, %.2f ms CPU (100, alternated)", name,
			float64(opens[name].Microseconds())/100/1000, float64(opensCPU[name].Microseconds())/100/1000)
	}
	// All logged SELECTs once, alternated, in CPU time.
	setCPU := map[string]time.Duration{}
	for round := 0; round < 5; round++ {
		for _, name := range []string{"with-stat4", "stat1-only"} {
			cpu := processCPU()
			for _, q := range queries {
				r, err := dbs[name].Query(q)
				if err != nil {
					b.Fatal(err)
				}
				for r.Next() {
				}
				r.Close()
			}
			setCPU[name] += processCPU() - cpu
		}
	}
	for _, name := range []string{"with-stat4", "stat1-only"} {
		b.Logf("every logged SELECT once, %s: %.1f ms CPU (mean of 5, alternated)", name, float64(setCPU[name].Microseconds())/5/1000)
	}

	for _, name := range []string{"with-stat4", "stat1-only"} {
		path := with
		if name == "stat1-only" {
			path = without
		}
		b.Run("open/"+name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				db := open(path)
				var n int
				if err := db.QueryRow("SELECT COUNT(*) FROM (SELECT 1 FROM appeals LIMIT 1)").Scan(&n); err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
		})
	}
	for _, name := range []string{"with-stat4", "stat1-only"} {
		db := dbs[name]
		b.Run("queries/"+name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, q := range queries {
					rows, err := db.Query(q)
					if err != nil {
						b.Fatalf("%v: %s", err, clip(q, 300))
					}
					for rows.Next() {
					}
					rows.Close()
				}
			}
		})
	}
}

// unquoteDBX turns dbx's logged quoting ([[column]], {{table}}) into SQL.
var unquoteDBX = strings.NewReplacer("[[", "", "]]", "", "{{", "", "}}", "")

// hotRequestsOnce sends each of BenchmarkAtScale's hot requests once.
func hotRequestsOnce(b *testing.B, env *testenv.Env) {
	server := httptest.NewServer(env.Handler(b))
	defer server.Close()
	handler := testenv.Token(b, busiestHandler(b, env))
	central := testenv.Token(b, env.Staff(b, "supervisor", ""))
	resident := testenv.Token(b, busiestResident(b, env))
	ticket := someTickets(b, env, 1)[0]
	cat := url.QueryEscape(fmt.Sprintf(`category = "%s"`, busiestCategory(b, env)))
	public := "/api/collections/public_appeals/records?page=1&perPage=10&skipTotal=1&sort=-created&expand=category,region"
	get := []struct{ path, token string }{
		{"/api/workbench/queue?view=todo&perPage=100", handler},
		{public, ""}, {public + "&filter=" + cat, ""},
		{"/api/portal/public-appeals/count?filter=", ""}, {"/api/portal/public-appeals/count?filter=" + cat, ""},
		{"/api/portal/latest-replies?perPage=5&expand=category,region", ""},
		{"/api/residents/appeals", resident},
		{"/api/analytics/metrics?by=department&month=2026-11", central},
		{"/api/analytics/metrics?by=township&year=2026", central},
		{"/api/analytics/metrics?by=day&month=2026-11", central},
		{"/api/sla/board", central},
		{"/api/analytics/hotspots?limit=20", central},
		{"/api/analytics/reports/monthly?month=2026-11", central},
	}
	send := func(method, path, body, token string) {
		req, err := http.NewRequest(method, server.URL+path, strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 300 {
			b.Fatalf("%s %s: %d", method, path, res.StatusCode)
		}
	}
	for _, g := range get {
		send("GET", g.path, "", g.token)
	}
	send("POST", "/api/track", fmt.Sprintf(`{"ticket":%q,"query_code":%q}`, ticket, loadgen.QueryCode(benchSeed, ticket)), "")
}

// queryPlan is q's plan with n parameters bound to NULL (a sqlstmt
// statement's parameters are CAST: their values do not change its plan).
func queryPlan(b *testing.B, db *sql.DB, q string, n int) string {
	args := make([]any, n)
	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return "error: " + err.Error()
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			b.Fatal(err)
		}
		out = append(out, detail)
	}
	return strings.Join(out, "\n")
}

// copyFile copies a database file by streaming it (a seeded 1M data.db
// is several GB).
func copyFile(b *testing.B, from, to string) {
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
