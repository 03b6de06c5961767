package portal

import "time"

// IndexAppeal is indexAppeal, for the external benchmark.
var IndexAppeal = indexAppeal

// SetSearchMaxCount lowers the bound of a search's count for a test and
// answers the function that restores it.
func SetSearchMaxCount(n int) (restore func()) {
	old := searchMaxCount
	searchMaxCount = n
	return func() { searchMaxCount = old }
}

// SetBackfillBatch sets the backfill's batch size for a test and answers
// the function that restores it.
func SetBackfillBatch(n int) (restore func()) {
	old := backfillBatch
	backfillBatch = n
	return func() { backfillBatch = old }
}

// SetSearchSweep sets how often the keyword index's sweep runs (before the
// app serves) and answers the function that restores it.
func SetSearchSweep(d time.Duration) (restore func()) {
	old := searchSweepEvery
	searchSweepEvery = d
	return func() { searchSweepEvery = old }
}

// CharsStep and CharsReady are the characters walk's step and its end.
var (
	CharsStep  = charsStep
	CharsReady = charsReady
)
