// Package overload tells a database that is too busy to answer in time
// from a request that is wrong, and answers the former as 503 with a
// Chinese sentence and Retry-After.
//
// Why it is needed: PocketBase gives every SELECT of a record or model
// query its own deadline (core.BaseAppConfig.QueryTimeout, 30 s by default,
// `--queryTimeout`; core/db_retry.go execLockRetry), which also bounds the
// wait for a free connection of the read pool. When it passes, the query
// fails with context.DeadlineExceeded (or modernc's SQLITE_INTERRUPT when
// the statement was already running), and PocketBase's record list answers
// any failure of its query as
// `e.BadRequestError("", err)` (apis/record_crud.go recordsList) — and the
// router answers any plain error a handler returns the same way
// (tools/router/error.go ToApiError): 400 "Something went wrong while
// processing your request.", which tells the client its request was wrong.
// docs/decisions.md ("Busy answers") has the details and the 1M figures.
package overload

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"modernc.org/sqlite"
)

// Message is the general answer to a request the database could not serve
// in time.
const Message = "系统繁忙，请稍后再试"

// RetryAfterSeconds is the Retry-After of a busy answer: long enough for a
// burst of multi-second reads to drain (PocketBase's deadline is 30 s), short
// enough that a person retrying by hand is not kept waiting for nothing.
const RetryAfterSeconds = 10

// SQLite's primary result codes that mean "busy", not "wrong".
const (
	sqliteBusy      = 5 // another connection holds the write lock past busy_timeout
	sqliteLocked    = 6 // a table lock within the same connection
	sqliteInterrupt = 9 // sqlite3_interrupt: modernc's answer to a context that ended mid-statement
)

// Is reports whether err (or the error an *router.ApiError carries) is the
// database being too busy: a query deadline that passed, an interrupted
// statement, or a lock still held after PocketBase's retries. A client that
// went away (context.Canceled) is not: nobody is waiting for the answer.
func Is(err error) bool {
	for err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return true
		}
		var se *sqlite.Error
		if errors.As(err, &se) {
			switch se.Code() & 0xff {
			case sqliteBusy, sqliteLocked, sqliteInterrupt:
				return true
			}
		}
		// *router.ApiError does not unwrap: its cause is its raw data
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) {
			return false
		}
		cause, _ := apiErr.RawData().(error)
		if cause == err {
			return false
		}
		err = cause
	}
	return false
}

// Answer is the 503 for a request the database could not serve in time:
// message (Message when empty) for the person, Retry-After on the answer,
// and cause kept as the error's raw data, which PocketBase's request log
// records as its details.
func Answer(e *core.RequestEvent, message string, cause error) *router.ApiError {
	if message == "" {
		message = Message
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
	answer := router.NewApiError(http.StatusServiceUnavailable, message, cause)
	answer.Message = message // without the English full stop NewApiError appends
	answer.Data = map[string]any{}
	return answer
}
