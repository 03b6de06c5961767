package securitytest

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
)

// principals, in the order of the matrix columns.
var principals = []string{"anon", "res", "res2", "hA", "hB", "hC", "op", "sup", "adm", "su", "keyA", "o311"}

// principal is one caller: a record to sign in as, or a key to send.
type principal struct {
	name   string
	record *core.Record
	header []string // extra headers (the department key)
	query  string   // extra query (the Open311 key)
}

func (w *world) principals() []principal {
	return []principal{
		{name: "anon"},
		{name: "res", record: w.Resident},
		{name: "res2", record: w.OtherResident},
		{name: "hA", record: w.HandlerA},
		{name: "hB", record: w.HandlerB},
		{name: "hC", record: w.HandlerC},
		{name: "op", record: w.Operator},
		{name: "sup", record: w.Supervisor},
		{name: "adm", record: w.Admin},
		{name: "su", record: w.superuser},
		{name: "keyA", header: []string{"X-Api-Key", w.keyA}},
		{name: "o311", query: "api_key=" + w.o311},
	}
}

// call sends a request as p.
func (w *world) call(t *testing.T, p principal, method, url string, body any) testenv.Response {
	t.Helper()
	if p.query != "" {
		if strings.Contains(url, "?") {
			url += "&" + p.query
		} else {
			url += "?" + p.query
		}
	}
	return w.Call(t, method, url, body, p.record, p.header...)
}

// set parses a space-separated list of principals ("-" or "" for none).
func set(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Fields(s) {
		if f != "-" {
			out[f] = true
		}
	}
	return out
}

// everyone, staff, central: shorthands for the table.
const (
	everyone = "anon res res2 hA hB hC op sup adm su keyA o311"
	allStaff = "hA hB hC op sup adm su"
	central  = "op sup adm su"
	admins   = "adm su"
	editors  = "op adm su"
)
