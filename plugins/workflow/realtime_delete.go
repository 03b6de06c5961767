package workflow

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Deletes of workbench records on the per-department realtime path.
//
// Once a record is deleted, neither the rule check nor the departments it
// concerned can be worked out any more (a timeline row's case may be gone
// in the same transaction). So, as PocketBase does for its own broadcast,
// the messages are built before the delete, with the app outside the
// deleting transaction (which still sees the committed record), held
// until the delete has committed and sent then; a delete that fails or is
// rolled back sends nothing. The message is {"action":"delete","record":…}
// built exactly as for an update: the department's list rule decides, no
// hidden (contact) field is in it.

// pendingDeletes holds the messages of deletes not yet committed, by
// "collection/id". What empties it: the delete's after-success hook (which
// sends them) or its after-error hook (which drops them).
type pendingDeletes struct {
	mu sync.Mutex
	m  map[string][]departmentDelivery
}

func (p *pendingDeletes) put(key string, d []departmentDelivery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[key] = d
}

func (p *pendingDeletes) take(key string) []departmentDelivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.m[key]
	delete(p.m, key)
	return d
}

func bindDepartmentDeletes(app core.App) {
	pending := &pendingDeletes{m: map[string][]departmentDelivery{}}
	key := func(r *core.Record) string { return r.Collection().Name + "/" + r.Id }
	collections := []string{"appeals", "appeal_events", "assignments"}

	app.OnRecordDelete(collections...).BindFunc(func(e *core.RecordEvent) error {
		// app, not e.App: the checks read outside the deleting transaction
		if d := departmentMessages(app, "delete", e.Record); len(d) > 0 {
			pending.put(key(e.Record), d)
		}
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess(collections...).BindFunc(func(e *core.RecordEvent) error {
		sendToDepartments(pending.take(key(e.Record)))
		return e.Next()
	})
	app.OnRecordAfterDeleteError(collections...).BindFunc(func(e *core.RecordErrorEvent) error {
		pending.take(key(e.Record))
		return e.Next()
	})
}
