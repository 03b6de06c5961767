package analytics

import (
	"context"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// Freshness of the roll-up. Every successful create, update or delete of an
// appeal or an assignment marks the China-time days of the dates it counts
// on (old and new) dirty: their months in metric_months (so a restart loses
// no mark), the days themselves in memory. The roll-up job (RefreshRollup,
// every RollupInterval, one run at a time) recomputes the dirty months; the
// current month, whose day cells it keeps (rollup_days.go), only at its
// dirty days when every mark since its last refresh is known here. What
// empties a month's dirty mark, and a day's: only a refresh that began
// after their last mark.

// marks keeps, per month, the sequence number of its last mark and of each
// of its days' last marks, which months are known to be dirty in the
// database already (a mark of those writes nothing: the current month is
// dirty nearly all day, so intake pays no extra write), and which months'
// day cells were written by this process's last refresh of them (exact):
// only for those do the day marks here cover every change since.
type marks struct {
	mu        sync.Mutex
	seq       uint64
	last      map[string]uint64
	days      map[string]map[string]uint64
	exact     map[string]bool
	persisted map[string]bool
	written   func() // called after a mark is written to the database
}

func newMarks(written func()) *marks {
	return &marks{last: map[string]uint64{}, days: map[string]map[string]uint64{}, exact: map[string]bool{},
		persisted: map[string]bool{}, written: written}
}

// mark records days ("2026-11-25", China time) or allMonths as dirty.
func (k *marks) mark(app core.App, keys ...string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, key := range keys {
		k.seq++
		m := key
		if key != allMonths {
			m = key[:7]
			if k.days[m] == nil {
				k.days[m] = map[string]uint64{}
			}
			k.days[m][key] = k.seq
		}
		k.last[m] = k.seq
		if k.persisted[m] {
			continue
		}
		_, err := app.DB().NewQuery(`INSERT INTO metric_months (id, month, dirty, as_of) VALUES ({:id}, {:month}, 1, '')
			ON CONFLICT (month) DO UPDATE SET dirty = 1`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "month": m}).Execute()
		if err != nil {
			return err
		}
		k.persisted[m] = true
		// A month with no cells yet, or a rebuild due, is answered live
		// from now on: the kept answers are void.
		k.written()
	}
	return nil
}

// since is the sequence number a refresh starts from.
func (k *marks) since() uint64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.seq
}

// dirtyDays are the month's days marked since its last refresh, and
// whether they are all that changed (its day cells are exact otherwise).
func (k *marks) dirtyDays(month string) ([]string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for d := range k.days[month] {
		out = append(out, d)
	}
	return out, k.exact[month]
}

// refreshed records a successful refresh of month that began at start:
// its days marked before are clean; exact says its day cells were written.
func (k *marks) refreshed(month string, start uint64, exact bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for d, seq := range k.days[month] {
		if seq <= start {
			delete(k.days[month], d)
		}
	}
	k.exact[month] = exact
}

// failed records a failed refresh of month: its day cells may be partly
// written, so the next refresh recomputes it whole.
func (k *marks) failed(month string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.exact[month] = false
}

// guard saves a refreshed month's state: still dirty if marked after start.
func (k *marks) guard(start uint64) guardFunc {
	return func(month string, save func(dirty bool) error) error {
		k.mu.Lock()
		defer k.mu.Unlock()
		dirty := k.last[month] > start
		if err := save(dirty); err != nil {
			return err
		}
		if !dirty {
			// The transaction may still fail: then the row stays dirty in
			// the database and the next mark merely writes it again.
			delete(k.persisted, month)
		}
		return nil
	}
}

// chinaDay is the China-time day of a stored datetime, "" for none.
func chinaDay(s string) string {
	if s == "" {
		return ""
	}
	t, err := time.Parse(dbDateLayout, s)
	if err != nil {
		return ""
	}
	return t.In(hooks.ChinaTime()).Format("2006-01-02")
}

// anchorFields are, per appeal date the metrics are counted on, the
// columns the metrics counted on it read (its covering index's columns;
// 受理量 reads the status only as merged or not, see mergedChanged): an
// update moves the cells of that date's day only if one of them changed.
var anchorFields = map[string][]string{
	"created":    {"created", "lead_department", "reject_reason", "duplicate_of", "category", "region", "channel"},
	"replied_at": {"replied_at", "lead_department", "due_finish", "dispatched_at", "category", "region", "channel"},
	"closed_at": {"closed_at", "status", "lead_department", "satisfaction", "close_reason", "reject_reason", "resolved",
		"reopen_count", "redo_count", "category", "region", "channel"},
}

