package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Indexes for the department workbench's queue (GET /api/workbench/queue,
// plugins/workflow/api_queue.go). The queue walks a department's tasks in
// deadline order, one status at a time, and stops after a page: pending
// tasks by their 签收 deadline (the existing idx_assignments_dept_status),
// signed and replied tasks by their 办结 deadline, finished ones by when
// they finished. The two new indexes also hold the columns the walk reads
// (id, appeal, role), so it never visits the task rows. Each page reads a
// page of index entries and the matching appeals by id, however many cases
// the county or the department holds.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		assignments, err := app.FindCollectionByNameOrId("assignments")
		if err != nil {
			return err
		}
		assignments.AddIndex("idx_assignments_dept_status_finish", false, "department, status, due_finish, id, appeal, role", "")
		assignments.AddIndex("idx_assignments_dept_status_updated", false, "department, status, updated, id, appeal, role", "")
		return app.Save(assignments)
	}, func(app core.App) error {
		assignments, err := app.FindCollectionByNameOrId("assignments")
		if err != nil {
			return err
		}
		assignments.RemoveIndex("idx_assignments_dept_status_finish")
		assignments.RemoveIndex("idx_assignments_dept_status_updated")
		return app.Save(assignments)
	})
}
