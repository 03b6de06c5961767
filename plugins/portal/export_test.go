package portal

// IndexAppeal is indexAppeal, for the external benchmark.
var IndexAppeal = indexAppeal
