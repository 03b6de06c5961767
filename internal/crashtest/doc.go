// Package crashtest proves that nothing acknowledged is lost: its test
// builds the real binary, runs `serve` under continuous intake, kills it
// with SIGKILL at random moments, restarts it, and checks the database.
// It lives in its own package so that it does not slow down the others.
//
// The default (go test) run kills the server 10 times; a release run asks
// for more:
//
//	GOTOOLCHAIN=go1.27.3 go test -count=1 -timeout 60m ./internal/crashtest -args -kills=200
package crashtest
