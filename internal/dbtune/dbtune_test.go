package dbtune

import (
	"context"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	_ "github.com/pocketbase/pocketbase/migrations" // PocketBase's system tables

	"siyang/internal/stmtcache"
)

// TestConnectUsesTheCacheSize: a connection opened by Connect has the page
// cache of the settings and PocketBase's WAL journal.
func TestConnectUsesTheCacheSize(t *testing.T) {
	db, err := (&Settings{CacheMB: 4}).Connect(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var cache int
	var journal string
	if err := db.NewQuery("PRAGMA cache_size").Row(&cache); err != nil {
		t.Fatal(err)
	}
	if err := db.NewQuery("PRAGMA journal_mode").Row(&journal); err != nil {
		t.Fatal(err)
	}
	if cache != -4096 || journal != "wal" {
		t.Errorf("cache_size %d, journal %q; want -4096 (4 MB) and wal", cache, journal)
	}
}

// TestMemoryLimitLeavesGOMEMLIMIT: the flag sets the Go limit, unless the
// operator set GOMEMLIMIT.
func TestMemoryLimitLeavesGOMEMLIMIT(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	(&Settings{MemoryLimitMB: 300}).ApplyMemoryLimit(func(string) string { return "1GiB" })
	if got := debug.SetMemoryLimit(-1); got != old {
		t.Errorf("limit changed to %d although GOMEMLIMIT was set", got)
	}
	(&Settings{MemoryLimitMB: 300}).ApplyMemoryLimit(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("limit %d, want 300 MB", got)
	}
}

// TestRegisterBoundsTheConnections: --db-max-conns takes effect on the
// main database PocketBase opened at bootstrap (its Config fixes the number
// before the flags are parsed).
func TestRegisterBoundsTheConnections(t *testing.T) {
	s := Defaults()
	s.MaxConns = 3
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir(), DataMaxOpenConns: 120, DataMaxIdleConns: 15, DBConnect: s.Connect})
	s.Register(app)
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ResetBootstrapState()
	db, ok := app.ConcurrentDB().(*dbx.DB)
	if !ok {
		t.Fatalf("main database is %T", app.ConcurrentDB())
	}
	if got := db.DB().Stats().MaxOpenConnections; got != 3 {
		t.Errorf("max open connections %d, want 3", got)
	}
}

// TestMainDatabaseKeepsStatements: the main database's connections keep
// their prepared statements (internal/stmtcache); the auxiliary one (logs)
// is opened as PocketBase opens it.
func TestMainDatabaseKeepsStatements(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		file string
		kept bool
	}{{"data.db", true}, {"auxiliary.db", false}} {
		db, err := Defaults().Connect(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		var one int
		if err := db.NewQuery("SELECT 1").Row(&one); err != nil || one != 1 {
			t.Fatalf("%s: %d, %v", c.file, one, err)
		}
		conn, err := db.DB().Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var n int
		var kept bool
		conn.Raw(func(dc any) error { n, kept = stmtcache.Kept(dc); return nil })
		conn.Close()
		db.Close()
		if kept != c.kept || (kept && n != 1) {
			t.Errorf("%s: caching connection %v with %d statements; want %v", c.file, kept, n, c.kept)
		}
	}
}
