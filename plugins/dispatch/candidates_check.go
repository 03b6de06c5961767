package dispatch

import (
	"context"
	"encoding/json"
	"sync"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/sqlstmt"
)

// The duplicate candidates of a new appeal are written after PocketBase's
// record validation, with their existence checked here, instead of by
// PocketBase's relation check. That check is `SELECT count(*) … WHERE
// "id" IN (?, ?, …)` built by dbx: on a database with STAT4 statistics
// (after ANALYZE or PRAGMA optimize) SQLite prepares it again at every run,
// because each new id bound to the IN list might change the plan (measured
// in docs/performance.md, "Intake: driver statement cache"). The check
// below is prepared once, its ids are one JSON parameter, and it answers
// the same: every candidate must exist in the intake's transaction, or the
// save fails with PocketBase's own error for that field.
var countAppealsIn = sqlstmt.New("SELECT count(*) FROM appeals WHERE id IN (SELECT value FROM json_each(CAST(? AS TEXT)))")

// pendingCandidates holds, per appeal being created, the candidates the
// suggestion found, from the create hook (before validation) to the
// execute hook (after it). The create hook removes its entry when the save
// ends, whatever happened.
type pendingCandidates struct{ m sync.Map } // *core.Record → []string

// hold takes the candidates off the record until it is written.
func (p *pendingCandidates) hold(r *core.Record) {
	ids := r.GetStringSlice("duplicate_candidates")
	if len(ids) == 0 {
		return
	}
	r.Set("duplicate_candidates", nil)
	p.m.Store(r, ids)
}

// release forgets r's candidates (after its save, written or not).
func (p *pendingCandidates) release(r *core.Record) { p.m.Delete(r) }

// write puts r's held candidates back on it once they are checked, with
// app (the transaction the record is inserted in).
func (p *pendingCandidates) write(app core.App, r *core.Record) error {
	v, ok := p.m.Load(r)
	if !ok {
		return nil
	}
	ids := v.([]string)
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	var found int
	if err := countAppealsIn.QueryRow(context.Background(), app, string(list)).Scan(&found); err != nil {
		return err
	}
	if found != len(ids) {
		// word for word PocketBase's RelationField error
		return validation.Errors{"duplicate_candidates": validation.NewError("validation_missing_rel_records",
			"Failed to find all relation records with the provided ids")}
	}
	r.Set("duplicate_candidates", ids)
	return nil
}

// bindCandidateWrite binds the hooks that move the candidates of a new
// appeal past validation (see countAppealsIn).
func bindCandidateWrite(app core.App, held *pendingCandidates) {
	app.OnRecordCreateExecute("appeals").BindFunc(func(e *core.RecordEvent) error {
		if err := held.write(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
}
