// Package sqlstmt runs the app's own hot queries through statements that
// SQLite prepares once per connection and then reuses.
//
// PocketBase's query builder (dbx) hands every query's text to the driver,
// which parses and plans it, runs it and finalizes it: for the short
// lookups of a ticket, a queue page or an intake, parsing costs as much as
// running. A Statement is declared once (a package-level variable with
// positional ? parameters) and run on any app: the app's read pool, its
// write connection, or the transaction the app value belongs to.
//
// Write parameters as CAST(? AS TEXT) (or INTEGER), and LIMIT CAST(? AS
// INTEGER), wherever they meet an indexed column or a LIMIT: PocketBase's
// SQLite keeps STAT4 statistics once ANALYZE or PRAGMA optimize has run,
// and then re-plans a statement — parsing it again — every time a plain ?
// that could change the plan is bound, even to the same value (measured on
// 100k appeals: a queue walk 0.97–1.22 ms of CPU plain, 0.44–0.58 ms cast).
//
// Prepared statements stay correct across schema changes: SQLite re-prepares
// a statement whose schema changed before running it. They are kept per
// database pool in the app's store, so a test's app or a database reopened
// by a backup restore gets its own.
package sqlstmt

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Statement is one SQL text with positional ? parameters.
type Statement struct {
	query string
}

// declared lists every statement, so that an app can prepare them all on
// its write connection ahead of the transactions that use them.
var declared struct {
	mu    sync.Mutex
	stmts []*Statement
}

// New declares a statement (a package-level variable); nothing is prepared
// until an app first runs one.
func New(query string) *Statement {
	s := &Statement{query: query}
	declared.mu.Lock()
	declared.stmts = append(declared.stmts, s)
	declared.mu.Unlock()
	return s
}

// Declared answers the text of every statement declared so far (the plan
// checks of plugins/loadgen's BenchmarkStat4 read them).
func Declared() []string {
	declared.mu.Lock()
	defer declared.mu.Unlock()
	out := make([]string, len(declared.stmts))
	for i, s := range declared.stmts {
		out[i] = s.query
	}
	return out
}

// SQL answers the statement's text.
func (s *Statement) SQL() string { return s.query }

// Query runs a read on app: inside app's transaction if app is a
// transaction's app, otherwise on the read pool. Close the rows.
func (s *Statement) Query(ctx context.Context, app core.App, args ...any) (*sql.Rows, error) {
	return run(ctx, s, app, app.ConcurrentDB(), (*sql.Stmt).QueryContext, args)
}

// QueryRow runs a read that answers at most one row; sql.ErrNoRows comes
// from Scan when there is none.
func (s *Statement) QueryRow(ctx context.Context, app core.App, args ...any) *Row {
	rows, err := s.Query(ctx, app, args...)
	return &Row{rows: rows, err: err}
}

// Exec runs a write on app: inside app's transaction, or on the write
// connection (PocketBase's single writer) when app is not in one.
func (s *Statement) Exec(ctx context.Context, app core.App, args ...any) (sql.Result, error) {
	return run(ctx, s, app, app.NonconcurrentDB(), (*sql.Stmt).ExecContext, args)
}

// ExecText runs a write whose text is not one statement declared in
// advance (e.g. an INSERT of a record's columns, whose text follows the
// collection's fields) on app: inside app's transaction, or on the write
// connection. It is not prepared here: the driver (internal/stmtcache)
// keeps it per connection by its text.
func ExecText(ctx context.Context, app core.App, query string, args ...any) (sql.Result, error) {
	switch db := app.NonconcurrentDB().(type) {
	case *dbx.DB:
		return db.DB().ExecContext(ctx, query, args...)
	case *dbx.Tx:
		tx, err := sqlTx(db)
		if err != nil {
			return nil, err
		}
		return tx.ExecContext(ctx, query, args...)
	default:
		return nil, errors.New("sqlstmt: the app's database is neither a dbx pool nor a dbx transaction")
	}
}

