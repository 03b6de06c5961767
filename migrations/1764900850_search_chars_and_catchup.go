package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The keyword index's fifth round (plugins/portal/search*.go, docs/portal.md
// "Keyword search"):
//
//   - portal_search_chars: each public appeal's distinct characters, at
//     the rowid of its entry in portal_search. A one-character keyword was
//     a prefix query on the pairs ("灯"* = 灯X or a run-ending 灯), which
//     FTS5 answers by merging the lists of every pair starting with the
//     character — all of them, however small the page. Here it is one
//     token's list, read newest first and stopped after the page. Nothing
//     needs positions or counts, so detail=none: a rowid per character
//     per appeal. (contentless_delete=1 needs the column sizes kept.)
//   - portal_search_state.chars_below: the entries with a rowid at or
//     above it have their characters (the record hooks write them with
//     the entry); the ones below are added by a background walk down the
//     entries, after which it is 0 and one-character searches use the
//     table. Until then they use the prefix query (same results).
//   - portal_search_dirty and its triggers: plain-SQL writes to appeals
//     (an administrator's fix, another tool's UPDATE, a bulk load) bypass
//     the record hooks that keep the index in step. The triggers note the
//     id of every appeal whose publicity, public text or submission time a
//     write changes — whoever wrote it — and the portal's background sweep
//     brings those entries in step and forgets the ids. A new submission
//     is not public (submitted), so the insert trigger's condition is
//     false on the intake path and it writes nothing there.
func init() {
	// publicAppeals (the view's condition) of the row before or after a write
	pub := func(row string) string {
		return "(" + row + ".public_consent = 1 AND " + row + ".confidential = 0 AND " + row +
			".status IN ('accepted','dispatched','handling','suspended','replied','callback','closed'))"
	}
	core.AppMigrations.Register(func(app core.App) error {
		for _, sql := range []string{
			`CREATE VIRTUAL TABLE IF NOT EXISTS portal_search_chars USING fts5(chars, content='', contentless_delete=1, detail=none, tokenize='ascii')`,
			`ALTER TABLE portal_search_state ADD COLUMN chars_below INTEGER NOT NULL DEFAULT 0`,
			// the existing entries get their characters from the walk
			`UPDATE portal_search_state SET chars_below = (SELECT coalesce(max(id) + 1, 0) FROM portal_search_docs)`,
			`CREATE TABLE IF NOT EXISTS portal_search_dirty (appeal TEXT PRIMARY KEY) WITHOUT ROWID`,
			`CREATE TRIGGER IF NOT EXISTS portal_search_dirty_insert AFTER INSERT ON appeals
			 WHEN ` + pub("NEW") + `
			 BEGIN INSERT OR IGNORE INTO portal_search_dirty (appeal) VALUES (NEW.id); END`,
			`CREATE TRIGGER IF NOT EXISTS portal_search_dirty_update AFTER UPDATE ON appeals
			 WHEN (` + pub("OLD") + ` OR ` + pub("NEW") + `) AND (` + pub("OLD") + ` IS NOT ` + pub("NEW") + `
			   OR OLD.public_title IS NOT NEW.public_title OR OLD.public_content IS NOT NEW.public_content
			   OR OLD.created IS NOT NEW.created OR OLD.id IS NOT NEW.id)
			 BEGIN
			   INSERT OR IGNORE INTO portal_search_dirty (appeal) VALUES (OLD.id);
			   INSERT OR IGNORE INTO portal_search_dirty (appeal) VALUES (NEW.id);
			 END`,
			`CREATE TRIGGER IF NOT EXISTS portal_search_dirty_delete AFTER DELETE ON appeals
			 WHEN ` + pub("OLD") + `
			 BEGIN INSERT OR IGNORE INTO portal_search_dirty (appeal) VALUES (OLD.id); END`,
		} {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, sql := range []string{
			`DROP TRIGGER IF EXISTS portal_search_dirty_insert`,
			`DROP TRIGGER IF EXISTS portal_search_dirty_update`,
			`DROP TRIGGER IF EXISTS portal_search_dirty_delete`,
			`DROP TABLE IF EXISTS portal_search_dirty`,
			`DROP TABLE IF EXISTS portal_search_chars`,
			`ALTER TABLE portal_search_state DROP COLUMN chars_below`,
		} {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}
