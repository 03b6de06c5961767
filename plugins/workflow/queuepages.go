package workflow

import (
	"net/url"
	"strconv"
	"time"
)

// The workbench asks for the first page of its department's queue again
// and again: every clerk's page on load, on every realtime event, on every
// return from a case. Reading it costs a merged walk of the indexes with
// the page's cases, and their JSON (api_queue.go; about as much as bare
// PocketBase's list of a plain collection). The first page of each
// department, view and page size is kept here as the JSON answered, and
// answered again, byte for byte, until something it shows can have
// changed. After a drop, the readers arriving while the page is computed
// wait for that one computation (internal/keptpages), and a page clerks
// were reading is computed again in the background (queuerefresh.go).
//
// What drops pages (queuechanges.go), per department: a created, updated
// or deleted task (assignments: a dispatch, a sign-for, a reply, a review,
// a closure, a deadline extension, a task moved to another department)
// drops its department's pages and its former department's; an updated
// appeal that is or was in a state a queue shows (its listed columns, SLA
// state, deadlines, counts of 催办/督办), or a reply, extension request or
// callback, drops the pages of every department with a task on the case.
// A category change or a deleted appeal empties the whole cache. Changes that bypass the record
// hooks (plain SQL, another process writing the database) are seen after
// queuePageMaxAge.
//
// Nothing in a page depends on the clock: overdue is the stored sla_state,
// which the SLA sweep changes through the workflow engine (a saved appeal,
// so the cache is emptied). Nothing depends on who asks either: the page
// is chosen by department after the access check (a clerk moved to another
// department is answered his new department's page, since the check reads
// the staff record PocketBase loads for each request).

// queuePageMaxAge bounds how long a page is answered without any change
// seen by the hooks.
const queuePageMaxAge = time.Minute

// queuePageMaxBytes bounds the memory of the kept pages: past it the
// cache starts empty (about 60 departments × 3 views at 100 rows fit).
const queuePageMaxBytes = 16 << 20

// queuePageParams are the query parameters a kept page may have; a request
// with any other (e.g. PocketBase's "fields") is answered from the
// database.
var queuePageParams = map[string]bool{"view": true, "perPage": true, "cursor": true, "department": true}

// queuePageKey answers the cache key of a queue request already checked
// (department, view and page size resolved), or false when the request is
// not for a first page or names a parameter the cache does not know.
func queuePageKey(q url.Values, dept, view string, perPage int) (string, bool) {
	for name, values := range q {
		if !queuePageParams[name] || len(values) != 1 {
			return "", false
		}
	}
	if q.Get("cursor") != "" {
		return "", false
	}
	return dept + "\x00" + view + "\x00" + strconv.Itoa(perPage), true
}
