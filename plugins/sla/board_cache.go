package sla

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/keptpages"
)

// The SLA board's answers (the encoded JSON) are kept per scope in a
// keptpages.Cache: "" for the county, "department:ID" for a handler's
// board. At 1M appeals one board costs ~35 ms of work (a GROUP BY over
// every 预警/超时 case and up to 20 cases read and clocked per department);
// the dashboard, the supervisor page and every handler's workbench ask it,
// so under load the requests queued behind each other. A kept answer is
// given again while it is younger than Config.BoardMaxAge on the platform
// clock (the cache's clock; its as_of is the page's At: the clock's
// 剩余/已超时 text and a 预警 case whose deadline passed since the last
// sweep follow within that age), and concurrent requests for an answer
// being computed wait for it (or its error, which is not kept) instead of
// computing it again (unless it began BoardMaxAge ago: then one starts).
//
// What empties it (Changed, a new generation): a created, updated or
// deleted appeal that is or was on the board (sla_state not normal with a
// running stage) — a case that becomes 预警/超时 (the sweep's actions), is
// signed, answered, closed, extended (延期) or moved to another
// department; any change of an SLA policy, a category (its policy), a
// department (its name), the calendar or the SLA settings. Changes that
// bypass the hooks (plain SQL) are seen after BoardMaxAge.

// boardMaxBytes bounds the kept boards' JSON (the county's and one per
// department: a few KB to ~100 KB each).
const boardMaxBytes = 32 << 20

func newBoardCache(maxAge time.Duration, now func() time.Time) *keptpages.Cache {
	return keptpages.New(maxAge, boardMaxBytes, now)
}

// onBoard: the case is listed and counted by the board.
func onBoard(r *core.Record) bool {
	state := r.GetString("sla_state")
	return state != "" && state != "normal" && r.GetString("sla_stage") != ""
}

// boardRuleTables are the tables whose changes change any case's clock or
// the board's labels.
var boardRuleTables = []string{"sla_policies", "categories", "departments", "calendar_days", "sla_settings"}

// bindBoardCache empties the board cache on the changes listed above.
// The After…Success hooks run once the change is committed,
// so an answer computed after the invalidation reads it.
func (p *plugin) bindBoardCache(app core.App) {
	appeal := func(e *core.RecordEvent) error {
		if onBoard(e.Record) || onBoard(e.Record.Original()) {
			p.board.Changed()
		}
		return e.Next()
	}
	// A created record's original is blank (PocketBase's Record.Original
	// of a record made by NewRecord), never on the board: only the record
	// itself is looked at, without the copy of its 80 fields.
	app.OnRecordAfterCreateSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		if onBoard(e.Record) {
			p.board.Changed()
		}
		return e.Next()
	})
	app.OnRecordAfterUpdateSuccess("appeals").BindFunc(appeal)
	app.OnRecordAfterDeleteSuccess("appeals").BindFunc(appeal)
	rule := func(e *core.RecordEvent) error {
		p.board.Changed()
		return e.Next()
	}
	for _, c := range boardRuleTables {
		app.OnRecordAfterCreateSuccess(c).BindFunc(rule)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(rule)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(rule)
	}
}
