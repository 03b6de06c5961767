package overload_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/tools/router"
	_ "modernc.org/sqlite"

	"siyang/internal/overload"
)

// realErrors are errors SQLite (modernc, PocketBase's driver) really gives
// when busy: a read pool whose only connection is taken past the deadline,
// a statement interrupted at its deadline, a write lock held by another
// connection.
func realErrors(t *testing.T) map[string]error {
	path := filepath.Join(t.TempDir(), "data.db")
	open := func(busyMS int) *sql.DB {
		db, err := sql.Open("sqlite", fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)", path, busyMS))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(0), open(0)
	if _, err := a.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	out := map[string]error{}

	// the pool's only connection is in use: waiting for it passes the deadline
	a.SetMaxOpenConns(1)
	held, err := a.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	out["pool wait"] = a.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(new(int))
	cancel()
	held.Close()

	// a statement still running at its deadline
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	out["interrupted"] = b.QueryRowContext(ctx, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c").Scan(new(int))
	cancel()

	// another connection holds the write lock (busy_timeout 0)
	tx, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	_, out["locked"] = b.Exec("INSERT INTO t VALUES (2)")
	tx.Rollback()

	_, out["no such column"] = b.Exec("SELECT nosuch FROM t")
	for name, err := range out {
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
	}
	return out
}

func TestIs(t *testing.T) {
	real := realErrors(t)
	wrap := func(err error) error { return fmt.Errorf("%w; failed query: SELECT 1", err) } // as core/db_retry.go
	cases := []struct {
		name string
		err  error
		busy bool
	}{
		{"pool wait past the deadline", real["pool wait"], true},
		{"statement interrupted", real["interrupted"], true},
		{"write lock held", real["locked"], true},
		{"PocketBase's list answer", router.NewBadRequestError("", wrap(real["pool wait"])), true},
		{"PocketBase's view answer", router.NewNotFoundError("", wrap(real["interrupted"])), true},
		{"after-commit errors joined", errors.Join(nil, fmt.Errorf("transaction afterFunc errors: %w", wrap(real["locked"]))), true},
		{"deadline alone", context.DeadlineExceeded, true},
		{"client went away", context.Canceled, false},
		{"no such column", real["no such column"], false},
		{"no rows", sql.ErrNoRows, false},
		{"bad filter", router.NewBadRequestError("", errors.New("invalid filter")), false},
		{"validation", validation.Errors{"title": validation.NewError("validation_required", "Cannot be blank.")}, false},
		{"api error without cause", router.NewApiError(503, "暂时无法统计", nil), false},
		{"nil", nil, false},
	}
	for _, c := range cases {
		if got := overload.Is(c.err); got != c.busy {
			t.Errorf("%s (%v): Is = %v, want %v", c.name, c.err, got, c.busy)
		}
	}
}
