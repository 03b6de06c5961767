package dispatch

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/sqlstmt"
)

// openWindow keeps in memory, per scope the duplicate search has asked for
// (the county, a township, a category), the most recent open appeals: their
// id, creation time, status and township, in window order. Reading the 200
// candidates of an intake from the covering index was the largest part of
// its duplicate search (modernc SQLite costs about 1.5 µs per row); the
// window answers them from memory and reads only the appeals created since
// the last search (one short seek by rowid).
//
// What changes it, and so what the next search sees:
//   - a new appeal (created by anyone, in any process): the next search
//     first reads the appeals with a rowid above the window's horizon and
//     puts the open ones into the lists they belong to;
//   - any update of an appeal through PocketBase (a closure, a withdrawal, a
//     merge, a new township or category, a reopening): the after-update
//     hook moves it between the lists or drops it; a delete drops it;
//   - a list trimmed (above windowListMax entries) or loaded with its LIMIT
//     hit is marked truncated, and is reloaded from the database when fewer
//     than candidateLimit of its entries are left in the window;
//   - everything is emptied every windowTTL, so that an appeal updated by
//     another process (not through this process's hooks) is seen within it,
//     and when the appeals created since the last search are too many to
//     read one by one (a bulk import).
//
// Reads and hooks take one mutex; the new rows are read while it is held,
// so an update committed after that read waits and is applied after it.
type openWindow struct {
	mu      sync.Mutex
	horizon int64 // largest appeals rowid read; -1 before the first search
	reset   time.Time
	lists   map[scopeKey]*scopeList
	byID    map[string]*windowEntry
}

const (
	windowStoreKey = "dispatch.openWindow"
	windowTTL      = 5 * time.Minute
	// windowListLoad is how many of a scope's most recent open appeals a
	// load reads: a margin above candidateLimit, so that a few closures do
	// not force a reload.
	windowListLoad = candidateLimit + 56
	windowListMax  = 2 * windowListLoad
	// windowSyncMax bounds the new rows one search reads; more empty the window.
	windowSyncMax = 1000
)

// scopeKey names a list: field "" is the whole county, else "region" or
// "category" with its value (see scopeOf).
type scopeKey struct{ field, value string }

type scopeList struct {
	key       scopeKey
	entries   []*windowEntry // created DESC, id DESC
	truncated bool           // older open appeals of the scope may exist in the database only
}

type windowEntry struct {
	id, created, status, region string
	facts                       *textFacts // from factsCache once it holds them (they never change while open)
	in                          []*scopeList
}

func newOpenWindow() *openWindow { return &openWindow{horizon: -1} }

// windowOf answers app's window (nil: the dispatch plugin, whose hooks keep
// it current, is not registered on app).
func windowOf(app core.App) *openWindow {
	w, _ := app.Store().Get(windowStoreKey).(*openWindow)
	return w
}

// bindOpenWindow creates app's window and binds what keeps it current.
func bindOpenWindow(app core.App) {
	w := newOpenWindow()
	app.Store().Set(windowStoreKey, w)
	app.OnRecordAfterUpdateSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		w.mu.Lock()
		w.apply(r.Id, r.GetDateTime("created").String(), r.GetString("status"), r.GetString("region"), r.GetString("category"))
		w.mu.Unlock()
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		w.mu.Lock()
		if en := w.byID[e.Record.Id]; en != nil {
			for _, l := range en.in {
				l.remove(en)
			}
			delete(w.byID, en.id)
		}
		w.mu.Unlock()
		return e.Next()
	})
}

var (
	maxAppealRowid = sqlstmt.New("SELECT coalesce(max(rowid), 0) FROM appeals")
	appealsAfter   = sqlstmt.New("SELECT rowid, id, created, status, region, category FROM appeals WHERE rowid > CAST(? AS INTEGER) ORDER BY rowid LIMIT " +
		strconv.Itoa(windowSyncMax))
	// the loads walk the partial indexes of the open appeals (their
	// condition repeated word for word) and read only covered columns;
	// they do not stop at a window start, so that any caller's window (see
	// FindDuplicates) is answered from the same lists
	loadCounty   = sqlstmt.New(openAppeals(byCreated, "", windowListLoad))
	loadRegion   = sqlstmt.New(openAppeals(byRegion, inRegion, windowListLoad))
	loadCategory = sqlstmt.New(openAppeals(byCategory, inCategory, windowListLoad))
)

// candidates answers a's candidates (the most recent candidateLimit open
// appeals of its scope created since, a itself left out) and the horizon:
// every appeal with a rowid up to it is reflected in the answer. app must
// not be a transaction (its uncommitted rows would enter the window).
func (w *openWindow) candidates(app core.App, a *core.Record, since string) ([]listed, int64, error) {
	ctx := context.Background()
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.refresh(ctx, app); err != nil {
		return nil, 0, err
	}
	key := scopeOf(a)
	l := w.lists[key]
	if l != nil && l.truncated && l.short(since) {
		w.drop(l)
		l = nil
	}
	if l == nil {
		var err error
		if l, err = w.load(ctx, app, key); err != nil {
			return nil, 0, err
		}
	}
	out := make([]listed, 0, min(len(l.entries), candidateLimit))
	for _, en := range l.entries {
		if len(out) == candidateLimit || en.created < since {
			break
		}
		if en.id != a.Id {
			if en.facts == nil {
				en.facts = factsCache.get(en.id)
			}
			out = append(out, listed{id: en.id, created: en.created, status: en.status, region: en.region, facts: en.facts})
		}
	}
	return out, w.horizon, nil
}

