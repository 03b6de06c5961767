package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// A department sees its own tasks (assignments) also after they ended by
// 退单 or 改派, while the case itself stays hidden from it: the department's
// open workbenches learn through realtime that a case left them. The task
// carries only the case's id, the department's own status and its own
// return reason.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		assignments, err := app.FindCollectionByNameOrId("assignments")
		if err != nil {
			return err
		}
		r := `(` + childStaffRule + `) || (` + isStaff + ` && @request.auth.role = "handler" && @request.auth.department != "" && department = @request.auth.department)`
		assignments.ListRule = rule(r)
		assignments.ViewRule = rule(r)
		return app.Save(assignments)
	}, func(app core.App) error {
		assignments, err := app.FindCollectionByNameOrId("assignments")
		if err != nil {
			return err
		}
		assignments.ListRule = rule(childStaffRule)
		assignments.ViewRule = rule(childStaffRule)
		return app.Save(assignments)
	})
}
