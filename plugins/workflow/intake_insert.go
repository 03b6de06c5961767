package workflow

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/spf13/cast"

	"siyang/internal/sqlstmt"
)

// An intake's appeal and its first timeline entry are inserted with the
// statement text PocketBase's
// query builder would send, built once per column list instead of per
// intake. PocketBase builds it afresh for every record (a map of ~80
// named parameters, sorted, quoted and formatted) and then runs dbx's
// placeholder rewriting, a regular expression over the whole text: about
// 0.15 ms per intake in the profile of BenchmarkIntakeHTTP, for a text that
// only changes with the schema. The driver (internal/stmtcache) keeps the
// prepared statement by its text, shared with PocketBase's own inserts.
//
// Everything else of PocketBase's save stays: validation, every create and
// execute hook (numbering, masking, SLA clock, suggestion, search index),
// the field interceptors (created/updated dates, uploaded files), the
// after-commit hooks (realtime, notices, automatic dispatch). Only the final
// write of the record is replaced, for saves whose context Submit marks;
// TestIntakeInsertStoresWhatPocketBaseStores compares the rows.

// preparedInsertKey marks, in the context Submit saves its appeal and its
// timeline entry with, that the record is written by insertRecord.
type preparedInsertKey struct{}

func withPreparedInsert(ctx context.Context) context.Context {
	return context.WithValue(ctx, preparedInsertKey{}, true)
}

// bindIntakeInsert binds the write as the innermost execute hook of
// appeals and timeline entries: it runs after every other one and inside the field
// interceptors, where PocketBase's own write would run.
func bindIntakeInsert(app core.App) {
	app.OnRecordCreateExecute("appeals", "appeal_events").Bind(&hook.Handler[*core.RecordEvent]{
		Id:       "siyang.workflow.intakeInsert",
		Priority: math.MaxInt32,
		Func: func(e *core.RecordEvent) error {
			if e.Context == nil || e.Context.Value(preparedInsertKey{}) == nil {
				return e.Next()
			}
			done, err := insertRecord(e.Context, e.App, e.Record)
			if err != nil || !done {
				if err != nil {
					return err
				}
				return e.Next() // a value the builder must render: PocketBase writes it
			}
			e.Record.MarkAsNotNew()
			return nil
		},
	})
}

// insertTexts caches the INSERT text per table and column list (the
// columns follow the collection's fields, so a schema change gives a new
// key; nothing needs emptying).
var insertTexts sync.Map // "table\x00col,col,…" → string

// insertRecord writes r as PocketBase's create does (DBExport, the id
// added when missing, an INSERT of every exported column in name order)
// on app's write connection or transaction. It answers false, having
// written nothing, when a value is a dbx expression (the builder renders
// those into the text).
func insertRecord(ctx context.Context, app core.App, r *core.Record) (bool, error) {
	data, err := r.DBExport(app)
	if err != nil {
		return false, err
	}
	if _, ok := data["id"]; !ok {
		data["id"] = r.PK()
	}
	if cast.ToString(data["id"]) == "" {
		return false, errors.New("empty primary key is not allowed when using the DBExporter interface")
	}
	names := make([]string, 0, len(data))
	for name, v := range data {
		if _, ok := v.(dbx.Expression); ok {
			return false, nil
		}
		names = append(names, name)
	}
	sort.Strings(names)
	args := make([]any, len(names))
	for i, name := range names {
		args[i] = data[name]
	}
	table := r.TableName()
	key := table + "\x00" + strings.Join(names, ",")
	text, ok := insertTexts.Load(key)
	if !ok {
		text = insertText(table, names)
		insertTexts.Store(key, text)
	}
	_, err = sqlstmt.ExecText(ctx, app, text.(string), args...)
	return true, err
}

// insertText is the text dbx's builder sends to the driver for an insert
// of these columns into table (names sorted, backquoted; ? placeholders).
func insertText(table string, names []string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO `" + table + "` (")
	for i, name := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("`" + name + "`")
	}
	b.WriteString(") VALUES (")
	for i := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("?")
	}
	b.WriteString(")")
	return b.String()
}
