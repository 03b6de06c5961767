package analytics

import (
	"encoding/json"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/keptpages"
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
//
// Requests asking the same question while its answer is computed wait for
// that computation (inflight) instead of computing it again: after a job
// run the dashboard's 16 concurrent readers cost one computation. An
// invalidation forgets the computations in flight, so a request after a
// change never waits for an answer computed before it.
type answerCache struct {
	mu       sync.Mutex
	gen      uint64
	answers  map[answerKey]keptAnswer
	inflight map[answerKey]*answerCall
	reports  *keptpages.Cache // the monthly reports (report_cache.go)
}

// keptAnswer is a kept answer and its JSON, encoded once when it is kept
// (the dashboard's answer by day is ~120 KB: encoding it was most of its
// cost per request).
type keptAnswer struct {
	f    *Figures
	body []byte
}

// answerCall is an answer being computed; done is closed once f/err are set.
type answerCall struct {
	done chan struct{}
	f    *Figures
	body []byte
	err  error
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
	return &answerCache{answers: map[answerKey]keptAnswer{}, inflight: map[answerKey]*answerCall{}, reports: newReportCache()}
}

func keyOf(pr Period, d Dimension, s Scope) answerKey {
	return answerKey{pr.Label, pr.From.UnixNano(), pr.To.UnixNano(), d, s}
}

// answer gives the kept answer of k, waits for the one being computed, or
// computes it: compute says whether its answer may be kept (one from the
// roll-up with its snapshot). Its generation is read before compute reads
// anything, and the answer is kept only if no newer one began meanwhile
// (it may have read the state being replaced).
//
// body is the answer's JSON when it was kept (nil otherwise).
func (c *answerCache) answer(k answerKey, compute func() (*Figures, bool, error)) (*Figures, []byte, error) {
	c.mu.Lock()
	if a, ok := c.answers[k]; ok {
		c.mu.Unlock()
		return a.f, a.body, nil
	}
	if call := c.inflight[k]; call != nil {
		c.mu.Unlock()
		<-call.done
		return call.f, call.body, call.err
	}
	call, gen := &answerCall{done: make(chan struct{})}, c.gen
	c.inflight[k] = call
	c.mu.Unlock()

	f, keep, err := compute()
	var body []byte
	if err == nil && keep {
		if body, err = json.Marshal(f); err != nil {
			f = nil
		}
	}
	c.mu.Lock()
	call.f, call.body, call.err = f, body, err
	if c.inflight[k] == call {
		delete(c.inflight, k)
	}
	if err == nil && keep && gen == c.gen {
		if len(c.answers) >= answerCacheSize {
			clear(c.answers)
		}
		c.answers[k] = keptAnswer{f, body}
	}
	close(call.done)
	c.mu.Unlock()
	return f, body, err
}

// invalidate starts a new generation.
func (c *answerCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.answers)
	clear(c.inflight)
	c.reports.Changed()
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
		p.answers.reports.Changed()
		return e.Next()
	}
	p.app.OnRecordAfterCreateSuccess("hotspots").BindFunc(dropReports)
	p.app.OnRecordAfterUpdateSuccess("hotspots").BindFunc(dropReports)
	p.app.OnRecordAfterDeleteSuccess("hotspots").BindFunc(dropReports)
}
