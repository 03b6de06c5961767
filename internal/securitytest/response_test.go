package securitytest

import "sync/atomic"

// matrixCases counts every checked request across the matrix tests.
var matrixCases atomic.Int64
