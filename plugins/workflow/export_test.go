package workflow

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
)

// SetQueueComputed has f called after each computation of a kept first
// page of the queue (by a reader or a refresh), with the department and
// view, before the page is kept; the returned func restores none.
func SetQueueComputed(f func(dept, view string)) (restore func()) {
	queueComputedHook.Store(&f)
	return func() { queueComputedHook.Store(nil) }
}

// SubmitEvent builds the submission's timeline entry as Submit writes it.
func SubmitEvent(tx core.App, appeal *core.Record, actor Actor) (*core.Record, error) {
	return submitEvent(tx, appeal, actor)
}

// InsertRecord writes r as an intake's appeal is written (intake_insert.go).
func InsertRecord(app core.App, r *core.Record) (bool, error) {
	return insertRecord(context.Background(), app, r)
}

// WriterTime answers the nanoseconds the intake writer has spent inside
// the jobs' run functions and inside whole transactions (intake_batch.go).
func WriterTime() (runs, held, txs, batches int64) {
	return writerTime.runs.Load(), writerTime.held.Load(), writerTime.txs.Load(), writerTime.batches.Load()
}

func init() { labelWriter = true }
