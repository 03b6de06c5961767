package portal

import (
	"github.com/pocketbase/pocketbase/core"
)

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

// publicChange: saving or deleting r (with its state before, orig) can
// alter what the public view shows.
func publicChange(r, orig *core.Record, deleted bool) bool {
	if !isPublic(r) && !isPublic(orig) {
		return false
	}
	if deleted || orig == nil || isPublic(r) != isPublic(orig) {
		return true
	}
	for _, name := range publicColumns {
		if r.GetString(name) != orig.GetString(name) {
			return true
		}
	}
	return false
}

// bindPublicChanges empties the kept public counts (publiccount.go) and
// pages (publicpages.go) on the changes that can alter them.
func (p *plugin) bindPublicChanges(app core.App) {
	changed := func() {
		p.publicCounts.changed()
		p.publicPages.changed()
	}
	appeal := func(deleted bool) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			if publicChange(e.Record, e.Record.Original(), deleted) || p.publicPages.shows(e.Record.Id) {
				changed()
			}
			return e.Next()
		}
	}
	app.OnRecordAfterCreateSuccess("appeals").BindFunc(appeal(false))
	app.OnRecordAfterUpdateSuccess("appeals").BindFunc(appeal(false))
	app.OnRecordAfterDeleteSuccess("appeals").BindFunc(appeal(true))
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