// run runs s with do on b, which is either a pool or app's transaction (in
// a transaction PocketBase answers the transaction for both pools).
func run[T any](ctx context.Context, s *Statement, app core.App, b dbx.Builder,
	do func(*sql.Stmt, context.Context, ...any) (T, error), args []any) (T, error) {
	var none T
	switch db := b.(type) {
	case *dbx.DB:
		c := cacheOf(app)
		c.rememberWriter(app)
		stmt, err := c.prepared(db.DB(), s.query)
		if err != nil {
			return none, err
		}
		return do(stmt, ctx, args...)
	case *dbx.Tx:
		tx, err := sqlTx(db)
		if err != nil {
			return none, err
		}
		// The write pool's statement, bound to the transaction's
		// connection, is prepared there once and reused by later
		// transactions.
		// The statement must already be prepared on the pool: preparing it
		// now would wait for the pool's only connection, which this
		// transaction holds.
		if pooled := cacheOf(app).ready(s.query); pooled != nil {
			answer, err := do(tx.StmtContext(ctx, pooled), ctx, args...)
			if !isForeignPool(err) {
				return answer, err
			}
		}
		// The write pool is not known or not warmed yet (no use of the
		// app outside a transaction so far) or was replaced (a restore):
		// prepare for this transaction only.
		stmt, err := tx.PrepareContext(ctx, s.query)
		if err != nil {
			return none, err
		}
		return do(stmt, ctx, args...)
	default:
		return none, errors.New("sqlstmt: the app's database is neither a dbx pool nor a dbx transaction")
	}
}

// isForeignPool tells the error database/sql answers for a statement bound
// to a transaction of another pool; nothing was run.
func isForeignPool(err error) bool {
	return err != nil && err.Error() == "sql: Tx.Stmt: statement from different database used"
}

// Row is the answer of QueryRow (sql.Row cannot be built outside
// database/sql).
type Row struct {
	rows *sql.Rows
	err  error
}

// Scan copies the row's columns into dest, like sql.Row.Scan.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// sqlTx digs the database/sql transaction out of a dbx transaction.
func sqlTx(tx *dbx.Tx) (*sql.Tx, error) {
	withExecutor, ok := tx.Builder.(interface{ Executor() dbx.Executor })
	if !ok {
		return nil, errors.New("sqlstmt: the transaction has no executor")
	}
	sqlTx, ok := withExecutor.Executor().(*sql.Tx)
	if !ok {
		return nil, errors.New("sqlstmt: the transaction's executor is not a database/sql transaction")
	}
	return sqlTx, nil
}

const storeKey = "siyang.sqlstmt"

// cache holds one app's prepared statements per pool. Apps of one process
// (tests) each have their own store and so their own cache.
type cache struct {
	mu     sync.Mutex
	writer *sql.DB
	pools  map[*sql.DB]map[string]*sql.Stmt
}

func cacheOf(app core.App) *cache {
	return app.Store().GetOrSet(storeKey, func() any {
		return &cache{pools: map[*sql.DB]map[string]*sql.Stmt{}}
	}).(*cache)
}

// rememberWriter records app's write pool, which its transactions run on,
// forgets the statements of pools the app no longer uses (a restore reopens
// the database) and prepares every declared statement on the new write pool
// in the background — not here: the caller may be inside a hook of a
// transaction that holds the pool's only connection.
func (c *cache) rememberWriter(app core.App) {
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return
	}
	writer := db.DB()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writer == writer {
		return
	}
	if c.writer != nil {
		reader, _ := app.ConcurrentDB().(*dbx.DB)
		for pool, stmts := range c.pools {
			if pool == writer || (reader != nil && pool == reader.DB()) {
				continue
			}
			for _, stmt := range stmts {
				stmt.Close()
			}
			delete(c.pools, pool)
		}
	}
	c.writer = writer
	declared.mu.Lock()
	all := append([]*Statement(nil), declared.stmts...)
	declared.mu.Unlock()
	go func() {
		for _, s := range all {
			// A statement whose table is not there (yet) is prepared
			// by its first use instead.
			c.prepared(writer, s.query)
		}
	}()
}

// ready answers the write pool's statement for query if it is prepared.
func (c *cache) ready(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writer == nil {
		return nil
	}
	return c.pools[c.writer][query]
}

// prepared answers pool's statement for query, preparing it if needed (on
// one of the pool's connections; database/sql prepares it on each further
// connection the first time that one runs it).
func (c *cache) prepared(pool *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	stmt := c.pools[pool][query]
	c.mu.Unlock()
	if stmt != nil {
		return stmt, nil
	}
	stmt, err := pool.Prepare(query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	stmts := c.pools[pool]
	if stmts == nil {
		stmts = map[string]*sql.Stmt{}
		c.pools[pool] = stmts
	}
	if kept := stmts[query]; kept != nil {
		stmt.Close() // another caller prepared it meanwhile
		return kept, nil
	}
	stmts[query] = stmt
	return stmt, nil
}
