package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// publicAppeals is the WHERE of the public_appeals view (1764100100),
// repeated word for word so that SQLite can use the partial index below
// for the view's newest-first page and its count.
const publicAppeals = "public_consent = 1 AND confidential = 0 AND status IN ('accepted','dispatched','handling','suspended','replied','callback','closed')"

// Query shapes for the two lists read most at scale (docs/performance.md):
//
//   - A handler's queue. The appeals read rule matched an assisting
//     department with `assisting_departments.id ?= …`, which PocketBase
//     turns into a join over each appeal's JSON array and a DISTINCT over
//     whole appeal rows, sorted in a temporary B-tree: the cost grew with
//     every open appeal of the county. `assisting_departments ~ …` tests
//     the stored JSON text instead (ids are 15 fixed characters without
//     quotes, so a match is exactly an element), with no join. The handler
//     must also have a department: an empty one matched every appeal with
//     an empty lead department (and `~ ""` would match all).
//   - The public list: a partial index over the public appeals by
//     submission time gives the newest page without sorting them all, and
//     the count the pager needs without reading the table, once SQLite has
//     statistics for it (ANALYZE, which PocketBase's periodic PRAGMA
//     optimize runs; see docs/performance.md).
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		r := rule(`(` + isResident + ` && resident = @request.auth.id) || (` + isCentral + `) || (` + isStaff +
			` && @request.auth.role = "handler" && @request.auth.department != "" && (lead_department = @request.auth.department || assisting_departments ~ @request.auth.department))`)
		appeals.ListRule, appeals.ViewRule = r, r
		appeals.AddIndex("idx_appeals_public_created", false, "created", publicAppeals)
		return app.Save(appeals)
	}, func(app core.App) error {
		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		appeals.ListRule, appeals.ViewRule = rule(appealReadRule), rule(appealReadRule)
		appeals.RemoveIndex("idx_appeals_public_created")
		return app.Save(appeals)
	})
}
