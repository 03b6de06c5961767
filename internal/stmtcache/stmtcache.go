// Package stmtcache keeps SQLite's prepared statements per connection under
// PocketBase, so that a statement text run again on the same connection is
// not parsed again.
//
// PocketBase (through dbx and database/sql) hands every query to the driver
// as text; modernc's driver prepares that text, runs it and finalizes it
// each time. In the intake's profile parsing PocketBase's own statements —
// the 80-column INSERT of an appeal, its timeline entry, the relation
// checks — cost as much as SQLite running them. A connection opened here
// wraps modernc's connection and answers ExecContext and QueryContext from
// a bounded least-recently-used set of statements prepared on it, keyed by
// the exact text.
//
// What empties the cache: evicting the least recently used statement once
// a connection holds Size of them (the statement is finalized then, or when
// its open rows close), a statement's run failing (it is dropped, the next
// run prepares afresh), and closing the connection (all finalized before
// the connection closes). A schema change needs nothing: SQLite notices
// that a kept statement's schema changed and prepares it again itself
// before running it (sqlite3_prepare_v2, SQLITE_SCHEMA).
//
// A kept statement can answer one open result at a time. database/sql
// allows a second query with the same text on a connection while the
// first one's rows are still open (inside a transaction); that second
// query then runs through modernc's own one-shot path, uncached.
//
// Everything else is modernc's: the DSN with its pragmas, transactions,
// session reset and validity checks, ping, argument conversion (the
// wrapper implements no NamedValueChecker, as modernc's connection does
// not), and the statements database/sql prepares explicitly (Prepare is
// passed through: those are the caller's to keep and close).
package stmtcache

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"

	"modernc.org/sqlite"
)

// Size is how many statements a connection keeps by default: more than the
// distinct texts of the app's hot paths together (an intake runs about
// ten), few enough that the kept statements of the read pool stay a few MB.
const Size = 256

// Open answers a database/sql pool over modernc's driver with dsn (the same
// DSN sql.Open("sqlite", dsn) takes) whose connections keep up to size
// prepared statements each (Size when size <= 0).
func Open(dsn string, size int) (*sql.DB, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		size = Size
	}
	return sql.OpenDB(&connector{base: base, size: size}), nil
}

type connector struct {
	base driver.Connector
	size int
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	inner, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	w, err := wrap(inner, c.size)
	if err != nil {
		inner.Close()
		return nil, err
	}
	return w, nil
}

func (c *connector) Driver() driver.Driver { return c.base.Driver() }

// innerConn is what modernc's connection implements and the wrapper needs.
type innerConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.SessionResetter
	driver.Validator
	driver.Pinger
}

// conn is one SQLite connection with its kept statements. database/sql
// never uses a connection from two goroutines at once (every call, and the
// Next and Close of its rows, hold the connection's lock), so the cache
// needs no lock of its own.
type conn struct {
	inner  innerConn
	size   int
	byText map[string]*list.Element // of *entry
	lru    *list.List               // front: most recently used
}

type entry struct {
	query string
	stmt  driver.Stmt
	// busy: its rows are open; the statement cannot answer another query
	// until they close.
	busy bool
	// dropped: no longer in the cache (evicted or failed while busy);
	// finalized when its rows close.
	dropped bool
}

// stmtRunner is what modernc's statement implements.
type stmtRunner interface {
	driver.StmtExecContext
	driver.StmtQueryContext
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
)

func wrap(inner driver.Conn, size int) (*conn, error) {
	ic, ok := inner.(innerConn)
	if !ok {
		return nil, errors.New("stmtcache: the sqlite driver's connection lacks an interface the cache forwards")
	}
	return &conn{inner: ic, size: size, byText: make(map[string]*list.Element), lru: list.New()}, nil
}

// Prepare and PrepareContext are the caller's statements: not cached.
func (c *conn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner.PrepareContext(ctx, query)
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}
func (c *conn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }
func (c *conn) IsValid() bool                          { return c.inner.IsValid() }
func (c *conn) Ping(ctx context.Context) error         { return c.inner.Ping(ctx) }

