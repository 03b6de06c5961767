package sqlstmt_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/sqlstmt"
)

var (
	insertThing = sqlstmt.New("INSERT INTO things (id, name) VALUES (?, ?)")
	thingName   = sqlstmt.New("SELECT name FROM things WHERE id = ?")
	countThings = sqlstmt.New("SELECT count(*) FROM things")
)

func newApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	c := core.NewBaseCollection("things")
	c.Fields.Add(&core.TextField{Name: "name"})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	return app
}

func nameOf(t *testing.T, app core.App, id string) string {
	t.Helper()
	var name string
	if err := thingName.QueryRow(context.Background(), app, id).Scan(&name); err != nil {
		t.Fatalf("name of %s: %v", id, err)
	}
	return name
}

func count(t *testing.T, app core.App) int {
	t.Helper()
	var n int
	if err := countThings.QueryRow(context.Background(), app).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Reads and writes outside a transaction, repeated, answer what is stored;
// a missing row is sql.ErrNoRows.
func TestStatementsOnPools(t *testing.T) {
	app := newApp(t)
	ctx := context.Background()
	for i := range 5 {
		if _, err := insertThing.Exec(ctx, app, fmt.Sprintf("thing%09d", i), fmt.Sprint("名", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		if got := nameOf(t, app, fmt.Sprintf("thing%09d", i)); got != fmt.Sprint("名", i) {
			t.Fatalf("thing %d: %q", i, got)
		}
	}
	var name string
	if err := thingName.QueryRow(ctx, app, "missing").Scan(&name); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("missing row: %v", err)
	}
	// The PocketBase record API sees rows written through a statement.
	r, err := app.FindRecordById("things", "thing000000003")
	if err != nil || r.GetString("name") != "名3" {
		t.Fatalf("record API: %v %v", r, err)
	}
}

// Inside a transaction statements see its uncommitted rows, and a rolled
// back transaction leaves nothing — whether or not the app used the
// statements outside a transaction before (the pool is learnt lazily).
func TestStatementsInTransactions(t *testing.T) {
	for _, warm := range []bool{false, true} {
		t.Run(fmt.Sprint("warm=", warm), func(t *testing.T) {
			app := newApp(t)
			ctx := context.Background()
			if warm && count(t, app) != 0 {
				t.Fatal("fresh table not empty")
			}
			failure := errors.New("roll back")
			err := app.RunInTransaction(func(tx core.App) error {
				if _, err := insertThing.Exec(ctx, tx, "rolledback0001", "甲"); err != nil {
					return err
				}
				if nameOf(t, tx, "rolledback0001") != "甲" || count(t, tx) != 1 {
					t.Fatal("transaction does not see its own row")
				}
				return failure
			})
			if !errors.Is(err, failure) {
				t.Fatalf("transaction: %v", err)
			}
			if n := count(t, app); n != 0 {
				t.Fatalf("rolled back row visible: %d", n)
			}
			for i := range 3 {
				err := app.RunInTransaction(func(tx core.App) error {
					_, err := insertThing.Exec(ctx, tx, fmt.Sprintf("committed%05d", i), "乙")
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if n := count(t, app); n != 3 {
				t.Fatalf("committed rows: %d", n)
			}
		})
	}
}

// A statement prepared before its table changes keeps answering afterwards
// (SQLite re-prepares it), e.g. when a migration adds a field.
func TestStatementsSurviveSchemaChanges(t *testing.T) {
	app := newApp(t)
	ctx := context.Background()
	if _, err := insertThing.Exec(ctx, app, "schema00000001", "丙"); err != nil {
		t.Fatal(err)
	}
	if nameOf(t, app, "schema00000001") != "丙" {
		t.Fatal("before the change")
	}
	c, err := app.FindCollectionByNameOrId("things")
	if err != nil {
		t.Fatal(err)
	}
	c.Fields.Add(&core.NumberField{Name: "size"})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	if nameOf(t, app, "schema00000001") != "丙" {
		t.Fatal("after the change")
	}
	if _, err := insertThing.Exec(ctx, app, "schema00000002", "丁"); err != nil {
		t.Fatal(err)
	}
	if count(t, app) != 2 {
		t.Fatal("count after the change")
	}
}

// Many readers at once share the prepared statements and each gets its own
// answer.
func TestStatementsConcurrently(t *testing.T) {
	app := newApp(t)
	ctx := context.Background()
	for i := range 20 {
		if _, err := insertThing.Exec(ctx, app, fmt.Sprintf("concurrent%04d", i), fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := (g + i) % 20
				var name string
				if err := thingName.QueryRow(ctx, app, fmt.Sprintf("concurrent%04d", k)).Scan(&name); err != nil || name != fmt.Sprint(k) {
					errs <- fmt.Errorf("row %d: %q %v", k, name, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// BenchmarkLookup compares one indexed lookup through a prepared statement
// with the same lookup through PocketBase's query builder (parsed each time).
func BenchmarkLookup(b *testing.B) {
	app, err := tests.NewTestApp(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer app.Cleanup()
	c := core.NewBaseCollection("things")
	c.Fields.Add(&core.TextField{Name: "name"})
	c.Fields.Add(&core.TextField{Name: "kind"})
	c.AddIndex("idx_things_kind", false, "kind, name", "")
	if err := app.Save(c); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for i := range 1000 {
		if _, err := insertThing.Exec(ctx, app, fmt.Sprintf("bench%010d", i), fmt.Sprint("名", i)); err != nil {
			b.Fatal(err)
		}
	}
	// A ticket-lookup-like shape: one row by key, a join, a few expressions.
	const query = "SELECT t.name, coalesce(u.name, '') || CASE WHEN t.kind = '' THEN '无' ELSE t.kind END FROM things t LEFT JOIN things u ON u.id = t.kind WHERE t.id = ? AND t.name <> '' LIMIT 1"
	prepared := sqlstmt.New(query)
	b.Run("prepared", func(b *testing.B) {
		var name, label string
		for i := 0; b.Loop(); i++ {
			if err := prepared.QueryRow(ctx, app, fmt.Sprintf("bench%010d", i%1000)).Scan(&name, &label); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dbx", func(b *testing.B) {
		dbxQuery := "SELECT t.name, coalesce(u.name, '') || CASE WHEN t.kind = '' THEN '无' ELSE t.kind END FROM things t LEFT JOIN things u ON u.id = t.kind WHERE t.id = {:id} AND t.name <> '' LIMIT 1"
		var name, label string
		for i := 0; b.Loop(); i++ {
			err := app.ConcurrentDB().NewQuery(dbxQuery).Bind(map[string]any{"id": fmt.Sprintf("bench%010d", i%1000)}).Row(&name, &label)
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
