package portal

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
