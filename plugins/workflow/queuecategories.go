package workflow

import (
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/tablecache"
)

// A queue row shows its category's name. Joining the categories table on
// every row of a page was a fifth of a page's reading in SQLite (two more
// index descents per row); the names are a small table that
// administrators edit rarely, so the queue keeps them in memory.
//
// What empties it: any category created, updated or deleted through
// PocketBase (tablecache: during the write and after it commits or fails),
// and the queue's own category hook (queuechanges.go) empties it again
// before it drops the kept pages, so that no page computed after the drop
// can use a name read before the commit.

// queueCategoryKey holds the app's *tablecache.Cache[map[string]string]
// (category id → name) in app.Store(), shared with its transactions.
const queueCategoryKey = "workflow.queueCategoryNames"

// bindQueueCategoryNames enables the names cache for app.
func bindQueueCategoryNames(app core.App) {
	app.Store().Set(queueCategoryKey, tablecache.New(app, loadCategoryNames, "categories"))
}

func loadCategoryNames(app core.App) (map[string]string, error) {
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "name").From("categories").All(&rows); err != nil {
		return nil, err
	}
	names := make(map[string]string, len(rows))
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	return names, nil
}

// queueCategoryNames answers the category names by id.
func queueCategoryNames(app core.App) (map[string]string, error) {
	c, _ := app.Store().Get(queueCategoryKey).(*tablecache.Cache[map[string]string])
	if c == nil {
		return loadCategoryNames(app)
	}
	return c.Get(app)
}

// forgetCategoryNames empties the names cache (before the pages are
// dropped on a category change).
func forgetCategoryNames(app core.App) {
	if c, _ := app.Store().Get(queueCategoryKey).(*tablecache.Cache[map[string]string]); c != nil {
		c.Invalidate()
	}
}
