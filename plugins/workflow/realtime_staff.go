package workflow

import (
	"github.com/pocketbase/pocketbase/core"
)

// A handler whose role or department changes (or whose account is
// deleted, or whose password is changed, which ends its sessions: a new
// token key) must stop hearing its former department's cases at once, not
// when its page next subscribes. subscribedHandlers already skips a client
// whose current auth no longer matches the department it subscribed as;
// here the connection of such a client is closed as soon as the staff
// record is saved. The page's SDK reconnects and subscribes again, which
// files it under its new department (or, for someone who is no longer a
// handler, under PocketBase's own per-client rules), and the staff pages
// re-read who is signed in on every reconnect (pb_public/staff.js).

func bindStaffChanges(app core.App) {
	app.OnRecordAfterUpdateSuccess("staff").BindFunc(func(e *core.RecordEvent) error {
		closeMovedHandlers(app, e.Record.Id, handlerDepartment(e.Record), e.Record.TokenKey())
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess("staff").BindFunc(func(e *core.RecordEvent) error {
		closeMovedHandlers(app, e.Record.Id, "", "")
		return e.Next()
	})
}

// closeMovedHandlers ends the realtime connections of staff member id on
// the per-department path that were opened for another department than
// dept ("" when id is no longer a handler) or with another token key.
func closeMovedHandlers(app core.App, id, dept, tokenKey string) {
	broker := app.SubscriptionsBroker()
	for _, client := range broker.Clients() {
		sub, _ := client.Get(departmentSubscriptionKey).(*departmentSubscription)
		if sub != nil && sub.staff == id && (sub.department != dept || sub.tokenKey != tokenKey) {
			broker.Unregister(client.Id())
		}
	}
}
