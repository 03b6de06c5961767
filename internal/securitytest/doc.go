// Package securitytest holds the platform-wide security tests: the
// access-control matrix (every role × every collection and endpoint ×
// own / other record) and the hostile-input corpus. They test the whole
// app as testenv builds it, so they live apart from any one plugin.
package securitytest
