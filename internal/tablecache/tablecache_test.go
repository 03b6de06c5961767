package tablecache_test

import (
	"errors"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/tablecache"
)

// A cached list follows creates, updates, deletes and rolled-back
// transactions of its collection, and is not reloaded while nothing changes.
func TestCacheFollowsChanges(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	c := core.NewBaseCollection("things")
	c.Fields.Add(&core.TextField{Name: "name"})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	loads := 0
	cache := tablecache.New(app, func(app core.App) ([]string, error) {
		loads++
		var names []string
		err := app.DB().NewQuery("SELECT name FROM things ORDER BY name").Column(&names)
		return names, err
	}, "things")
	get := func() []string {
		t.Helper()
		v, err := cache.Get(app)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if len(get()) != 0 || len(get()) != 0 || loads != 1 {
		t.Fatalf("empty table: loads %d", loads)
	}
	r := core.NewRecord(c)
	r.Set("name", "a")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	if v := get(); len(v) != 1 || v[0] != "a" {
		t.Fatalf("create not seen: %v", v)
	}
	r.Set("name", "b")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	if v := get(); len(v) != 1 || v[0] != "b" {
		t.Fatalf("update not seen: %v", v)
	}
	// a change rolled back with its transaction is not kept
	rollback := errors.New("roll back")
	err = app.RunInTransaction(func(tx core.App) error {
		x := core.NewRecord(c)
		x.Set("name", "c")
		if err := tx.Save(x); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if v := get(); len(v) != 1 || v[0] != "b" {
		t.Fatalf("rolled-back create kept: %v", v)
	}
	if err := app.Delete(r); err != nil {
		t.Fatal(err)
	}
	if v := get(); len(v) != 0 {
		t.Fatalf("delete not seen: %v", v)
	}
	before := loads
	get()
	get()
	if loads != before {
		t.Fatalf("reloaded without a change")
	}
}
