package loadgen_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/sqlstmt"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// BenchmarkIndexAudit answers which statements use each index of the
// tables an intake and a workflow step write (appeals, appeal_events,
// assignments, outbox), on a copy of the seeded folder LOADGEN_DIR: the
// hot requests, the other requests BenchmarkAtScale sends, intakes over
// HTTP and a whole closed loop through the workflow engine, an SLA sweep
// and a metric roll-up run are done with every statement logged; then
// every logged SELECT/UPDATE/DELETE and every sqlstmt statement is planned
// (EXPLAIN QUERY PLAN through this binary's modernc SQLite) and each index
// is listed with the statements whose plans name it (-test.v).
//
// INDEX_AUDIT_DROP (comma-separated index names) also plans every
// statement on a copy of the database without those indexes (and with
// INDEX_AUDIT_ADD's CREATE INDEX statements, ";"-separated, run after the
// drops: e.g. narrower indexes under the same names) and logs the plans
// that change, with each changed query's time both ways (values
// inlined by dbx's log; sqlstmt statements with NULL parameters are
// planned only). Nothing is asserted.
func BenchmarkIndexAudit(b *testing.B) {
	dir := os.Getenv("LOADGEN_DIR")
	if dir == "" {
		b.Skip("LOADGEN_DIR (a folder filled by siyang seed) is needed")
	}
	env := testenv.Reopen(b, dir)

	var mu sync.Mutex
	logged := map[string]bool{}
	logQuery := func(_ context.Context, _ time.Duration, q string, _ *sql.Rows, _ error) {
		mu.Lock()
		logged[q] = true
		mu.Unlock()
	}
	logExec := func(_ context.Context, _ time.Duration, q string, _ sql.Result, _ error) {
		mu.Lock()
		logged[q] = true
		mu.Unlock()
	}
	for _, db := range []*dbx.DB{env.App.ConcurrentDB().(*dbx.DB), env.App.NonconcurrentDB().(*dbx.DB)} {
		db.QueryLogFunc, db.ExecLogFunc = logQuery, logExec
	}
	hotRequestsOnce(b, env)
	otherRequestsOnce(b, env)
	closedLoopOnce(b, env)
	if _, err := env.SLA.Sweep(); err != nil {
		b.Fatal(err)
	}
	if _, err := env.Analytics.RefreshRollup(); err != nil {
		b.Fatal(err)
	}
	for _, db := range []*dbx.DB{env.App.ConcurrentDB().(*dbx.DB), env.App.NonconcurrentDB().(*dbx.DB)} {
		db.QueryLogFunc, db.ExecLogFunc = nil, nil
	}

	type statement struct {
		sql    string
		params int // sqlstmt: planned with NULLs
	}
	var stmts []statement
	for q := range logged {
		q = unquoteDBX.Replace(q)
		if plannable(q) {
			stmts = append(stmts, statement{sql: q})
		}
	}
	for _, q := range sqlstmt.Declared() {
		if plannable(q) {
			stmts = append(stmts, statement{sql: q, params: strings.Count(q, "?")})
		}
	}
	sort.Slice(stmts, func(i, j int) bool { return stmts[i].sql < stmts[j].sql })

	if _, err := env.App.NonconcurrentDB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	before, after := filepath.Join(tmp, "before.db"), filepath.Join(tmp, "after.db")
	copyFile(b, filepath.Join(env.App.DataDir(), "data.db"), before)
	open := func(path string) *sql.DB {
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=temp_store(MEMORY)")
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		return db
	}
	db := open(before)
	defer db.Close()

	indexes := map[string]string{} // name -> table
	rows, err := db.Query(`SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('appeals', 'appeal_events', 'assignments', 'outbox')`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			b.Fatal(err)
		}
		indexes[name] = table
	}
	rows.Close()

	plans := map[string]string{}
	for _, s := range stmts {
		plans[s.sql] = queryPlan(b, db, s.sql, s.params)
	}
	b.Logf("%d logged statements and sqlstmt statements planned", len(stmts))
	var names []string
	for name := range indexes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		uses := regexp.MustCompile(`INDEX ` + regexp.QuoteMeta(name) + `\b`)
		var users []string
		for _, s := range stmts {
			if uses.MatchString(plans[s.sql]) {
				users = append(users, "    "+clip(strings.Join(strings.Fields(s.sql), " "), 200))
			}
		}
		b.Logf("%s (%s): %d statements\n%s", name, indexes[name], len(users), strings.Join(users, "\n"))
	}

	drop := strings.Split(os.Getenv("INDEX_AUDIT_DROP"), ",")
	if drop[0] == "" {
		return
	}
	copyFile(b, before, after)
	without := open(after)
	defer without.Close()
	for _, name := range drop {
		if _, err := without.Exec("DROP INDEX IF EXISTS " + strings.TrimSpace(name)); err != nil {
			b.Fatal(err)
		}
	}
	addIndexes(b, without)
	changed := 0
	for _, s := range stmts {
		p := queryPlan(b, without, s.sql, s.params)
		if p == plans[s.sql] {
			continue
		}
		changed++
		line := fmt.Sprintf("plan changes:\n%s\n-- before:\n%s\n-- after:\n%s", clip(s.sql, 600), plans[s.sql], p)
		if s.params == 0 && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s.sql)), "SELECT") {
			was, now := timeQuery(b, db, without, s.sql)
			line += fmt.Sprintf("\n-- time: before %.3f ms, after %.3f ms (mean of 5 after a warm-up, alternated)", was, now)
		}
		b.Log(line)
	}
	b.Logf("%d of %d plans change without %v", changed, len(stmts), drop)

}

