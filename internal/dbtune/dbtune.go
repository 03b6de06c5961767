// Package dbtune holds the database and memory settings the binary (and the
// test apps, so that benchmarks measure them) run with: PocketBase's defaults
// are made for a larger server — up to 120 open SQLite connections of the
// main database, 15 kept idle, each with a 32 MB page cache — which let one
// process grow past 3 GB under concurrent scans (docs/performance.md,
// "Realtime fan-out and memory").
package dbtune

import (
	"path/filepath"
	"runtime/debug"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/pflag"
	_ "modernc.org/sqlite" // the driver PocketBase's own DefaultDBConnect uses

	"siyang/internal/stmtcache"
)

const (
	// DataMaxOpenConns bounds the concurrent readers of the main database
	// (PocketBase: 120). On a few cores more concurrent SQLite readers only
	// queue on the CPU, and each holds its own page cache — which costs
	// about 2.3 × its nominal size in RSS, as modernc's allocator rounds
	// each ~4.3 KB page allocation to an 8 KB slot. 8 × 8 MB instead of
	// 16 × 8 MB took the server's peak under the hot load from ~410 to
	// ~320 MB at 100k appeals at the same speed (docs/performance.md,
	// "Server memory under load (third round)").
	DataMaxOpenConns = 8
	// DataMaxIdleConns is how many of them stay open between bursts
	// (PocketBase: 15): all of them. A connection closed and reopened under
	// load re-reads the schema and the index statistics and re-prepares
	// every statement — in the third round's read profiles 2.6–3.5 s of
	// 16–19 s of CPU with 4 of 16 kept, and most of the token → account
	// lookup (1.2 ms, 0.29 ms with all kept). Keeping them does not raise
	// the peak (under load they are all open anyway); the RSS just stays
	// at it after a burst instead of falling back.
	DataMaxIdleConns = DataMaxOpenConns
)

// Settings are the memory knobs with a command-line flag each.
type Settings struct {
	// CacheMB is SQLite's page cache per connection, in MB (PocketBase: 32).
	// The operating system's file cache sits under it, shared by all
	// connections, so a small per-connection cache costs little speed.
	CacheMB int
	// MemoryLimitMB is the Go runtime's soft memory limit (debug.SetMemoryLimit):
	// the collector works harder as the heap nears it. 0: none. A GOMEMLIMIT
	// environment variable wins over it.
	MemoryLimitMB int
	// MaxConns bounds the open connections to the main database (the
	// concurrent readers; PocketBase: 120). Each keeps its own page cache,
	// so the SQLite heap grows with MaxConns × CacheMB.
	MaxConns int
}

// Defaults are the settings for a small county server.
func Defaults() *Settings {
	return &Settings{CacheMB: 8, MemoryLimitMB: 200, MaxConns: DataMaxOpenConns}
}

// BindFlags adds --db-cache-mb and --memory-limit-mb.
func (s *Settings) BindFlags(flags *pflag.FlagSet) {
	flags.IntVar(&s.CacheMB, "db-cache-mb", s.CacheMB, "SQLite page cache per database connection, in MB")
	flags.IntVar(&s.MemoryLimitMB, "memory-limit-mb", s.MemoryLimitMB,
		"soft limit of the Go heap in MB (0: none; the GOMEMLIMIT environment variable wins)")
	flags.IntVar(&s.MaxConns, "db-max-conns", s.MaxConns,
		"open connections to the main database at most (each with its own page cache)")
}

// Register applies MaxConns once PocketBase has opened the main database
// (its Config takes the number before the flags are parsed).
func (s *Settings) Register(app core.App) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if db, ok := e.App.ConcurrentDB().(*dbx.DB); ok && s.MaxConns > 0 {
			db.DB().SetMaxOpenConns(s.MaxConns)
			db.DB().SetMaxIdleConns(s.MaxConns)
		}
		return nil
	})
}

// Connect opens a PocketBase database (core.DBConnectFunc) with
// PocketBase's own pragmas but the page cache of s. It is called when the
// app bootstraps, after the flags are parsed.
//
// The main database's connections keep their prepared statements
// (internal/stmtcache): PocketBase runs the same few statement texts over
// and over, and parsing them was a sixth of an intake's CPU. The auxiliary
// database (PocketBase's logs) is opened as PocketBase opens it: its writes
// are batched INSERTs whose text changes with the batch's size, so kept
// statements would only hold memory there.
func (s *Settings) Connect(dbPath string) (*dbx.DB, error) {
	cache := max(s.CacheMB, 1) * 1024
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)" +
		"&_pragma=cache_size(-" + strconv.Itoa(cache) + ")&_defensive=1"
	if filepath.Base(dbPath) == auxDBFilename {
		return dbx.Open("sqlite", dbPath+pragmas)
	}
	db, err := stmtcache.Open(dbPath+pragmas, stmtcache.Size)
	if err != nil {
		return nil, err
	}
	return dbx.NewFromDB(db, "sqlite"), nil
}

// auxDBFilename is the name PocketBase gives its auxiliary database
// (core/base.go).
const auxDBFilename = "auxiliary.db"

// ApplyMemoryLimit sets the Go soft memory limit unless GOMEMLIMIT is set.
func (s *Settings) ApplyMemoryLimit(getenv func(string) string) {
	if getenv("GOMEMLIMIT") != "" || s.MemoryLimitMB <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(s.MemoryLimitMB) << 20)
}
