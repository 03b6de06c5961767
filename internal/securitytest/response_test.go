package securitytest

import "sync/atomic"

// matrixCases counts every checked request across the matrix tests.
var matrixCases atomic.Int64

// hostileCases is how many bad inputs TestHostileInput tried.
var hostileCases atomic.Int64
