package sqlstmt

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

var insertWarm = New("INSERT INTO warm (id, name) VALUES (?, ?)")

// Once the app has been used outside a transaction, its declared statements
// are prepared on the write connection and transactions reuse them (instead
// of preparing their own), with the same results.
func TestTransactionsReuseWarmedStatements(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	c := core.NewBaseCollection("warm")
	c.Fields.Add(&core.TextField{Name: "name"})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := insertWarm.Exec(ctx, app, "outside0000001", "甲"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for cacheOf(app).ready(insertWarm.query) == nil {
		if time.Now().After(deadline) {
			t.Fatal("the write connection was not warmed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	failure := errors.New("roll back")
	err = app.RunInTransaction(func(tx core.App) error {
		if _, err := insertWarm.Exec(ctx, tx, "inside00000001", "乙"); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatal(err)
	}
	err = app.RunInTransaction(func(tx core.App) error {
		_, err := insertWarm.Exec(ctx, tx, "inside00000002", "丙")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := app.DB().NewQuery("SELECT id FROM warm ORDER BY id").Column(&ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != "inside00000002" || ids[1] != "outside0000001" {
		t.Fatalf("rows: %v", ids)
	}
}
