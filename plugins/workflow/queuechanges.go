package workflow

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// queueStates are the case states some queue view shows: a case in any
// other state (submitted, accepted, withdrawn, ...) is on no department's
// queue, whatever its tasks.
var queueStates = func() map[string]bool {
	out := map[string]bool{}
	for _, v := range queueViews {
		for _, s := range v.cases {
			out[s.(string)] = true
		}
	}
	return out
}()

// onQueue: the case r (a stored or saved appeal) can be on a queue.
func onQueue(r *core.Record) bool {
	return r != nil && queueStates[r.GetString("status")]
}

// bindQueueChanges empties the kept queue pages (queuepages.go) on every
// change that can alter one:
//   - any task (assignments) created, updated or deleted: the queues are
//     walks of the tasks, so a dispatch, a sign-for, a reply, a review, a
//     closure, a deadline extension or a task moved to another department
//     all land here (each of them saves a task);
//   - any appeal updated or deleted that is or was in a state a queue
//     shows (the rows are its columns); a new appeal has no task yet, so
//     intake leaves the cache alone;
//   - any category saved or deleted (the rows carry its name);
//   - any reply, extension request or callback saved or deleted (see
//     below: they are saved before the case in an action).
//
// An appeal update is judged by its status before and after; "before" is
// the record's Original() — but an object saved twice keeps the Original()
// of when it was read, so when neither says "on a queue" the stored row's
// status is read once more before the write (one primary-key lookup) and
// judged instead, as the public pages do (plugins/portal/publicchanges.go).
//
// The hooks run after the transaction commits and before the action
// returns, so the next queue read after an action sees it. They are bound
// before the department fan-out (realtime_fanout.go), so an appeals or
// assignments event reaches a workbench only after the pages are dropped.
// The records of an action are announced in the order they were saved,
// each after its own hooks; the effects an action saves before the case
// (replies, extension requests, callbacks; engine.go saves the case, then
// its timeline entry) drop the pages too, so that no event the staff pages
// follow (appeals, appeal_events, assignments) of an action reaches a
// client before the pages are dropped. Intake saves none of them.
func (p *plugin) bindQueueChanges(app core.App) {
	changed := func(e *core.RecordEvent) error {
		p.queuePages.Changed()
		return e.Next()
	}
	always := []string{"assignments", "categories", "replies", "extensions", "callbacks"}
	app.OnRecordAfterCreateSuccess(always...).BindFunc(changed)
	app.OnRecordAfterUpdateSuccess(always...).BindFunc(changed)
	app.OnRecordAfterDeleteSuccess(always...).BindFunc(changed)

	var stale sync.Map // *core.Record → its stored row was on a queue
	app.OnRecordUpdate("appeals").BindFunc(func(e *core.RecordEvent) error {
		if !onQueue(e.Record) && !onQueue(e.Record.Original()) {
			stored := &core.Record{}
			err := e.App.RecordQuery("appeals").Select("id", "status").
				AndWhere(dbx.HashExp{"id": e.Record.Id}).Limit(1).One(stored)
			if err != nil || onQueue(stored) {
				stale.Store(e.Record, true)
			}
		}
		return e.Next()
	})
	app.OnRecordAfterUpdateError("appeals").BindFunc(func(e *core.RecordErrorEvent) error {
		stale.Delete(e.Record)
		return e.Next()
	})
	app.OnRecordAfterUpdateSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		_, wasStale := stale.LoadAndDelete(e.Record)
		if wasStale || onQueue(e.Record) || onQueue(e.Record.Original()) {
			p.queuePages.Changed()
		}
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess("appeals").BindFunc(changed)
}
