package analytics

// A monthly report is the kept answers of its breakdowns plus two live
// reads: the hottest hotspots and the worst overdue cases (the cases in
// hand and overdue now, from idx_appeals_sla_board, and the period's late
// answers, ~100,000 index entries of idx_appeals_an_replied at 1M). Built
// per request it cost ~50 ms of work at 1M and queued under concurrent
// readers; it is now kept like the answers it is made of: until the next
// roll-up job run (at most RollupInterval, one minute by default, plus the
// run), so a case that becomes overdue, is answered, closed or extended is
// in the report at most one job run later. Its generated_at says when it
// was built (the time its overdue list and hotspots describe).
//
// What empties it: every invalidation of the answer cache (each roll-up
// job run, a month marked dirty, a department/category/region change) and
// any create, update or delete of a hotspot (bindAnswerCache). A report
// with a part computed live (no roll-up snapshot yet: before the job's
// first run, or a month without cells) is not kept.

// reportKey is a report: the period and the department ("" the county).
type reportKey struct {
	label      string
	from, to   int64
	department string
}

// reportEntry is a report kept or being built; ready is closed once
// report/err are set.
type reportEntry struct {
	gen    uint64
	ready  chan struct{}
	report *Report
	err    error
}

// report answers the kept report of k, waits for one being built since the
// last invalidation, or builds it; build says whether its report may be
// kept. The returned report is shared and must not be modified.
func (c *answerCache) report(k reportKey, build func() (*Report, bool, error)) (*Report, error) {
	c.mu.Lock()
	if e := c.reports[k]; e != nil && e.gen == c.gen {
		c.mu.Unlock()
		<-e.ready
		return e.report, e.err
	}
	if len(c.reports) >= answerCacheSize {
		clear(c.reports)
	}
	e := &reportEntry{gen: c.gen, ready: make(chan struct{})}
	c.reports[k] = e
	c.mu.Unlock()

	r, keep, err := build()
	c.mu.Lock()
	e.report, e.err = r, err
	if (err != nil || !keep) && c.reports[k] == e {
		delete(c.reports, k)
	}
	close(e.ready)
	c.mu.Unlock()
	return r, err
}

// invalidateReports empties the kept reports only (a hotspot changed).
func (c *answerCache) invalidateReports() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.reports)
}