// appealAnchors are the appeal dates metrics are counted on.
var appealAnchors = []string{"created", "replied_at", "closed_at"}

// anchorChanged: an update changed what the metrics counted on anchor read.
func anchorChanged(r, old *core.Record, anchor string) bool {
	if anchor == "created" && (r.GetString("status") == "merged") != (old.GetString("status") == "merged") {
		return true
	}
	for _, f := range anchorFields[anchor] {
		if r.GetString(f) != old.GetString(f) {
			return true
		}
	}
	return false
}

// metricFields are the columns the roll-up's metrics read, per collection:
// an update that changes none of them (an SLA state, a note, an urge)
// leaves the cells as they are.
var metricFields = map[string][]string{
	"appeals": {"created", "lead_department", "status", "reject_reason", "duplicate_of", "category", "region", "channel",
		"replied_at", "due_finish", "dispatched_at", "closed_at", "satisfaction", "close_reason", "resolved", "reopen_count", "redo_count"},
	"assignments":   {"due_sign", "role", "status", "signed_at", "department", "appeal"},
	"regions":       {"parent", "kind"},
	"calendar_days": {"date", "work"},
}

// bindRollupMarks binds the hooks that mark months dirty.
func (p *Plugin) bindRollupMarks() {
	mark := func(e *core.RecordEvent, update bool) error {
		if update && !metricFieldsChanged(e.Record) {
			return e.Next()
		}
		if err := p.markRecord(e.App, e.Record, update, false); err != nil {
			e.App.Logger().Error("metric roll-up: mark", "collection", e.Record.Collection().Name, "record", e.Record.Id, "error", err)
		}
		return e.Next()
	}
	for c := range metricFields {
		p.app.OnRecordAfterCreateSuccess(c).BindFunc(func(e *core.RecordEvent) error {
			if e.Record.Collection().Name == "regions" {
				return e.Next() // no appeal is in a new region yet
			}
			if err := p.markRecord(e.App, e.Record, false, true); err != nil {
				e.App.Logger().Error("metric roll-up: mark", "collection", e.Record.Collection().Name, "record", e.Record.Id, "error", err)
			}
			return e.Next()
		})
		p.app.OnRecordAfterUpdateSuccess(c).BindFunc(func(e *core.RecordEvent) error { return mark(e, true) })
		p.app.OnRecordAfterDeleteSuccess(c).BindFunc(func(e *core.RecordEvent) error { return mark(e, false) })
	}
}

// metricFieldsChanged: an update changed a column the metrics read.
func metricFieldsChanged(r *core.Record) bool {
	old := r.Original()
	for _, f := range metricFields[r.Collection().Name] {
		if r.GetString(f) != old.GetString(f) {
			return true
		}
	}
	return false
}

// markRecord marks the days a created, changed (update) or deleted record
// counts on.
//
// A record created by NewRecord has a blank original until it is read
// back (PocketBase's Record.Original), so for a created record the days it
// counts on are its own: its category, township and channel "change" from
// blank, but a new appeal has no assignment and no merged appeal yet (an
// assignment created later marks its own day), so the two reads below are
// skipped for it, and so is the copy of its 80 fields Original makes.
func (p *Plugin) markRecord(app core.App, r *core.Record, update, created bool) error {
	var old *core.Record // nil for a created record: read as blank
	if !created {
		old = r.Original()
	}
	was := func(f string) string {
		if old == nil {
			return ""
		}
		return old.GetString(f)
	}
	var months []string
	add := func(s string) {
		if d := chinaDay(s); d != "" {
			months = append(months, d)
		}
	}
	switch r.Collection().Name {
	case "appeals":
		for _, f := range appealAnchors {
			if update && !anchorChanged(r, old, f) {
				continue // e.g. a closure leaves the day it came in as it was
			}
			add(r.GetString(f))
			add(was(f))
		}
		if created {
			break
		}
		// The 签收 metric reads the appeal's category, township and
		// channel: their change moves its assignments' cells.
		if r.GetString("category") != old.GetString("category") || r.GetString("region") != old.GetString("region") || r.GetString("channel") != old.GetString("channel") {
			var due []string
			if err := app.DB().Select("due_sign").From("assignments").Where(dbx.HashExp{"appeal": r.Id}).Column(&due); err != nil {
				return err
			}
			for _, d := range due {
				add(d)
			}
		}
		// A merged appeal counts for its original's department.
		if r.GetString("lead_department") != old.GetString("lead_department") {
			var merged []string
			if err := app.DB().Select("created").From("appeals").Where(dbx.HashExp{"duplicate_of": r.Id}).
				AndWhere(dbx.NewExp("duplicate_of != ''")).Column(&merged); err != nil {
				return err
			}
			for _, c := range merged {
				add(c)
			}
		}
	case "assignments":
		add(r.GetString("due_sign"))
		add(was("due_sign"))
	case "regions":
		// A township's villages roll up to it: a region's parent or kind
		// (or the region itself) moves every month's township cells.
		months = append(months, allMonths)
	case "calendar_days":
		// 平均办理时长 counts working days on the calendar.
		months = append(months, allMonths)
	}
	if len(months) == 0 {
		return nil
	}
	return p.marks.mark(app, months...)
}

