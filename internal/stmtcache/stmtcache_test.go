package stmtcache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// open answers a pool of one connection (so every statement meets the same
// cache) over a fresh file database with PocketBase's WAL journal, keeping
// size statements.
func open(t testing.TB, size int) *sql.DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "data.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)", size)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	mustExec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
	for i := 1; i <= 5; i++ {
		mustExec(t, db, "INSERT INTO t (id, name) VALUES (?, ?)", i, fmt.Sprintf("n%d", i))
	}
	return db
}

func mustExec(t testing.TB, db interface {
	Exec(string, ...any) (sql.Result, error)
}, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// kept answers the cache of the pool's only connection.
func kept(t testing.TB, db *sql.DB) *conn {
	t.Helper()
	sc, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	var c *conn
	if err := sc.Raw(func(dc any) error { c, _ = dc.(*conn); return nil }); err != nil {
		t.Fatal(err)
	}
	if c == nil {
		t.Fatal("the pool's connection is not a caching connection")
	}
	return c
}

func names(t testing.TB, q interface {
	Query(string, ...any) (*sql.Rows, error)
}, query string, args ...any) []string {
	t.Helper()
	rows, err := q.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRepeatedTextRunsTheKeptStatement: the second run of a text uses the
// statement the first one prepared, with the new arguments.
func TestRepeatedTextRunsTheKeptStatement(t *testing.T) {
	db := open(t, 16)
	const q = "SELECT name FROM t WHERE id = ?"
	if got := names(t, db, q, 2); !reflect.DeepEqual(got, []string{"n2"}) {
		t.Fatalf("first run %v", got)
	}
	c := kept(t, db)
	first := c.byText[q].Value.(*entry).stmt
	if got := names(t, db, q, 4); !reflect.DeepEqual(got, []string{"n4"}) {
		t.Fatalf("second run %v", got)
	}
	if c.byText[q].Value.(*entry).stmt != first {
		t.Error("the second run prepared the text again")
	}
	n, ok := Kept(c)
	if !ok || n == 0 {
		t.Errorf("Kept: %d, %v", n, ok)
	}
}

// TestSameTextWhileItsRowsAreOpen: inside a transaction database/sql lets a
// query run while another with the same text still has rows open; both
// answer all their rows.
func TestSameTextWhileItsRowsAreOpen(t *testing.T) {
	db := open(t, 16)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT name FROM t WHERE id >= ? ORDER BY id"
	outer, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var s string
		if err := outer.Scan(&s); err != nil {
			t.Fatal(err)
		}
		inner := names(t, tx, q, 4) // same text, outer still open
		got = append(got, s+":"+strings.Join(inner, ","))
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	want := []string{"n1:n4,n5", "n2:n4,n5", "n3:n4,n5", "n4:n4,n5", "n5:n4,n5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("nested runs %v, want %v", got, want)
	}
	// The kept statement is free again.
	if e := kept(t, nil2(db, tx)).byText[q].Value.(*entry); e.busy {
		t.Error("the statement stayed busy after its rows closed")
	}
}

// nil2 commits tx so that the pool's only connection is free for kept.
func nil2(db *sql.DB, tx *sql.Tx) *sql.DB {
	tx.Commit()
	return db
}

// TestEvictionKeepsTheBoundAndOpenRows: the least recently used statement
// goes once the bound is reached, even while its rows are open — they still
// answer every row, and the statement is finalized when they close.
func TestEvictionKeepsTheBoundAndOpenRows(t *testing.T) {
	db := open(t, 2)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	open, err := tx.Query("SELECT name FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	if !open.Next() {
		t.Fatal("no first row")
	}
	names(t, tx, "SELECT name FROM t WHERE id = ?", 1)
	names(t, tx, "SELECT name FROM t WHERE id = ? + 0", 2) // evicts the open one
	var got []string
	for {
		var s string
		if err := open.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
		if !open.Next() {
			break
		}
	}
	if err := open.Close(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"n1", "n2", "n3", "n4", "n5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows of the evicted statement %v, want %v", got, want)
	}
	tx.Commit()
	c := kept(t, db)
	if c.lru.Len() != 2 {
		t.Errorf("%d statements kept, want the bound 2", c.lru.Len())
	}
	if _, ok := c.byText["SELECT name FROM t ORDER BY id"]; ok {
		t.Error("the least recently used statement is still kept")
	}
	// The evicted text runs again (prepared afresh).
	if got := names(t, db, "SELECT name FROM t ORDER BY id"); len(got) != 5 {
		t.Errorf("evicted text answered %v", got)
	}
}

// TestSchemaChangeAfterAStatementWasKept: SQLite prepares a kept statement
// again when its table changed: a new column appears in SELECT *, a
// dropped table is an error, a recreated one is read.
func TestSchemaChangeAfterAStatementWasKept(t *testing.T) {
	db := open(t, 16)
	const star = "SELECT * FROM t WHERE id = ?"
	cols := func() []string {
		rows, err := db.Query(star, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, _ := rows.Columns()
		return c
	}
	if got := cols(); !reflect.DeepEqual(got, []string{"id", "name"}) {
		t.Fatalf("columns %v", got)
	}
	mustExec(t, db, "ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'x'")
	if got := cols(); !reflect.DeepEqual(got, []string{"id", "name", "note"}) {
		t.Errorf("after ALTER TABLE the kept statement answers columns %v", got)
	}

	const ins = "INSERT INTO t (id, name) VALUES (?, ?)"
	mustExec(t, db, ins, 10, "n10")
	mustExec(t, db, "DROP TABLE t")
	if _, err := db.Exec(ins, 11, "n11"); err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Errorf("insert into a dropped table: %v", err)
	}
	mustExec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, extra INTEGER DEFAULT 7)")
	mustExec(t, db, ins, 12, "n12")
	var extra int
	if err := db.QueryRow("SELECT extra FROM t WHERE id = ?", 12).Scan(&extra); err != nil || extra != 7 {
		t.Errorf("recreated table: extra %d, %v", extra, err)
	}
}

