package migrations

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The keyword index of the public appeals (plugins/portal/searchindex*.go,
// docs/portal.md "Keyword search"). A keyword (title ~ q || content ~ q)
// cannot use an ordinary index, so searching every public appeal read them
// all; FTS5 answers from an inverted index instead. Chinese has no spaces:
// the portal writes each public appeal's title and content as a text of
// character pairs (and the last character of each run of letters/digits),
// which FTS5's ascii tokenizer splits on the spaces between them.
//
//   - portal_search: the FTS5 index, contentless (the text is not stored
//     twice; nothing reads it back) with deletes, so an appeal's entry can
//     be replaced or removed by rowid.
//   - portal_search_docs: which appeal each rowid is, and a signature of
//     the indexed text (to skip rewriting an unchanged entry). A rowid is
//     the appeal's submission time in milliseconds × 1024 (+ a tie-break),
//     so that FTS5's own rowid order is newest first and a page stops
//     early.
//   - portal_search_state: how far the backfill of the appeals that were
//     public before this migration has come. Everything submitted at or
//     after `covered_from` is in the index (new entries come from record
//     hooks); `done` once every older public appeal is too. At a million
//     appeals the backfill takes minutes, so it runs in the background of
//     the server (newest first) and the search says what it covered; a
//     database without public appeals is complete at once.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		for _, sql := range []string{
			`CREATE VIRTUAL TABLE IF NOT EXISTS portal_search USING fts5(words, content='', contentless_delete=1, tokenize='ascii')`,
			`CREATE TABLE IF NOT EXISTS portal_search_docs (id INTEGER PRIMARY KEY, appeal TEXT NOT NULL UNIQUE, sig INTEGER NOT NULL)`,
			`CREATE TABLE IF NOT EXISTS portal_search_state (id INTEGER PRIMARY KEY CHECK (id = 1), covered_from TEXT NOT NULL, done INTEGER NOT NULL)`,
		} {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		var public int
		if err := app.DB().NewQuery("SELECT EXISTS (SELECT 1 FROM appeals WHERE " + publicAppeals + ")").Row(&public); err != nil {
			return err
		}
		// covered from now: appeals submitted from here on are indexed by
		// the hooks; older ones by the backfill (none if nothing is public)
		now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
		_, err := app.DB().NewQuery(`INSERT OR IGNORE INTO portal_search_state (id, covered_from, done) VALUES (1, {:from}, {:done})`).
			Bind(dbx.Params{"from": now, "done": public == 0}).Execute()
		return err
	}, func(app core.App) error {
		for _, sql := range []string{
			`DROP TABLE IF EXISTS portal_search`,
			`DROP TABLE IF EXISTS portal_search_docs`,
			`DROP TABLE IF EXISTS portal_search_state`,
		} {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}