// Close finalizes every kept statement, then closes the connection.
func (c *conn) Close() error {
	for el := c.lru.Front(); el != nil; el = el.Next() {
		el.Value.(*entry).stmt.Close()
	}
	c.lru.Init()
	clear(c.byText)
	return c.inner.Close()
}

// ExecContext runs query through its kept statement.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if e == nil || e.busy {
		return c.inner.ExecContext(ctx, query, args)
	}
	res, err := e.stmt.(stmtRunner).ExecContext(ctx, args)
	if err != nil {
		c.drop(e)
	}
	return res, err
}

// QueryContext runs query through its kept statement; the statement is
// busy until the rows close.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	e, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if e == nil || e.busy {
		return c.inner.QueryContext(ctx, query, args)
	}
	r, err := e.stmt.(stmtRunner).QueryContext(ctx, args)
	if err != nil {
		c.drop(e)
		return nil, err
	}
	e.busy = true
	return &rows{inner: r, c: c, e: e}, nil
}

// statement answers query's kept statement, preparing and keeping it when
// it is not kept yet. A nil entry with no error: the text could not be
// kept (the driver's statement cannot run with a context), run it uncached.
func (c *conn) statement(ctx context.Context, query string) (*entry, error) {
	if el, ok := c.byText[query]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*entry), nil
	}
	st, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if _, ok := st.(stmtRunner); !ok {
		st.Close()
		return nil, nil
	}
	e := &entry{query: query, stmt: st}
	c.byText[query] = c.lru.PushFront(e)
	for c.lru.Len() > c.size {
		c.drop(c.lru.Back().Value.(*entry))
	}
	return e, nil
}

// drop removes e from the cache and finalizes it, or leaves that to its
// rows' Close when they are open.
func (c *conn) drop(e *entry) {
	if e.dropped {
		return
	}
	if el, ok := c.byText[e.query]; ok && el.Value.(*entry) == e {
		c.lru.Remove(el)
		delete(c.byText, e.query)
	}
	e.dropped = true
	if !e.busy {
		e.stmt.Close()
	}
}

// release is called when e's rows close.
func (c *conn) release(e *entry) {
	e.busy = false
	if e.dropped {
		e.stmt.Close()
	}
}

// rows frees its statement for the next query when closed, and forwards
// the column type interfaces modernc's rows implement.
type rows struct {
	inner driver.Rows
	c     *conn
	e     *entry
}

func (r *rows) Columns() []string              { return r.inner.Columns() }
func (r *rows) Next(dest []driver.Value) error { return r.inner.Next(dest) }

func (r *rows) Close() error {
	if r.e == nil {
		return nil
	}
	err := r.inner.Close()
	if err != nil {
		// The statement's last run failed (its reset reports it): prepare
		// the text afresh next time rather than trust the statement.
		r.c.drop(r.e)
	}
	r.c.release(r.e)
	r.e = nil
	return err
}

func (r *rows) ColumnTypeDatabaseTypeName(index int) string {
	if t, ok := r.inner.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(index)
	}
	return ""
}

func (r *rows) ColumnTypeLength(index int) (int64, bool) {
	if t, ok := r.inner.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(index)
	}
	return 0, false
}

func (r *rows) ColumnTypeNullable(index int) (bool, bool) {
	if t, ok := r.inner.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(index)
	}
	return false, false
}

func (r *rows) ColumnTypePrecisionScale(index int) (int64, int64, bool) {
	if t, ok := r.inner.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(index)
	}
	return 0, 0, false
}

func (r *rows) ColumnTypeScanType(index int) reflect.Type {
	if t, ok := r.inner.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(index)
	}
	return reflect.TypeFor[any]()
}

// Kept answers how many statements the connection behind a *sql.Conn's
// Raw keeps, and false when it is not a connection of this package.
func Kept(driverConn any) (int, bool) {
	c, ok := driverConn.(*conn)
	if !ok {
		return 0, false
	}
	return c.lru.Len(), true
}