// RollupResult is what one run of the roll-up job did.
type RollupResult struct {
	Rebuilt bool     // every month was recomputed
	Months  []string // the months refreshed
	Days    []string // of those, the days recomputed where not the whole month was
}

// RefreshRollup is the roll-up job: a full rebuild when one is due, else
// the dirty months and the months in which a 签收 deadline passed since
// their refresh (响应率 counts only passed deadlines).
func (p *Plugin) RefreshRollup() (RollupResult, error) {
	p.rollupMu.Lock()
	defer p.rollupMu.Unlock()
	// Whatever this run replaces, the answers kept so far are void after it.
	defer p.answers.invalidate()
	start := p.marks.since()
	now := p.now()
	var states []struct {
		Month string `db:"month"`
		Dirty bool   `db:"dirty"`
		AsOf  string `db:"as_of"`
	}
	if err := p.app.DB().Select("month", "dirty", "as_of").From("metric_months").All(&states); err != nil {
		return RollupResult{}, err
	}
	full := true
	var due []string
	asOf := map[string]string{}
	for _, s := range states {
		asOf[s.Month] = s.AsOf
		if s.Month == allMonths {
			full = s.Dirty || s.AsOf == ""
			continue
		}
		if s.Dirty || s.AsOf == "" {
			due = append(due, s.Month)
			continue
		}
		passed, err := deadlinePassed(p.app, s.Month, s.AsOf, now)
		if err != nil {
			return RollupResult{}, err
		}
		if passed {
			due = append(due, s.Month)
		}
	}
	res := RollupResult{Rebuilt: full, Months: due}
	current := MonthPeriod(now).Label
	if full {
		res.Months = nil
		months, err := rebuild(p.app, now, p.marks.guard(start))
		if err != nil {
			p.marks.failed(current)
			return RollupResult{}, err
		}
		for _, m := range months {
			p.marks.refreshed(m, start, m == current)
		}
	} else {
		for _, m := range due {
			// The current month at its dirty days and the days since its
			// last refresh (a 签收 deadline may have passed in them), when
			// its day cells are exact; else the whole month.
			days, exact := p.marks.dirtyDays(m)
			var err error
			if m == current && exact && asOf[m] != "" {
				days = append(days, spannedDays(m, asOf[m], now)...)
				days = uniqueSorted(days)
				res.Days = append(res.Days, days...)
				err = refreshDays(p.app, m, days, now, p.marks.guard(start))
			} else {
				err = refreshMonth(p.app, m, now, p.marks.guard(start), m == current)
			}
			if err != nil {
				p.marks.failed(m)
				return RollupResult{}, err
			}
			p.marks.refreshed(m, start, m == current)
		}
	}
	// 在办/超期 as of this run (rollup_open.go); a failed snapshot leaves
	// none, so they are computed live rather than left old.
	open, err := takeOpenSnapshot(context.Background(), p.app, sqlTime(now))
	if err != nil {
		p.open.Store(nil)
		return RollupResult{}, err
	}
	p.open.Store(open)
	return res, nil
}

// deadlinePassed: a lead assignment of the month reached its 签收 deadline
// after the month's cells were computed (asOf) and by now.
func deadlinePassed(app core.App, month, asOf string, now time.Time) (bool, error) {
	pr, err := monthBounds(month)
	if err != nil {
		return false, err
	}
	until := pr.To
	if now.Before(until) {
		until = now
	}
	from := asOf
	if s := sqlTime(pr.From); s > from {
		from = s
	}
	if from >= sqlTime(until) {
		return false, nil
	}
	var n int
	err = app.DB().NewQuery(`SELECT COUNT(*) FROM (SELECT 1 FROM assignments INDEXED BY idx_assignments_an_due_sign
		WHERE due_sign >= {:from} AND due_sign < {:until} AND role = 'lead' LIMIT 1)`).
		Bind(dbx.Params{"from": from, "until": sqlTime(until)}).Row(&n)
	return n > 0, err
}