// BenchmarkIndexWrites is the write cost alone of the indexes named in
// INDEX_AUDIT_DROP, on two copies of LOADGEN_DIR's database as seeded (one
// as it is, one without those indexes and with INDEX_AUDIT_ADD's): an appeal inserted and taken
// through accept, dispatch and sign (writeLoop), alternately on the two
// copies, three rounds.
func BenchmarkIndexWrites(b *testing.B) {
	dir, drop := os.Getenv("LOADGEN_DIR"), os.Getenv("INDEX_AUDIT_DROP")
	if dir == "" || drop == "" {
		b.Skip("LOADGEN_DIR (a folder filled by siyang seed) and INDEX_AUDIT_DROP are needed")
	}
	tmp := b.TempDir()
	dbs := map[string]*sql.DB{}
	for _, side := range []string{"with", "without"} {
		path := filepath.Join(tmp, side+".db")
		copyFile(b, filepath.Join(dir, "data.db"), path)
		if _, err := os.Stat(filepath.Join(dir, "data.db-wal")); err == nil {
			copyFile(b, filepath.Join(dir, "data.db-wal"), path+"-wal")
		}
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)")
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		defer db.Close()
		dbs[side] = db
	}
	for _, name := range strings.Split(drop, ",") {
		if _, err := dbs["without"].Exec("DROP INDEX IF EXISTS " + strings.TrimSpace(name)); err != nil {
			b.Fatal(err)
		}
	}
	addIndexes(b, dbs["without"])
	for round := 0; round < 3; round++ {
		for _, side := range []string{"with", "without"} {
			b.Run(side, func(b *testing.B) { writeLoop(b, dbs[side]) })
		}
	}
}

// writeLoop inserts b.N appeals into db as copies of its newest submitted
// one and moves each through the first steps of the workflow.
func writeLoop(b *testing.B, db *sql.DB) {
	var template int64
	if err := db.QueryRow("SELECT rowid FROM appeals WHERE status = 'submitted' ORDER BY created DESC LIMIT 1").Scan(&template); err != nil {
		b.Fatal(err)
	}
	var lead string
	if err := db.QueryRow("SELECT id FROM departments LIMIT 1").Scan(&lead); err != nil {
		b.Fatal(err)
	}
	rows, err := db.Query("SELECT name FROM pragma_table_info('appeals')")
	if err != nil {
		b.Fatal(err)
	}
	var cols, values []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			b.Fatal(err)
		}
		v := c
		switch c {
		case "id", "ticket":
			v = "?"
		case "created", "updated":
			v = "strftime('%Y-%m-%d %H:%M:%fZ')"
		}
		cols, values = append(cols, `"`+c+`"`), append(values, v)
	}
	rows.Close()
	insert := "INSERT INTO appeals (" + strings.Join(cols, ",") + ") SELECT " + strings.Join(values, ",") + " FROM appeals WHERE rowid = ?"
	steps := []string{
		"UPDATE appeals SET status = 'accepted', accepted_at = strftime('%Y-%m-%d %H:%M:%fZ'), updated = strftime('%Y-%m-%d %H:%M:%fZ') WHERE id = ?",
		"UPDATE appeals SET status = 'dispatched', lead_department = '" + lead + "', dispatched_at = strftime('%Y-%m-%d %H:%M:%fZ'), due_finish = '2099-01-01 00:00:00.000Z', sla_due_at = '2099-01-01 00:00:00.000Z', next_sla_at = '2099-01-01 00:00:00.000Z', updated = strftime('%Y-%m-%d %H:%M:%fZ') WHERE id = ?",
		"UPDATE appeals SET status = 'handling', updated = strftime('%Y-%m-%d %H:%M:%fZ') WHERE id = ?",
	}
	// The WAL's growth is what the commits wrote (every page an index
	// entry changed is written whole): no automatic checkpoint during the
	// loop, one at the end to empty it again.
	if _, err := db.Exec("PRAGMA wal_autocheckpoint = 0"); err != nil {
		b.Fatal(err)
	}
	wal := func() int64 {
		var path string
		if err := db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
			b.Fatal(err)
		}
		st, err := os.Stat(path + "-wal")
		if err != nil {
			return 0
		}
		return st.Size()
	}
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	cpu := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("ix%013d", time.Now().UnixNano()%1e13)
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(insert, id, "T"+id, template); err != nil {
			b.Fatal(err)
		}
		for _, step := range steps {
			if _, err := tx.Exec(step, id); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(wal())/1024/float64(b.N), "wal-KB/op")
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
}

