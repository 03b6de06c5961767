package stmtcache

import (
	"os"
	"testing"
)

// BenchmarkKeptLookupOnSeededData runs PocketBase's relation check
// (count(*) by id) through kept statements on a copy of a seeded,
// ANALYZEd data.db (STMTCACHE_DB=path; skipped without it). With STAT4
// samples SQLite prepares a statement again whenever a value bound to an
// IN list on an indexed column changes — a kept statement saves nothing
// there — while "id"=? and CAST(? AS TEXT) are only bound and stepped.
// Compare ns/op, or profile for sqlite3Reprepare.
func BenchmarkKeptLookupOnSeededData(b *testing.B) {
	path := os.Getenv("STMTCACHE_DB")
	if path == "" {
		b.Skip("STMTCACHE_DB (a copy of a seeded data.db) not set")
	}
	db, err := Open(path, Size)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var ids []string
	rows, err := db.Query("SELECT id FROM appeals LIMIT 3000")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) < 2 {
		b.Skip("no appeals")
	}
	for _, c := range []struct {
		name, query string
		args        func(i int) []any
	}{
		{"eq", "SELECT count(*) FROM `appeals` WHERE `id`=?", func(i int) []any { return []any{ids[i%len(ids)]} }},
		{"eq-cast", "SELECT count(*) FROM `appeals` WHERE `id`=CAST(? AS TEXT)", func(i int) []any { return []any{ids[i%len(ids)]} }},
		{"in-2", "SELECT count(*) FROM `appeals` WHERE `id` IN (?, ?)", func(i int) []any {
			return []any{ids[i%len(ids)], ids[(i+1)%len(ids)]}
		}},
		{"in-2-cast", "SELECT count(*) FROM `appeals` WHERE `id` IN (CAST(? AS TEXT), CAST(? AS TEXT))", func(i int) []any {
			return []any{ids[i%len(ids)], ids[(i+1)%len(ids)]}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for i := 0; b.Loop(); i++ {
				if err := db.QueryRow(c.query, c.args(i)...).Scan(&n); err != nil || n == 0 {
					b.Fatal(n, err)
				}
			}
		})
	}
}
