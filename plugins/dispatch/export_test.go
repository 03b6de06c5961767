package dispatch

import "github.com/pocketbase/pocketbase/core"

// CheckHeldCandidates runs the candidate check of candidates_check.go on r
// with app: r's candidates are held, checked and written back.
func CheckHeldCandidates(app core.App, r *core.Record) error {
	held := &pendingCandidates{}
	held.hold(r)
	defer held.release(r)
	return held.write(app, r)
}
