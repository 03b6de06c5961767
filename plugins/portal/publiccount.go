package portal

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"siyang/internal/overload"
	"siyang/plugins/workflow"
)

// The public list's pager needs the number of public appeals that match
// the list's filter. Counting them is a scan of up to two thirds of the
// appeals table (about 650,000 index entries at 1M appeals); the list page
// itself asks PocketBase for its rows with skipTotal and this endpoint for
// the total, which is counted once and then kept.
//
// What empties the cache: any saved or deleted appeal that is or was
// public (accepted, consented, not 保密) whose shown columns or publicity
// changed, any change of a reply, category, township or department (the
// view shows replies; filters may name a relation's fields), through the
// record hooks of publicchanges.go. A count computed before such a change
// is still answered, marked as approximate (the page says 约), while one
// recount runs in the background; so a busy platform recounts at most once
// per filter at a time, and a quiet one answers the exact figure from
// memory. Changes that bypass the hooks (plain SQL: the
// load generator, manual repairs) are seen after publicCountMaxAge.

// publicCountMaxAge bounds how long a count is trusted without any change
// seen by the hooks.
const publicCountMaxAge = 10 * time.Minute

// publicCountMaxKeys bounds the memory: past it the cache starts empty.
const publicCountMaxKeys = 500

// publicCountSyncBelow: a count that took less than this is simply redone
// after a change (a county's table), so the figure is exact; a slower one
// is answered as 约 while it is redone in the background.
const publicCountSyncBelow = 50 * time.Millisecond

type publicCounts struct {
	mu        sync.Mutex
	gen       uint64 // bumped by every change that can alter a count
	entries   map[string]*publicCount
	syncBelow time.Duration
}

type publicCount struct {
	n          int
	gen        uint64 // the generation the count was started at
	at         time.Time
	took       time.Duration
	ready      chan struct{} // closed once the first count is in
	err        error
	refreshing bool
}

func newPublicCounts() *publicCounts {
	return &publicCounts{entries: map[string]*publicCount{}, syncBelow: publicCountSyncBelow}
}

// changed empties the cache (logically: counts become approximate).
func (c *publicCounts) changed() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// get answers the count for filter and whether it is exact (no change
// since it was counted), counting with count when there is none.
func (c *publicCounts) get(filter string, count func() (int, error)) (int, bool, error) {
	c.mu.Lock()
	e := c.entries[filter]
	if e == nil {
		if len(c.entries) >= publicCountMaxKeys {
			c.entries = map[string]*publicCount{}
		}
		e = &publicCount{gen: c.gen, ready: make(chan struct{}), refreshing: true}
		c.entries[filter] = e
		c.mu.Unlock()
		start := time.Now()
		n, err := count()
		c.mu.Lock()
		e.n, e.err, e.at, e.took, e.refreshing = n, err, time.Now(), time.Since(start), false
		if err != nil {
			delete(c.entries, filter) // the next reader tries again
		}
		exact := e.gen == c.gen
		close(e.ready)
		c.mu.Unlock()
		return n, exact, err
	}
	c.mu.Unlock()
	<-e.ready // a first count in progress: wait for it rather than count again

	c.mu.Lock()
	if e.err != nil {
		c.mu.Unlock()
		return 0, false, e.err
	}
	if e.gen == c.gen && time.Since(e.at) < publicCountMaxAge {
		defer c.mu.Unlock()
		return e.n, true, nil
	}
	gen := c.gen
	if e.took < c.syncBelow {
		c.mu.Unlock()
		start := time.Now()
		n, err := count()
		if err != nil {
			return 0, false, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if gen >= e.gen {
			e.n, e.gen, e.at, e.took = n, gen, time.Now(), time.Since(start)
		}
		return n, gen == c.gen, nil
	}
	defer c.mu.Unlock()
	if !e.refreshing {
		e.refreshing = true
		go func() {
			start := time.Now()
			n, err := count()
			c.mu.Lock()
			defer c.mu.Unlock()
			e.refreshing = false
			if err == nil && gen >= e.gen {
				e.n, e.gen, e.at, e.took = n, gen, time.Now(), time.Since(start)
			}
		}()
	}
	return e.n, false, nil
}

// handlePublicCount runs GET /api/portal/public-appeals/count?filter=F:
// how many public appeals the public list shows for the same filter (the
// PocketBase filter syntax of /api/collections/public_appeals/records), and
// whether the figure is exact or from before the latest change (约).
func (p *plugin) handlePublicCount(e *core.RequestEvent) error {
	filter := strings.TrimSpace(e.Request.URL.Query().Get("filter"))
	if len(filter) > 2000 {
		return workflow.FieldError("filter", "筛选条件太长")
	}
	n, exact, err := p.publicCounts.get(filter, func() (int, error) {
		return countPublic(context.Background(), e.App, filter)
	})
	if errors.As(err, new(badFilterError)) {
		return workflow.FieldError("filter", "筛选条件无效")
	}
	if err != nil {
		// The database failed (busy, a slow disk at start): not the
		// visitor's filter. The filter is not logged (it may hold a
		// searched phrase).
		e.App.Logger().Error("public count failed", "error", err.Error())
		return overload.Answer(e, "暂时无法统计，请稍后再试", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"totalItems": n, "exact": exact})
}

// countPublic is the count PocketBase's list would make for filter (same
// filter resolution, same COUNT(DISTINCT id)), without also reading a page
// of rows: for a filter that matches nothing that read is a second scan.
func countPublic(ctx context.Context, app core.App, filter string) (int, error) {
	collection, err := app.FindCachedCollectionByNameOrId("public_appeals")
	if err != nil {
		return 0, err
	}
	resolver := core.NewRecordFieldResolver(app, collection, &core.RequestInfo{}, true)
	query := app.RecordQuery(collection).WithContext(ctx)
	if filter != "" {
		expr, err := search.FilterData(filter).BuildExpr(resolver)
		if err != nil {
			return 0, badFilterError{err}
		}
		query.AndWhere(expr)
	}
	if err := resolver.UpdateQuery(query); err != nil {
		return 0, badFilterError{err}
	}
	var n int
	err = query.Select("COUNT(DISTINCT [[" + collection.Name + ".id]])").Row(&n)
	return n, err
}

// warmPublicCount counts the unfiltered public list (the list page's and
// the home page's pager) once the server serves: the first count after a
// start reads two thirds of the appeals' index (~10 s at 1M appeals), which
// the first visitor would otherwise wait for. ctx is cancelled when the
// app terminates.
func (p *plugin) warmPublicCount(ctx context.Context) error {
	_, _, err := p.publicCounts.get("", func() (int, error) { return countPublic(ctx, p.app, "") })
	return err
}

// badFilterError marks a count that failed on the visitor's filter (a
// syntax error, an unknown field), not on the database.
type badFilterError struct{ err error }

func (b badFilterError) Error() string { return b.err.Error() }
func (b badFilterError) Unwrap() error { return b.err }
