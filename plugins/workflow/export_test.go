package workflow

import "github.com/pocketbase/pocketbase/core"

// SubmitEvent builds the submission's timeline entry as Submit writes it.
func SubmitEvent(tx core.App, appeal *core.Record, actor Actor) (*core.Record, error) {
	return submitEvent(tx, appeal, actor)
}
