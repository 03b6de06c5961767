package loadgen

import (
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// bulkTables are the tables the generator fills.
var bulkTables = []string{"appeals", "appeal_events", "assignments", "replies", "callbacks", "extensions", "users"}

// withoutIndexes runs fill with the secondary indexes of the filled tables
// dropped when drop is set, and builds them again afterwards, each in one
// sorted pass: far faster for a large load than keeping a dozen indexes
// up to date row by row. The indexes are rebuilt from their own stored
// definitions even when fill fails.
func withoutIndexes(app core.App, drop bool, fill func() error) error {
	if !drop {
		return fill()
	}
	var list []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	err := app.DB().Select("name", "sql").From("sqlite_master").
		Where(dbx.HashExp{"type": "index"}).
		AndWhere(dbx.In("tbl_name", toAny(bulkTables)...)).
		AndWhere(dbx.NewExp("sql IS NOT NULL")).
		All(&list)
	if err != nil {
		return err
	}
	for _, ix := range list {
		if _, err := app.NonconcurrentDB().NewQuery("DROP INDEX IF EXISTS [[" + ix.Name + "]]").Execute(); err != nil {
			return err
		}
	}
	fillErr := fill()
	var buildErr error
	for _, ix := range list {
		if _, err := app.NonconcurrentDB().NewQuery(ix.SQL).Execute(); err != nil {
			buildErr = errors.Join(buildErr, err)
		}
	}
	if _, err := app.NonconcurrentDB().NewQuery("ANALYZE").Execute(); err != nil {
		buildErr = errors.Join(buildErr, err)
	}
	return errors.Join(fillErr, buildErr)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
