package analytics

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// answerCache keeps the answers served from the roll-up for one roll-up
// generation. Such an answer depends only on the cells, the month states,
// the 在办/超期 snapshot and the names of departments, categories and
// regions, so asking again within a generation gives the same figures with
// the same as_of: the dashboard's repeated questions cost a map lookup.
//
// What empties it (invalidate, a new generation): the end of every roll-up
// job run (cells and snapshot replaced); a month marked dirty in the
// database (a month never computed, or a full rebuild due, turns its
// answers live); any create, update or delete of a department, category or
// region (the labels). Live answers (Compute) are never kept.
//
// The monthly reports are kept in the same generations (report_cache.go),
// and also emptied by any change of a hotspot (a report lists the hottest).
type answerCache struct {
	mu      sync.Mutex
	gen     uint64
	answers map[answerKey]*Figures
	reports map[reportKey]*reportEntry
}

// answerKey is a question: the period, the breakdown and the scope.
type answerKey struct {
	label    string
	from, to int64
	by       Dimension
	scope    Scope
}

// answerCacheSize bounds the answers kept (a dashboard asks a handful; the
// bound only stops a crawler of every period from growing it).
const answerCacheSize = 512

func newAnswerCache() *answerCache {
	return &answerCache{answers: map[answerKey]*Figures{}, reports: map[reportKey]*reportEntry{}}
}

func keyOf(pr Period, d Dimension, s Scope) answerKey {
	return answerKey{pr.Label, pr.From.UnixNano(), pr.To.UnixNano(), d, s}
}

// get is the kept answer, if any, and the generation an answer computed
// now belongs to (read before anything the answer is computed from).
func (c *answerCache) get(k answerKey) (*Figures, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.answers[k], c.gen
}

// put keeps an answer computed in generation gen, unless a newer one began
// meanwhile (the answer may have read the state being replaced).
func (c *answerCache) put(k answerKey, gen uint64, f *Figures) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.answers) >= answerCacheSize {
		clear(c.answers)
	}
	c.answers[k] = f
}

// invalidate starts a new generation.
func (c *answerCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.answers)
	clear(c.reports)
}

// labelTables are the tables whose names label the answers' rows.
var labelTables = []string{"departments", "categories", "regions"}

// bindAnswerCache empties the cache when a label changes, and the kept
// reports when a hotspot changes.
func (p *Plugin) bindAnswerCache() {
	drop := func(e *core.RecordEvent) error {
		p.answers.invalidate()
		return e.Next()
	}
	for _, c := range labelTables {
		p.app.OnRecordAfterCreateSuccess(c).BindFunc(drop)
		p.app.OnRecordAfterUpdateSuccess(c).BindFunc(drop)
		p.app.OnRecordAfterDeleteSuccess(c).BindFunc(drop)
	}
	dropReports := func(e *core.RecordEvent) error {
		p.answers.invalidateReports()
		return e.Next()
	}
	p.app.OnRecordAfterCreateSuccess("hotspots").BindFunc(dropReports)
	p.app.OnRecordAfterUpdateSuccess("hotspots").BindFunc(dropReports)
	p.app.OnRecordAfterDeleteSuccess("hotspots").BindFunc(dropReports)
}
