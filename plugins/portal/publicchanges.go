package portal

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// publicCondition is the public_appeals view's condition on appeals, in
// SQL (isPublic is the same in Go); the partial indexes over public
// appeals repeat it word for word, so statements that must use them are
// built from it.
const publicCondition = "public_consent = 1 AND confidential = 0 AND status IN ('accepted','dispatched','handling','suspended','replied','callback','closed')"

// publicStatuses are the states the public_appeals view shows.
var publicStatuses = map[string]bool{
	"accepted": true, "dispatched": true, "handling": true, "suspended": true,
	"replied": true, "callback": true, "closed": true,
}

// publicColumns are the appeals columns the public_appeals view shows (or
// a filter on it can name); a change of any other column (deadlines,
// internal notes, the resident's contact) alters no public page or count.
var publicColumns = []string{
	"ticket", "kind", "category", "region", "lead_department", "public_title", "public_content",
	"status", "created", "replied_at", "closed_at",
}

// isPublic: the view shows the appeal (accepted, consented, not 保密).
func isPublic(r *core.Record) bool {
	return r != nil && r.GetBool("public_consent") && !r.GetBool("confidential") && publicStatuses[r.GetString("status")]
}

// publicChange: saving r over before (its stored state) can alter what
// the public view shows.
func publicChange(r, before *core.Record) bool {
	if !isPublic(r) && !isPublic(before) {
		return false
	}
	if before == nil || isPublic(r) != isPublic(before) {
		return true
	}
	for _, name := range publicColumns {
		if r.GetString(name) != before.GetString(name) {
			return true
		}
	}
	return false
}

// storedAppeal reads the stored publicity and public columns of an appeal
// (before a write).
func storedAppeal(app core.App, id string) (*core.Record, error) {
	r := &core.Record{}
	cols := append([]string{"id", "public_consent", "confidential"}, publicColumns...)
	err := app.RecordQuery("appeals").Select(cols...).AndWhere(dbx.HashExp{"id": id}).Limit(1).One(r)
	return r, err
}

// publicChanged empties the kept public counts and pages, the list's and
// the keyword search's.
func (p *plugin) publicChanged() {
	p.publicCounts.changed()
	p.publicPages.Changed()
	p.searchPages.Changed()
}

// bindPublicChanges empties the kept public counts (publiccount.go) and
// pages (publicpages.go) on the changes that can alter them.
//
// An update is judged against the record's Original() — but a record
// object saved twice keeps the Original() of when it was read, so when
// that says "nothing public changed" the stored row is read once more
// before the write (one primary-key lookup) and judged against instead:
// a case made public and then 保密 through the same object is still seen.
func (p *plugin) bindPublicChanges(app core.App) {
	changed := p.publicChanged
	var stale sync.Map // *core.Record → the stored row says the update changes the view
	app.OnRecordUpdate("appeals").BindFunc(func(e *core.RecordEvent) error {
		if !publicChange(e.Record, e.Record.Original()) {
			if stored, err := storedAppeal(e.App, e.Record.Id); err != nil || publicChange(e.Record, stored) {
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
		if wasStale || publicChange(e.Record, e.Record.Original()) {
			changed()
		}
		return e.Next()
	})
	app.OnRecordAfterCreateSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		if isPublic(e.Record) {
			changed()
		}
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		if isPublic(e.Record) || isPublic(e.Record.Original()) {
			changed()
		}
		return e.Next()
	})
	other := func(e *core.RecordEvent) error {
		changed()
		return e.Next()
	}
	for _, name := range []string{"replies", "categories", "regions", "departments"} {
		app.OnRecordAfterCreateSuccess(name).BindFunc(other)
		app.OnRecordAfterUpdateSuccess(name).BindFunc(other)
		app.OnRecordAfterDeleteSuccess(name).BindFunc(other)
	}
}
