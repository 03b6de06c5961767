package workflow

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Refresh-ahead of the kept queue pages (queuepages.go). A change drops
// its departments' pages; the workbenches of those departments reload on
// the change's realtime event, and the first of them computes the page
// while the others wait for it (keptpages). Here a dropped page that
// clerks are reading is computed again in the background shortly after
// the change, so that a reader arriving later finds it kept, and one
// arriving meanwhile waits for that computation instead of starting one.
//
// Bounded: a page is refreshed only if a reader asked for it since it was
// last computed (a refreshed page nobody reads is not refreshed again),
// within queueRefreshWindow, at most queueRefreshMax pages are followed,
// and one goroutine at a time computes them, one after the other, on the
// read pool (not the writer): the work is at most one computation per
// page read, which the reader would otherwise have done.
//
// Correctness is the kept pages': a refresh is an ordinary computation
// that starts after the drop (keptpages.Begin), and a later drop while it
// runs discards its answer (keptpages.Finish), exactly as for a reader.
// What empties the followed pages: nothing needs to; an entry older than
// queueRefreshWindow is ignored and removed when the map is full.

const (
	// queueRefreshDelay lets the several records of one action (a task,
	// the case, its reply) drop the pages before the refresh starts, so
	// that an action costs one computation per page, not one per record.
	queueRefreshDelay = 2 * time.Millisecond
	// queueRefreshWindow: pages read longer ago are left dropped.
	queueRefreshWindow = time.Minute
	// queueRefreshMax bounds the pages followed (past it, the old ones
	// are forgotten, then all).
	queueRefreshMax = 512
)

// queueRefresh follows the pages read and refreshes the dropped ones.
type queueRefresh struct {
	compute func(ctx context.Context, key string, page queueWanted)

	mu      sync.Mutex
	wanted  map[string]*queueWanted // by page key
	due     map[string]bool         // dropped pages to refresh
	running bool                    // a goroutine is refreshing
}

// queueWanted is a first page that readers ask for: what to read, when it
// was last asked, and whether it was asked since it was last refreshed.
type queueWanted struct {
	dept, view string
	perPage    int
	at         time.Time
	asked      bool
}

func newQueueRefresh(compute func(ctx context.Context, key string, page queueWanted)) *queueRefresh {
	return &queueRefresh{compute: compute, wanted: map[string]*queueWanted{}, due: map[string]bool{}}
}

// asked notes a reader's request of a kept page.
func (r *queueRefresh) asked(key, dept, view string, perPage int) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if w := r.wanted[key]; w != nil {
		w.at, w.asked = now, true
		return
	}
	if len(r.wanted) >= queueRefreshMax {
		for k, w := range r.wanted {
			if now.Sub(w.at) > queueRefreshWindow {
				delete(r.wanted, k)
			}
		}
		if len(r.wanted) >= queueRefreshMax {
			r.wanted = map[string]*queueWanted{}
		}
	}
	r.wanted[key] = &queueWanted{dept: dept, view: view, perPage: perPage, at: now, asked: true}
}

// dropped schedules the refresh of the pages whose key starts with prefix
// ("" for all) that were asked for recently.
func (r *queueRefresh) dropped(prefix string) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	for key, w := range r.wanted {
		if w.asked && now.Sub(w.at) <= queueRefreshWindow && strings.HasPrefix(key, prefix) {
			r.due[key] = true
		}
	}
	if len(r.due) > 0 && !r.running {
		r.running = true
		go r.run()
	}
}

// run refreshes the due pages until none is left.
func (r *queueRefresh) run() {
	for {
		time.Sleep(queueRefreshDelay)
		r.mu.Lock()
		if len(r.due) == 0 {
			r.running = false
			r.mu.Unlock()
			return
		}
		key := ""
		for k := range r.due {
			key = k
			break
		}
		delete(r.due, key)
		var page queueWanted
		if w := r.wanted[key]; w != nil {
			page = *w
			w.asked = false
		}
		r.mu.Unlock()
		if page.dept != "" {
			r.compute(context.Background(), key, page)
		}
	}
}