// TestErrorsAreNotKept: a text that does not prepare is not kept; a kept
// statement whose run fails is dropped, and the next run works.
func TestErrorsAreNotKept(t *testing.T) {
	db := open(t, 16)
	if _, err := db.Exec("INSERT INTO nowhere VALUES (1)"); err == nil {
		t.Fatal("no error for a missing table")
	}
	if _, err := db.Query("SELEC name FROM t"); err == nil {
		t.Fatal("no error for a syntax error")
	}
	const ins = "INSERT INTO t (id, name) VALUES (?, ?)"
	_, err := db.Exec(ins, 20, "n1")
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("duplicate name: %v", err)
	}
	c := kept(t, db)
	if _, ok := c.byText["INSERT INTO nowhere VALUES (1)"]; ok {
		t.Error("a text that failed to prepare is kept")
	}
	if _, ok := c.byText[ins]; ok {
		t.Error("the statement whose run failed is still kept")
	}
	mustExec(t, db, ins, 21, "n21")
	if got := names(t, db, "SELECT name FROM t WHERE id = ?", 21); !reflect.DeepEqual(got, []string{"n21"}) {
		t.Errorf("insert after the failure: %v", got)
	}
	// A cancelled query fails; the next one works.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.QueryContext(ctx, "SELECT name FROM t WHERE id = ?", 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled query: %v", err)
	}
	if got := names(t, db, "SELECT name FROM t WHERE id = ?", 1); !reflect.DeepEqual(got, []string{"n1"}) {
		t.Errorf("query after the cancelled one: %v", got)
	}
}

// TestTransactionsStayTransactions: kept statements run inside the
// transaction of their connection; a rollback undoes their writes and a
// reader on another connection does not see uncommitted rows.
func TestTransactionsStayTransactions(t *testing.T) {
	db := open(t, 16)
	db.SetMaxOpenConns(2)
	const ins = "INSERT INTO t (id, name) VALUES (?, ?)"
	const count = "SELECT count(*) FROM t"
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, ins, 30, "n30")
	var inside, outside int
	tx.QueryRow(count).Scan(&inside)
	db.QueryRow(count).Scan(&outside)
	if inside != 6 || outside != 5 {
		t.Errorf("inside %d, outside %d; want 6 and 5", inside, outside)
	}
	tx.Rollback()
	db.QueryRow(count).Scan(&outside)
	if outside != 5 {
		t.Errorf("after rollback %d rows, want 5", outside)
	}
}

// TestConcurrentPool: many goroutines on a pool of several connections get
// their own answers.
func TestConcurrentPool(t *testing.T) {
	db := open(t, 4)
	db.SetMaxOpenConns(4)
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := range 200 {
				id := (g+i)%5 + 1
				var name string
				q := fmt.Sprintf("SELECT name FROM t WHERE id = ? AND %d = %d", i%6, i%6) // 6 texts over a bound of 4
				if err := db.QueryRow(q, id).Scan(&name); err != nil || name != fmt.Sprintf("n%d", id) {
					errs <- fmt.Errorf("id %d: %q, %v", id, name, err)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
