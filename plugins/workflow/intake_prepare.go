package workflow

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// PrepareIntakeEvent is triggered by Engine.Submit before the intake's
// write transaction, for work that only reads (the dispatch plugin's
// duplicate search and classifier): done here it runs beside other
// submissions instead of while every writer waits for this one.
type PrepareIntakeEvent struct {
	hook.Event

	// App is the app Submit was given (not the intake's transaction).
	App core.App

	// Appeal is a draft carrying the submitted fields (no id, ticket or
	// deadline yet). Read it only, and do not keep it: the first attempt
	// of the transaction completes and saves this very record; a retried
	// attempt saves a fresh one built from the same submission.
	Appeal *core.Record

	// Context is the context the appeal is saved with: a handler adds what
	// it computed (context.WithValue) for its own record hooks to find in
	// core.RecordEvent.Context, and must check there that the record still
	// has the fields it computed from.
	Context context.Context
}

// prepareIntakeKey holds the app's hook in app.Store(), which the
// transaction apps share with their app.
const prepareIntakeKey = "workflow.onPrepareIntake"

// OnPrepareIntake answers app's PrepareIntakeEvent hook (the same whether
// the workflow plugin or a plugin binding to it registers first).
func OnPrepareIntake(app core.App) *hook.Hook[*PrepareIntakeEvent] {
	return app.Store().GetOrSet(prepareIntakeKey, func() any {
		return &hook.Hook[*PrepareIntakeEvent]{}
	}).(*hook.Hook[*PrepareIntakeEvent])
}
