package portal

import (
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// A keyword filter (title ~ q || content ~ q) cannot use an index: the
// newest-first list walks the public appeals until it has found a page of
// matches, and a rare word walks all of them (0.25 s at 100k appeals,
// seconds at 1M), as does counting the matches. Keyword searches of the
// public pages therefore cover the newest Config.SearchWindow public
// appeals: the pages add `created >= since` to the filter, since being the
// day the window starts on, and say so. Searching older appeals is left to
// the other filters (category, township, state), which use indexes.
//
// What empties the kept start: age only (searchWindowMaxAge). It is a
// bound on the work of a search, not data shown: a start a little old
// only widens the window by the appeals made public since.

// searchWindowMaxAge bounds how long the start is kept.
const searchWindowMaxAge = time.Hour

type searchWindow struct {
	mu    sync.Mutex
	since string // "" while the window holds every public appeal
	at    time.Time
}

// handleSearchWindow runs GET /api/portal/public-appeals/search-window:
// where keyword searches of the public list start.
func (p *plugin) handleSearchWindow(e *core.RequestEvent) error {
	since, err := p.searchSince(e.App)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"since": since, "appeals": p.config.SearchWindow})
}

// searchSince answers the start of the day of the SearchWindow-th newest
// public appeal (UTC, PocketBase's date format), or "" when there are not
// that many: whole days, so that a search's filter (and its kept page
// and count) stays the same for a day.
func (p *plugin) searchSince(app core.App) (string, error) {
	w := &p.searchWindow
	w.mu.Lock()
	defer w.mu.Unlock()
	now := p.now()
	if !w.at.IsZero() && now.Sub(w.at) < searchWindowMaxAge {
		return w.since, nil
	}
	// The view's newest-first order walks its partial index on created
	// (migration 1764800100) without reading the rows.
	var created string
	err := app.DB().NewQuery("SELECT created FROM public_appeals ORDER BY created DESC LIMIT 1 OFFSET {:skip}").
		Bind(dbx.Params{"skip": p.config.SearchWindow - 1}).Row(&created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		created = ""
	case err != nil:
		return "", err
	case len(created) >= 10:
		created = created[:10] + " 00:00:00.000Z"
	}
	w.since, w.at = created, now
	return created, nil
}
