package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// openAppeals is the condition of the partial indexes below. The duplicate
// search of every intake (plugins/dispatch, OpenAppealsCondition) repeats
// it word for word: SQLite uses a partial index only for a query that does.
const openAppeals = "status IN ('submitted','accepted','dispatched','handling','suspended','replied')"

// Indexes over the open appeals only (a few percent of the table at scale):
// the duplicate search walks the most recent open cases of the township,
// else of the category, else of the county, without visiting the closed
// ones in between and without reading the table: the indexes cover the
// columns the search reads (the open cases are a few percent of the table,
// so the copies of their titles and addresses cost little).
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		appeals.AddIndex("idx_appeals_open_region", false, "region, created, id, ticket, title, address, status", openAppeals)
		appeals.AddIndex("idx_appeals_open_category", false, "category, created, id, ticket, title, address, region, status", openAppeals)
		appeals.AddIndex("idx_appeals_open_created", false, "created, id, ticket, title, address, region, status", openAppeals)
		return app.Save(appeals)
	}, func(app core.App) error {
		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		for _, name := range []string{"idx_appeals_open_region", "idx_appeals_open_category", "idx_appeals_open_created"} {
			appeals.RemoveIndex(name)
		}
		return app.Save(appeals)
	})
}
