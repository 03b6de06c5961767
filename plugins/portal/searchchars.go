package portal

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// One-character keywords (路, 水, 灯, a township's one-character name) are
// answered from portal_search_chars (migration 1764900850): each entry's
// distinct characters, at the entry's rowid. As a prefix of the pairs
// ("灯"*) FTS5 had to merge the lists of every pair starting with the
// character, whole, before the first row of a page; here it is the list
// of one token, read newest first and stopped after the page.
//
// The entries that existed before the table get their characters from a
// walk down portal_search_docs (newest first, a batch per transaction),
// which lowers portal_search_state.chars_below: every entry at or above it
// has its characters (indexAppeal writes them with a new entry). Until the
// walk reaches 0 a one-character keyword uses the prefix query, which
// finds the same appeals.

// searchChars answers the distinct characters of the given texts' runs of
// letters and digits (folded as searchWords folds them), space separated.
func searchChars(texts ...string) string {
	seen := map[rune]bool{}
	var b strings.Builder
	for _, s := range texts {
		for _, run := range searchRuns(s) {
			for _, r := range run {
				if seen[r] {
					continue
				}
				seen[r] = true
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func insertChars(db dbx.Builder, rowid int64, title, content string) error {
	_, err := db.NewQuery("INSERT INTO portal_search_chars (rowid, chars) VALUES ({:id}, {:c})").
		Bind(dbx.Params{"id": rowid, "c": searchChars(title, content)}).Execute()
	return err
}

// charsReady: every entry has its characters (chars_below is 0).
func charsReady(app core.App) (bool, error) {
	var below int64
	err := app.DB().NewQuery("SELECT chars_below FROM portal_search_state WHERE id = 1").Row(&below)
	return below == 0, err
}

// charsStep adds the characters of one batch of the entries below
// chars_below (the appeals' current public text, as their pairs hold it)
// and answers whether the walk is done.
func charsStep(app core.App) (done bool, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		var below int64
		if err := tx.DB().NewQuery("SELECT chars_below FROM portal_search_state WHERE id = 1").Row(&below); err != nil {
			return err
		}
		if below == 0 {
			done = true
			return nil
		}
		var rows []struct {
			ID      int64  `db:"id"`
			Title   string `db:"public_title"`
			Content string `db:"public_content"`
		}
		err := tx.DB().NewQuery(`SELECT d.id, a.public_title, a.public_content FROM portal_search_docs d JOIN appeals a ON a.id = d.appeal
 WHERE d.id < {:below} ORDER BY d.id DESC LIMIT {:n}`).Bind(dbx.Params{"below": below, "n": backfillBatch}).All(&rows)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := insertChars(tx.DB(), r.ID, r.Title, r.Content); err != nil {
				return err
			}
		}
		below = 0
		if len(rows) == backfillBatch {
			below = rows[len(rows)-1].ID
		}
		done = below == 0
		_, err = tx.DB().NewQuery("UPDATE portal_search_state SET chars_below = {:below} WHERE id = 1").
			Bind(dbx.Params{"below": below}).Execute()
		return err
	})
	return done, err
}