// addIndexes runs the CREATE INDEX statements of INDEX_AUDIT_ADD (separated
// by ";") on db, after INDEX_AUDIT_DROP's drops: a replacement of a dropped
// index (e.g. a narrower one under the same name) is then planned and
// written instead of it. Each is ANALYZEd, as the seeded folder is.
func addIndexes(b *testing.B, db *sql.DB) {
	for _, q := range strings.Split(os.Getenv("INDEX_AUDIT_ADD"), ";") {
		if q = strings.TrimSpace(q); q == "" {
			continue
		}
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("INDEX_AUDIT_ADD %q: %v", q, err)
		}
		if m := regexp.MustCompile(`(?i)INDEX\s+(?:IF NOT EXISTS\s+)?[\x60"\[]?(\w+)`).FindStringSubmatch(q); m != nil {
			if _, err := db.Exec("ANALYZE " + m[1]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// plannable is whether q is a statement whose plan can name an index.
func plannable(q string) bool {
	t := strings.ToUpper(strings.TrimSpace(q))
	for _, p := range []string{"SELECT", "WITH", "UPDATE", "DELETE"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// timeQuery answers q's mean time in ms on a and on b, alternated, after
// one run each to warm the page cache.
func timeQuery(tb testing.TB, a, b *sql.DB, q string) (float64, float64) {
	var took [2]time.Duration
	for round := -1; round < 5; round++ {
		for i, db := range []*sql.DB{a, b} {
			start := time.Now()
			rows, err := db.Query(q)
			if err != nil {
				tb.Fatalf("%v: %s", err, clip(q, 300))
			}
			for rows.Next() {
			}
			rows.Close()
			if round >= 0 {
				took[i] += time.Since(start)
			}
		}
	}
	return float64(took[0].Microseconds()) / 5000, float64(took[1].Microseconds()) / 5000
}

// otherRequestsOnce sends once the requests of BenchmarkAtScale that
// hotRequestsOnce does not, and the staff's generic record lists.
func otherRequestsOnce(b *testing.B, env *testenv.Env) {
	server := httptest.NewServer(env.Handler(b))
	defer server.Close()
	handler := testenv.Token(b, busiestHandler(b, env))
	central := testenv.Token(b, env.Staff(b, "supervisor", ""))
	q := url.QueryEscape
	cat := q(fmt.Sprintf(`category = "%s"`, busiestCategory(b, env)))
	since := time.Now().AddDate(0, -3, 0).UTC().Format("2006-01-02 15:04:05.000Z")
	search := q(fmt.Sprintf(`(title ~ "路灯" || content ~ "路灯") && created >= "%s"`, since))
	open := q(`status = "dispatched" || status = "handling" || status = "suspended"`)
	var town string
	if err := env.App.DB().NewQuery("SELECT region FROM appeals WHERE region != '' GROUP BY region ORDER BY COUNT(*) DESC LIMIT 1").Row(&town); err != nil {
		b.Fatal(err)
	}
	operator := testenv.Token(b, env.Staff(b, "operator", ""))
	list := func(filter, sort string) string {
		return "/api/collections/appeals/records?page=1&perPage=30&skipTotal=1&sort=" + sort + "&filter=" + q(filter)
	}
	for _, g := range []struct{ path, token string }{
		{"/api/collections/appeals/records?page=1&perPage=30&skipTotal=1&sort=sla_due_at&filter=" + open, handler},
		{"/api/collections/appeals/records?page=1&perPage=30&sort=-created", central},
		{"/api/collections/appeals/records?page=1&perPage=30&sort=-created&filter=" + q(`status = "submitted"`), central},
		{"/api/collections/appeals/records?page=1&perPage=30&sort=-created&filter=" + cat, central},
		{"/api/collections/public_appeals/records?page=1&perPage=10&sort=-created&expand=category,region", ""},
		{"/api/collections/public_appeals/records?perPage=5&skipTotal=1&sort=-replied_at,-created&filter=" + q(`reply != ""`), handler},
		{"/api/collections/public_appeals/records?perPage=10&skipTotal=1&sort=-created&filter=" + search, ""},
		{"/api/portal/public-appeals/count?filter=" + search, ""},
		{"/api/collections/public_appeals/records?page=1&perPage=10&skipTotal=1&sort=-created&filter=" + cat, ""},
		{"/api/analytics/metrics?by=category&month=2026-11", central},
		{"/api/analytics/metrics?by=month&from=2025-12-01&to=2026-11-30", central},
		{"/api/workbench/queue?view=todo&perPage=30", handler},
		// appeals.js by township; the home page's figures
		{"/api/collections/public_appeals/records?page=1&perPage=10&skipTotal=1&sort=-created&filter=" + q(fmt.Sprintf(`region = "%s"`, town)), ""},
		{"/api/portal/public-appeals/count?filter=" + q(fmt.Sprintf(`region = "%s"`, town)), ""},
		{"/api/portal/stats", ""},
		{"/api/portal/scorecards", ""},
		// console.js's queues
		{list(`status = "submitted"`, "-urgent_flag,-priority,created"), operator},
		{list(`status = "accepted"`, "-priority,accepted_at"), operator},
		{list(`status = "replied"`, "replied_at"), operator},
		{list(`status = "callback"`, "due_callback"), operator},
		{list(`status = "dispatched" || status = "handling" || status = "suspended"`, "sla_due_at"), operator},
		{list(`ticket ~ "2026"`, "-created"), operator},
	} {
		req, err := http.NewRequest("GET", server.URL+g.path, nil)
		if err != nil {
			b.Fatal(err)
		}
		if g.token != "" {
			req.Header.Set("Authorization", g.token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 300 {
			b.Logf("GET %s: %d", g.path, res.StatusCode)
		}
	}
	for i := 0; i < 3; i++ {
		sub := testenv.SampleSubmission()
		sub.Title = fmt.Sprintf("%s（%d 号楼）", sub.Title, i)
		body, err := json.Marshal(sub)
		if err != nil {
			b.Fatal(err)
		}
		res, err := http.Post(server.URL+"/api/appeals", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 300 {
			b.Logf("POST /api/appeals: %d", res.StatusCode)
		}
	}
}

// closedLoopOnce drives one new appeal through every step of the loop in
// the busiest handler's department.
func closedLoopOnce(b *testing.B, env *testenv.Env) {
	handler := busiestHandler(b, env)
	operator := env.Staff(b, "operator", "")
	resident := busiestResident(b, env)
	receipt, err := env.Engine.Submit(env.App, testenv.SampleSubmission(), workflow.ActorFromAuth(resident))
	if err != nil {
		b.Fatal(err)
	}
	a := receipt.Appeal
	yes := true
	for _, step := range []struct {
		action string
		actor  *core.Record
		in     workflow.Input
	}{
		{"accept", operator, workflow.Input{}},
		{"dispatch", operator, workflow.Input{Department: handler.GetString("department")}},
		{"sign", handler, workflow.Input{}},
		{"reply", handler, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"}},
		{"approve_reply", operator, workflow.Input{}},
		{"rate", operator, workflow.Input{Satisfaction: "satisfied", Resolved: &yes}},
	} {
		res, err := env.Engine.Perform(env.App, workflow.Request{Appeal: a.Id, Action: step.action, Actor: workflow.ActorFromAuth(step.actor), Input: step.in})
		if err != nil {
			b.Fatalf("%s: %v", step.action, err)
		}
		a = res.Appeal
	}
}
