package stmtcache

import (
	"fmt"
	"strings"
	"testing"

	"os"
	"strconv"
)

// BenchmarkKeptStatementMemory reports the process's resident memory per
// kept statement (modernc's SQLite keeps no memory statistics) for
// the largest kind PocketBase runs: an INSERT into an 80-column table with
// 20 indexes (an appeal), and a SELECT * of one of its rows by id.
func BenchmarkKeptStatementMemory(b *testing.B) {
	db := open(b, 1<<20)
	var cols, marks []string
	for i := range 80 {
		cols = append(cols, fmt.Sprintf("c%d", i))
		marks = append(marks, "?")
	}
	mustExec(b, db, "CREATE TABLE wide (id TEXT PRIMARY KEY, "+strings.Join(cols, " TEXT DEFAULT '', ")+" TEXT DEFAULT '')")
	for i := range 20 {
		mustExec(b, db, fmt.Sprintf("CREATE INDEX wide_%d ON wide (c%d, c%d)", i, i, i+20))
	}
	args := make([]any, 81)
	for i := range args {
		args[i] = ""
	}
	for _, kind := range []string{"insert", "select"} {
		before := rssKB(b) * 1024
		const n = 200
		for i := range n {
			// n distinct texts (a comment makes each its own statement)
			if kind == "insert" {
				// the same row each time: only the first is written
				args[0] = "insert-1"
				mustExec(b, db, fmt.Sprintf("INSERT OR IGNORE INTO wide (id, %s) VALUES (?, %s) -- %d", strings.Join(cols, ", "), strings.Join(marks, ", "), i), args...)
			} else {
				names(b, db, fmt.Sprintf("SELECT c0 FROM (SELECT * FROM wide WHERE id = ?) -- %d", i), "insert-1")
			}
		}
		b.ReportMetric(float64(rssKB(b)*1024-before)/n, kind+"-B/stmt")
	}
}

// rssKB is the process's resident set in KB.
func rssKB(b *testing.B) int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb
		}
	}
	b.Skip("no VmRSS")
	return 0
}
