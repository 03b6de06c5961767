package loadgen

import (
	"fmt"
	"io"
	"math/rand"
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/analytics"
	"siyang/plugins/portal"
	"siyang/plugins/sla"
)

// Options say what Seed generates.
type Options struct {
	// Appeals is the number of appeals to add.
	Appeals int

	// Days spreads the appeals' submission times over the last Days days
	// (zero means 300), never before the second day of the working-day
	// calendar, which deadlines are counted on.
	Days int

	// Now ends the spread; zero means time.Now().
	Now time.Time

	// Seed makes a run repeatable (same seed and options, same data).
	Seed int64

	// Residents is the number of resident accounts created for the web
	// submissions; zero means one per four appeals.
	Residents int

	// BatchSize is the number of appeals written per transaction; zero
	// means 20,000.
	BatchSize int

	// Progress receives a line per batch; nil is silent.
	Progress io.Writer
}

// Stats is what Seed wrote.
type Stats struct {
	Appeals, Events, Assignments, Replies, Callbacks, Extensions, Residents, Files int
	ByStatus                                                                       map[string]int
	Overdue                                                                        int
	Elapsed                                                                        time.Duration
}

// Seed adds opt.Appeals appeals with their whole history to app's
// database, written in bulk straight into SQLite (no record hooks), with
// what the hooks and actions would have written: ticket numbers and the
// day counters, masked public copies, deadlines from the SLA policies and
// the working-day calendar, the SLA clock fields, dispatch suggestions,
// assignments, replies with their quality score, callbacks, 挂起 requests,
// the timeline, and attachments stored on disk.
func Seed(app core.App, opt Options) (*Stats, error) {
	started := time.Now()
	if opt.Appeals <= 0 {
		return nil, fmt.Errorf("loadgen: the number of appeals must be positive")
	}
	if opt.Days <= 0 {
		opt.Days = 300
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Residents <= 0 {
		opt.Residents = max(1, opt.Appeals/4)
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 20_000
	}
	ref, err := loadReference(app)
	if err != nil {
		return nil, err
	}
	g := &generator{
		app: app, ref: ref, clock: sla.NewClock(), rng: rand.New(rand.NewSource(opt.Seed)), seed: opt.Seed,
		now: opt.Now.UTC(), stats: &Stats{ByStatus: map[string]int{}},
		counters: map[string]int{}, policies: map[string]*core.Record{}, quality: map[qualityKey]scored{},
	}
	if err := g.prepare(opt); err != nil {
		return nil, err
	}
	from, err := g.spreadStart(opt.Days)
	if err != nil {
		return nil, err
	}
	// submission times in order, so that ticket numbers follow them
	created := make([]time.Time, opt.Appeals)
	span := int64(g.now.Sub(from))
	for i := range created {
		created[i] = from.Add(time.Duration(g.rng.Int63n(span)))
	}
	sort.Slice(created, func(i, j int) bool { return created[i].Before(created[j]) })

	b, err := newBulk(app)
	if err != nil {
		return nil, err
	}
	g.bulk = b
	declareTables(b, g.appealColumns)

	big := opt.Appeals >= 50_000
	err = withoutIndexes(app, big, func() error {
		if err := g.residents(opt.Residents); err != nil {
			return err
		}
		for start := 0; start < len(created); start += opt.BatchSize {
			end := min(start+opt.BatchSize, len(created))
			if err := b.begin(); err != nil {
				return err
			}
			for _, t := range created[start:end] {
				if err := g.appeal(t); err != nil {
					b.rollback()
					return err
				}
			}
			if err := g.saveCounters(); err != nil {
				b.rollback()
				return err
			}
			if err := b.commit(); err != nil {
				return err
			}
			if opt.Progress != nil {
				fmt.Fprintf(opt.Progress, "%d/%d appeals (%s)\n", end, opt.Appeals, time.Since(started).Round(time.Second))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The rows went in by plain SQL, past the hooks that keep the metric
	// roll-up fresh: rebuild it (docs/metrics.md "Speed").
	if err := analytics.Rebuild(app, time.Now()); err != nil {
		return nil, err
	}
	// ... and the keyword index of the public appeals (docs/portal.md).
	indexed := time.Now()
	if err := portal.RebuildSearchIndex(app); err != nil {
		return nil, err
	}
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "keyword index of the public appeals: %s\n", time.Since(indexed).Round(time.Millisecond))
	}
	if _, err := app.DB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
		return nil, err
	}
	g.stats.Elapsed = time.Since(started)
	return g.stats, nil
}

// spreadStart is the earliest submission time: Days ago, but not before
// the calendar's second day (a deadline needs working days before it too).
func (g *generator) spreadStart(days int) (time.Time, error) {
	from := g.now.Add(-time.Duration(days) * 24 * time.Hour)
	var first string
	if err := g.app.DB().NewQuery("SELECT COALESCE(MIN(date), '') FROM calendar_days").Row(&first); err != nil {
		return time.Time{}, err
	}
	if first == "" {
		return time.Time{}, fmt.Errorf("loadgen: the working-day calendar (calendar_days) is empty")
	}
	day, err := time.ParseInLocation("2006-01-02", first, chinaTime)
	if err != nil {
		return time.Time{}, err
	}
	if earliest := day.Add(24 * time.Hour); from.Before(earliest) {
		from = earliest
	}
	if !from.Before(g.now) {
		return time.Time{}, fmt.Errorf("loadgen: the calendar starts after now")
	}
	return from, nil
}

// saveCounters stores the ticket counters of the days written so far, as
// the numbering hook would have left them.
func (g *generator) saveCounters() error {
	for day, last := range g.counters {
		_, err := g.bulk.tx.Exec(`INSERT INTO ticket_counters (id, day, last) VALUES (?, ?, ?)
			ON CONFLICT(day) DO UPDATE SET last = MAX(last, excluded.last)`, newID(g.rng), day, last)
		if err != nil {
			return err
		}
	}
	return nil
}

// nextTicket numbers an appeal after the day's last number.
func (g *generator) nextTicket(created time.Time) (string, error) {
	day := created.In(chinaTime).Format("060102")
	last, ok := g.counters[day]
	if !ok {
		err := g.app.DB().Select("COALESCE(MAX(last), 0)").From("ticket_counters").
			Where(dbx.HashExp{"day": day}).Row(&last)
		if err != nil {
			return "", err
		}
	}
	last++
	g.counters[day] = last
	return fmt.Sprintf("SY%s%04d", day, last), nil
}

var chinaTime = time.FixedZone("CST", 8*3600)
