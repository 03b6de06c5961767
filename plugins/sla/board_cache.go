package sla

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// boardCache keeps the SLA board's answers (the encoded JSON) per scope:
// "" for the county, a department id for a handler's board. At 1M appeals
// one board costs ~35 ms of work (a GROUP BY over every 预警/超时 case and
// up to 20 cases read and clocked per department); the dashboard, the
// supervisor page and every handler's workbench ask it, so under load the
// requests queued behind each other. A kept answer is given again while it
// is younger than Config.BoardMaxAge on the platform clock (its as_of says
// when it was computed; the clock's 剩余/已超时 text and a 预警 case whose
// deadline passed since the last sweep follow within that age), and
// concurrent requests for an answer being computed wait for it instead of
// computing it again.
//
// What empties it (invalidate, a new generation): a created, updated or
// deleted appeal that is or was on the board (sla_state not normal with a
// running stage) — a case that becomes 预警/超时 (the sweep's actions), is
// signed, answered, closed, extended (延期) or moved to another
// department; any change of an SLA policy, a category (its policy), a
// department (its name), the calendar or the SLA settings. Changes that
// bypass the hooks (plain SQL) are seen after BoardMaxAge.
type boardCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]*boardEntry
}

type boardEntry struct {
	gen   uint64
	at    time.Time     // the platform clock the answer was computed at
	ready chan struct{} // closed once body/err are set
	body  []byte
	err   error
}

// boardCacheSize bounds the scopes kept (the county and each department).
const boardCacheSize = 512

func newBoardCache() *boardCache { return &boardCache{entries: map[string]*boardEntry{}} }

// get answers scope's board as of now: the kept one when it is of the
// current generation and younger than maxAge, the one being computed when
// there is one, else compute(now)'s.
func (c *boardCache) get(scope string, now time.Time, maxAge time.Duration, compute func(now time.Time) ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	e := c.entries[scope]
	if e != nil && e.gen == c.gen {
		select {
		case <-e.ready:
			if e.err == nil && !now.Before(e.at) && now.Sub(e.at) < maxAge {
				c.mu.Unlock()
				return e.body, nil
			}
		default:
			// Being computed since the latest change: its answer is as
			// fresh as one started now.
			c.mu.Unlock()
			<-e.ready
			return e.body, e.err
		}
	}
	if len(c.entries) >= boardCacheSize {
		clear(c.entries)
	}
	e = &boardEntry{gen: c.gen, at: now, ready: make(chan struct{})}
	c.entries[scope] = e
	c.mu.Unlock()

	body, err := compute(now)
	c.mu.Lock()
	e.body, e.err = body, err
	if err != nil && c.entries[scope] == e {
		delete(c.entries, scope) // the next request tries again
	}
	close(e.ready)
	c.mu.Unlock()
	return body, err
}

// invalidate starts a new generation: no kept answer is given again.
func (c *boardCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// onBoard: the case is listed and counted by the board.
func onBoard(r *core.Record) bool {
	state := r.GetString("sla_state")
	return state != "" && state != "normal" && r.GetString("sla_stage") != ""
}

// boardRuleTables are the tables whose changes change any case's clock or
// the board's labels.
var boardRuleTables = []string{"sla_policies", "categories", "departments", "calendar_days", "sla_settings"}

// bindBoardCache empties the board cache on the changes listed on
// boardCache. The After…Success hooks run once the change is committed,
// so an answer computed after the invalidation reads it.
func (p *plugin) bindBoardCache(app core.App) {
	appeal := func(e *core.RecordEvent) error {
		if onBoard(e.Record) || onBoard(e.Record.Original()) {
			p.board.invalidate()
		}
		return e.Next()
	}
	// A created record's original is blank (PocketBase's Record.Original
	// of a record made by NewRecord), never on the board: only the record
	// itself is looked at, without the copy of its 80 fields.
	app.OnRecordAfterCreateSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		if onBoard(e.Record) {
			p.board.invalidate()
		}
		return e.Next()
	})
	app.OnRecordAfterUpdateSuccess("appeals").BindFunc(appeal)
	app.OnRecordAfterDeleteSuccess("appeals").BindFunc(appeal)
	rule := func(e *core.RecordEvent) error {
		p.board.invalidate()
		return e.Next()
	}
	for _, c := range boardRuleTables {
		app.OnRecordAfterCreateSuccess(c).BindFunc(rule)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(rule)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(rule)
	}
}
