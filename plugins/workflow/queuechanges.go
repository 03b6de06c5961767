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

// bindQueueChanges drops the kept queue pages (queuepages.go) of the
// departments a change can alter, on every change that can alter one:
//   - a task (assignments) created, updated or deleted: the queues are
//     walks of the tasks, so a dispatch, a sign-for, a reply, a review, a
//     closure, a deadline extension or a task moved to another department
//     all land here (each of them saves a task) — its department's pages,
//     and those of the department it had before (Original() and the stored
//     row, which differ for a record object saved twice);
//   - an appeal updated that is or was in a state a queue shows (the rows
//     are its columns): the pages of every department with a task on it
//     (read after the commit); a new appeal has no task yet, so intake
//     leaves the cache alone;
//   - a reply, extension request or callback saved or deleted (see below:
//     they are saved before the case in an action): likewise the pages of
//     the departments with a task on its appeal;
//   - a category saved or deleted (the rows carry its name), an appeal
//     deleted, or a department lookup that fails: every page.
//
// Dropping only the departments concerned keeps the other departments'
// pages at a megacity's rate of actions (more than one a second), where
// emptying everything on every action would leave few reads kept.
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
	all := func(e *core.RecordEvent) error {
		p.dropAllQueuePages()
		return e.Next()
	}
	category := func(e *core.RecordEvent) error {
		forgetCategoryNames(e.App) // before the drop (queuecategories.go)
		p.dropAllQueuePages()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("categories").BindFunc(category)
	app.OnRecordAfterUpdateSuccess("categories").BindFunc(category)
	app.OnRecordAfterDeleteSuccess("categories").BindFunc(category)
	app.OnRecordAfterDeleteSuccess("appeals").BindFunc(all)

	// tasks: their own department, before and after
	var moved sync.Map // *core.Record → the department of its stored row
	app.OnRecordUpdate("assignments").BindFunc(func(e *core.RecordEvent) error {
		var dept string
		err := e.App.DB().Select("department").From("assignments").
			Where(dbx.HashExp{"id": e.Record.Id}).Limit(1).Row(&dept)
		if err != nil {
			dept = "" // unknown: every page, below
		}
		moved.Store(e.Record, dept)
		return e.Next()
	})
	app.OnRecordAfterUpdateError("assignments").BindFunc(func(e *core.RecordErrorEvent) error {
		moved.Delete(e.Record)
		return e.Next()
	})
	task := func(e *core.RecordEvent) error {
		depts := []string{e.Record.GetString("department")}
		if o := e.Record.Original(); o != nil {
			depts = append(depts, o.GetString("department"))
		}
		if stored, ok := moved.LoadAndDelete(e.Record); ok {
			if stored.(string) == "" {
				p.dropAllQueuePages()
				return e.Next()
			}
			depts = append(depts, stored.(string))
		}
		p.dropQueuePages(depts...)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("assignments").BindFunc(task)
	app.OnRecordAfterUpdateSuccess("assignments").BindFunc(task)
	app.OnRecordAfterDeleteSuccess("assignments").BindFunc(task)

	// the records an action saves beside the case: their appeal's queues
	ofAppeal := func(e *core.RecordEvent) error {
		p.dropAppealQueues(e.App, e.Record.GetString("appeal"))
		return e.Next()
	}
	effects := []string{"replies", "extensions", "callbacks"}
	app.OnRecordAfterCreateSuccess(effects...).BindFunc(ofAppeal)
	app.OnRecordAfterUpdateSuccess(effects...).BindFunc(ofAppeal)
	app.OnRecordAfterDeleteSuccess(effects...).BindFunc(ofAppeal)

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
			p.dropAppealQueues(e.App, e.Record.Id)
		}
		return e.Next()
	})
}

// dropQueuePages drops the kept pages of the departments named (the keys
// of queuePageKey start with the department's id), and has those read
// recently computed again (queuerefresh.go).
func (p *plugin) dropQueuePages(depts ...string) {
	for _, d := range depts {
		if d != "" {
			p.queuePages.ChangedPrefix(d + "\x00")
			p.queueRefresh.dropped(d + "\x00")
		}
	}
}

// dropAllQueuePages drops every kept page (and refreshes those read
// recently).
func (p *plugin) dropAllQueuePages() {
	p.queuePages.Changed()
	p.queueRefresh.dropped("")
}

// dropAppealQueues drops the kept pages of every department with a task
// on the appeal (every page when they cannot be read).
func (p *plugin) dropAppealQueues(app core.App, appeal string) {
	var depts []string
	err := app.DB().Select("department").Distinct(true).From("assignments").
		Where(dbx.HashExp{"appeal": appeal}).Column(&depts)
	if err != nil || appeal == "" {
		p.dropAllQueuePages()
		return
	}
	p.dropQueuePages(depts...)
}