// refresh empties the window when it is due, else reads the appeals
// created since the last search.
func (w *openWindow) refresh(ctx context.Context, app core.App) error {
	if w.horizon >= 0 && time.Since(w.reset) < windowTTL {
		rows, err := appealsAfter.Query(ctx, app, w.horizon)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var rowid int64
			var id, created, status, region, category string
			if err := rows.Scan(&rowid, &id, &created, &status, &region, &category); err != nil {
				return err
			}
			w.apply(id, created, status, region, category)
			w.horizon = max(w.horizon, rowid)
			n++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n < windowSyncMax {
			return nil
		}
	}
	// empty: the horizon first, so that the lists loaded later (which may
	// already hold newer appeals) miss nothing
	w.lists, w.byID = map[scopeKey]*scopeList{}, map[string]*windowEntry{}
	w.reset = time.Now()
	return maxAppealRowid.QueryRow(ctx, app).Scan(&w.horizon)
}

// load reads a scope's most recent open appeals into a new list.
func (w *openWindow) load(ctx context.Context, app core.App, key scopeKey) (*scopeList, error) {
	stmt, args := loadCounty, []any(nil)
	switch key.field {
	case "region":
		stmt, args = loadRegion, []any{key.value}
	case "category":
		stmt, args = loadCategory, []any{key.value}
	}
	rows, err := stmt.Query(ctx, app, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	l := &scopeList{key: key}
	for rows.Next() {
		var id, created, status, region string
		if err := rows.Scan(&id, &created, &status, &region); err != nil {
			return nil, err
		}
		en := w.byID[id]
		if en == nil {
			en = &windowEntry{id: id, created: created}
			w.byID[id] = en
		}
		en.status, en.region = status, region
		en.in = append(en.in, l)
		l.entries = append(l.entries, en)
	}
	if err := rows.Err(); err != nil {
		w.drop(l)
		return nil, err
	}
	l.truncated = len(l.entries) == windowListLoad
	w.lists[key] = l
	return l, nil
}

// apply puts an appeal as it now stands into the lists it belongs to and
// out of the others.
func (w *openWindow) apply(id, created, status, region, category string) {
	open := openStatus[status]
	en := w.byID[id]
	if en != nil {
		en.status, en.region = status, region
		kept := en.in[:0]
		for _, l := range en.in {
			if open && l.key.holds(region, category) {
				kept = append(kept, l)
			} else {
				l.remove(en)
			}
		}
		en.in = kept
	}
	if open {
		if en == nil {
			en = &windowEntry{id: id, created: created, status: status, region: region}
		}
		for _, key := range []scopeKey{{}, {"region", region}, {"category", category}} {
			l := w.lists[key]
			if l == nil || (key.field != "" && key.value == "") || slices.Contains(en.in, l) {
				continue
			}
			if l.truncated && len(l.entries) > 0 && !newerEntry(en, l.entries[len(l.entries)-1]) {
				continue // older than the list's tail: the database answers it when the list is reloaded
			}
			l.insert(en)
			w.byID[id] = en
			if len(l.entries) > windowListMax {
				w.trim(l)
			}
		}
	}
	if en != nil && len(en.in) == 0 {
		delete(w.byID, id)
	}
}

// trim keeps a list's windowListLoad most recent entries.
func (w *openWindow) trim(l *scopeList) {
	for _, en := range l.entries[windowListLoad:] {
		en.leave(l)
		if len(en.in) == 0 {
			delete(w.byID, en.id)
		}
	}
	clear(l.entries[windowListLoad:])
	l.entries = l.entries[:windowListLoad]
	l.truncated = true
}

// drop forgets a list.
func (w *openWindow) drop(l *scopeList) {
	for _, en := range l.entries {
		en.leave(l)
		if len(en.in) == 0 {
			delete(w.byID, en.id)
		}
	}
	delete(w.lists, l.key)
}

var openStatus = map[string]bool{"submitted": true, "accepted": true, "dispatched": true,
	"handling": true, "suspended": true, "replied": true} // OpenAppealsCondition

// scopeOf is where a's candidates come from: the same township if known,
// else the same category, else the whole county.
func scopeOf(a *core.Record) scopeKey {
	switch {
	case a.GetString("region") != "":
		return scopeKey{"region", a.GetString("region")}
	case a.GetString("category") != "":
		return scopeKey{"category", a.GetString("category")}
	}
	return scopeKey{}
}

// holds tells whether an open appeal of that township and category belongs to the list.
func (k scopeKey) holds(region, category string) bool {
	switch k.field {
	case "region":
		return region == k.value
	case "category":
		return category == k.value
	}
	return true
}

// short: fewer than candidateLimit entries are left in the window, while
// the tail is still in it (older open appeals may then be candidates).
func (l *scopeList) short(since string) bool {
	n := 0
	for _, en := range l.entries {
		if en.created < since {
			return false
		}
		if n++; n >= candidateLimit {
			return false
		}
	}
	return true
}

func (l *scopeList) insert(en *windowEntry) {
	i, _ := slices.BinarySearchFunc(l.entries, en, compareEntries)
	l.entries = slices.Insert(l.entries, i, en)
	en.in = append(en.in, l)
}

func (l *scopeList) remove(en *windowEntry) {
	if i, found := slices.BinarySearchFunc(l.entries, en, compareEntries); found {
		l.entries = slices.Delete(l.entries, i, i+1)
	}
}

func (en *windowEntry) leave(l *scopeList) {
	en.in = slices.DeleteFunc(en.in, func(x *scopeList) bool { return x == l })
}

// compareEntries is the window order: created DESC, id DESC.
func compareEntries(x, y *windowEntry) int {
	switch {
	case x.created != y.created:
		if x.created > y.created {
			return -1
		}
		return 1
	case x.id > y.id:
		return -1
	case x.id < y.id:
		return 1
	}
	return 0
}

func newerEntry(x, y *windowEntry) bool { return compareEntries(x, y) < 0 }
