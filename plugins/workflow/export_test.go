package workflow

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
)

// SubmitEvent builds the submission's timeline entry as Submit writes it.
func SubmitEvent(tx core.App, appeal *core.Record, actor Actor) (*core.Record, error) {
	return submitEvent(tx, appeal, actor)
}

// InsertRecord writes r as an intake's appeal is written (intake_insert.go).
func InsertRecord(app core.App, r *core.Record) (bool, error) {
	return insertRecord(context.Background(), app, r)
}
