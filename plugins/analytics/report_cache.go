package analytics

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"fmt"
	"time"

	"siyang/internal/keptpages"
)

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
// first run, or a month without cells) is not kept. The reports are a
// keptpages.Cache (no age bound): requests for a report being built wait
// for that build and get its report or its error (an error is not kept).

// reportMaxBytes bounds the kept reports' JSON (~10 KB each; the bound
// only stops a crawler of every month from growing it).
const reportMaxBytes = 16 << 20

// newReportCache keeps reports with no age bound: the answer cache's
// invalidations and the hotspot hooks empty it (above).
func newReportCache() *keptpages.Cache { return keptpages.New(0, reportMaxBytes, time.Now) }

// reportKey is a report: the period and the department ("" the county).
type reportKey struct {
	label      string
	from, to   int64
	department string
}

func (k reportKey) String() string {
	return fmt.Sprintf("%s\x00%d\x00%d\x00%s", k.label, k.from, k.to, k.department)
}

// report answers the kept report of k (Value *Report, Body its JSON as
// e.JSON writes it), waits for one being built since the last
// invalidation, or builds it; build says whether its report may be kept.
// The page and its report are shared and must not be modified.
func (c *answerCache) report(k reportKey, build func() (*Report, bool, error)) (*keptpages.Page, error) {
	return c.reports.Get(k.String(), func(time.Time) (keptpages.Answer, bool, error) {
		r, keep, err := build()
		if err != nil {
			return keptpages.Answer{}, false, err
		}
		// the options of PocketBase's e.JSON: the same bytes it would write
		body, err := json.Marshal(r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		if err != nil {
			return keptpages.Answer{}, false, err
		}
		return keptpages.Answer{Body: body, ContentType: "application/json", Value: r}, keep, nil
	})
}
