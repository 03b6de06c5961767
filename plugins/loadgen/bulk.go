package loadgen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// bulk writes rows straight into SQLite: one prepared INSERT per table,
// many rows per transaction. It bypasses the record hooks on purpose; the
// generator computes what they would have written.
type bulk struct {
	db     *sql.DB
	tx     *sql.Tx
	tables map[string]*bulkTable
	rows   int // rows written in the open transaction
}

type bulkTable struct {
	sql  string
	cols []string
	stmt *sql.Stmt
}

func newBulk(app core.App) (*bulk, error) {
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, fmt.Errorf("loadgen: unexpected database type %T", app.NonconcurrentDB())
	}
	return &bulk{db: db.DB(), tables: map[string]*bulkTable{}}, nil
}

// table declares the columns written to table, in the order add takes them.
func (b *bulk) table(name string, cols ...string) {
	marks := strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")
	b.tables[name] = &bulkTable{
		cols: cols,
		sql:  fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", name, strings.Join(quote(cols), ","), marks),
	}
}

func quote(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = `"` + c + `"`
	}
	return out
}

func (b *bulk) begin() error {
	tx, err := b.db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	b.tx = tx
	for _, t := range b.tables {
		if t.stmt, err = tx.Prepare(t.sql); err != nil {
			return fmt.Errorf("prepare %s: %w", t.sql, err)
		}
	}
	return nil
}

// add writes one row; values follow the declared columns.
func (b *bulk) add(table string, values ...any) error {
	t := b.tables[table]
	if len(values) != len(t.cols) {
		return fmt.Errorf("loadgen: %s takes %d values, got %d", table, len(t.cols), len(values))
	}
	if _, err := t.stmt.Exec(values...); err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	b.rows++
	return nil
}

func (b *bulk) commit() error {
	if b.tx == nil {
		return nil
	}
	for _, t := range b.tables {
		t.stmt.Close()
	}
	err := b.tx.Commit()
	b.tx, b.rows = nil, 0
	return err
}

func (b *bulk) rollback() {
	if b.tx != nil {
		for _, t := range b.tables {
			t.stmt.Close()
		}
		_ = b.tx.Rollback()
		b.tx = nil
	}
}
