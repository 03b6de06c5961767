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
