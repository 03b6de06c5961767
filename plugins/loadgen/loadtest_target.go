package loadgen

import (
	"errors"
	"fmt"
	"math/rand"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// Target is what the load test needs from a seeded folder: sign-in tokens
// of existing accounts and data to ask about. The tokens are minted with
// the folder's own keys (the process reads the folder, which is already
// more than any token grants), so no password, superuser or server-side
// switch is needed.
type Target struct {
	HandlerToken    string   // a handler of the department with the most open tasks (among those with a handler)
	SupervisorToken string   // central staff, for metrics and dashboard
	ResidentToken   string   // the resident with the most appeals (我的诉求)
	Tickets         []string // seeded tickets, tracked with their generated query codes
	Seed            int64    // the seed the folder was generated with
	Category        string   // the category with the most appeals
	Last            time.Time
}

// ErrNotSeeded refuses a folder whose cases are not the seeder's: the load
// test writes appeals and switches the rate limiter off.
var ErrNotSeeded = errors.New("loadtest: this folder's appeals were not written by `siyang seed` with this --seed; refusing to load-test it")

// CheckSeeded answers ErrNotSeeded unless the oldest appeals' query codes
// are the ones the seeder derives from seed (real appeals have random ones).
func CheckSeeded(app core.App, seed int64) error {
	var rows []struct {
		Ticket string `db:"ticket"`
		Hash   string `db:"query_code_hash"`
	}
	if err := app.DB().NewQuery(`SELECT ticket, query_code_hash FROM appeals ORDER BY created LIMIT 20`).All(&rows); err != nil {
		return err
	}
	if len(rows) == 0 {
		return ErrNotSeeded
	}
	for _, r := range rows {
		if r.Hash != workflow.HashQueryCode(QueryCode(seed, r.Ticket)) {
			return ErrNotSeeded
		}
	}
	return nil
}

// DisableRateLimits switches PocketBase's rate limiter off in the folder's
// settings (the load comes from one address). Only for a seeded folder; a
// server already running keeps its settings until restarted.
func DisableRateLimits(app core.App) error {
	s := app.Settings()
	if !s.RateLimits.Enabled {
		return nil
	}
	s.RateLimits.Enabled = false
	return app.Save(s)
}

// FindTarget picks the accounts and data of a seeded folder.
func FindTarget(app core.App, seed int64, tickets int) (*Target, error) {
	t := &Target{Seed: seed}
	db := app.DB()
	var dept string
	err := db.NewQuery(`SELECT a.lead_department FROM appeals a
		WHERE a.status IN ('dispatched','handling','suspended')
		  AND a.lead_department IN (SELECT department FROM staff WHERE role = 'handler' AND active = 1)
		GROUP BY a.lead_department ORDER BY COUNT(*) DESC LIMIT 1`).Row(&dept)
	if err != nil {
		return nil, fmt.Errorf("loadtest: no department with open tasks and an active handler: %w", err)
	}
	handler, err := app.FindFirstRecordByFilter("staff", "role = 'handler' && active = true && department = {:d}", dbx.Params{"d": dept})
	if err != nil {
		return nil, err
	}
	supervisor, err := app.FindFirstRecordByFilter("staff", "role = 'supervisor' && active = true")
	if err != nil {
		return nil, fmt.Errorf("loadtest: no active supervisor account: %w", err)
	}
	var residentID string
	if err := db.NewQuery(`SELECT resident FROM appeals WHERE resident != '' GROUP BY resident ORDER BY COUNT(*) DESC LIMIT 1`).Row(&residentID); err != nil {
		return nil, fmt.Errorf("loadtest: no resident with appeals: %w", err)
	}
	resident, err := app.FindRecordById("users", residentID)
	if err != nil {
		return nil, err
	}
	for _, r := range []struct {
		rec *core.Record
		tok *string
	}{{handler, &t.HandlerToken}, {supervisor, &t.SupervisorToken}, {resident, &t.ResidentToken}} {
		if *r.tok, err = r.rec.NewAuthToken(); err != nil {
			return nil, err
		}
	}
	// cases spread over the whole table, picked by rowid (ORDER BY random()
	// would read all 1M rows), the same ones for the same seed
	var maxRow int64
	if err := db.NewQuery(`SELECT MAX(rowid) FROM appeals`).Row(&maxRow); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewSource(seed))
	rowids := make([]any, 0, tickets*2)
	for range tickets * 2 {
		rowids = append(rowids, rng.Int63n(maxRow)+1)
	}
	var rows []struct {
		Ticket string `db:"ticket"`
		Hash   string `db:"query_code_hash"`
	}
	if err := db.Select("ticket", "query_code_hash").From("appeals").Where(dbx.In("rowid", rowids...)).All(&rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if len(t.Tickets) < tickets && r.Hash == workflow.HashQueryCode(QueryCode(seed, r.Ticket)) {
			t.Tickets = append(t.Tickets, r.Ticket)
		}
	}
	if len(t.Tickets) == 0 {
		return nil, ErrNotSeeded
	}
	if err := db.NewQuery(`SELECT category FROM appeals WHERE category != '' GROUP BY category ORDER BY COUNT(*) DESC LIMIT 1`).Row(&t.Category); err != nil {
		return nil, err
	}
	var last string
	if err := db.NewQuery(`SELECT MAX(created) FROM appeals`).Row(&last); err != nil {
		return nil, err
	}
	dt, err := types.ParseDateTime(last)
	if err != nil {
		return nil, err
	}
	t.Last = dt.Time().In(hooks.ChinaTime())
	return t, nil
}

// RollupReady reports whether the metric roll-up has no full rebuild due
// (a folder seeded before the roll-up existed gets it built by the
// server's job in its first minutes; metrics before that measure the
// rebuild, not the load).
func RollupReady(app core.App) (bool, error) {
	var n int
	err := app.DB().NewQuery(`SELECT COUNT(*) FROM metric_months WHERE month = {:all} AND dirty = 0 AND as_of != ''`).
		Bind(dbx.Params{"all": "*"}).Row(&n)
	return n > 0, err
}
