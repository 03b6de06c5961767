package portal

import (
	"context"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The backfill adds the appeals that were public before the keyword index
// existed (or before a bulk load: RebuildSearchIndex). It walks the public
// appeals newest first along their partial index on created (migration
// 1764800100; the WHERE repeats it word for word), a batch per transaction,
// and moves portal_search_state.covered_from down to the oldest submission
// time it has indexed: everything submitted from then on is in the index,
// so a search answers "searched the appeals since covered_from" truthfully
// while the backfill runs. A restart resumes from covered_from.
//
// Batches run on PocketBase's single write connection, like the hooks'
// writes, so a batch and a save of one of its appeals never interleave: the
// batch reads the appeal as committed, and an entry the hooks wrote is
// skipped (same signature) or corrected.

// backfillBatch is how many appeals one backfill transaction indexes. The
// batch holds the write connection: at ~0.3 ms per appeal, 500 keep other
// writes (intakes, actions) waiting at most ~0.15 s; 2,000 finished the
// 100k backfill a little sooner but held it ~0.6 s at a time. (A variable
// for the tests.)
var backfillBatch = 500

// searchState is portal_search_state's row.
type searchState struct {
	CoveredFrom string `db:"covered_from"`
	Done        bool   `db:"done"`
}

func readSearchState(app core.App) (searchState, error) {
	var s searchState
	err := app.DB().NewQuery("SELECT covered_from, done FROM portal_search_state WHERE id = 1").One(&s)
	return s, err
}

const publicBackfillWalk = `SELECT id, public_title, public_content, created FROM appeals
 WHERE ` + publicCondition + `
   AND created < {:from} ORDER BY created DESC LIMIT {:n}`

type backfillRow struct {
	ID      string `db:"id"`
	Title   string `db:"public_title"`
	Content string `db:"public_content"`
	Created string `db:"created"`
}

// backfillStep indexes one batch and answers whether the backfill is done.
func backfillStep(app core.App) (done bool, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		state, err := readSearchState(tx)
		if err != nil || state.Done {
			done = state.Done
			return err
		}
		var rows []backfillRow
		err = tx.DB().NewQuery(publicBackfillWalk).Bind(dbx.Params{"from": state.CoveredFrom, "n": backfillBatch}).All(&rows)
		if err != nil {
			return err
		}
		from := ""
		if len(rows) == backfillBatch {
			// the batch's oldest time may have more appeals than fit: take
			// them all, so that the next batch starts strictly before it
			from = rows[len(rows)-1].Created
			var tied []backfillRow
			err = tx.DB().NewQuery(`SELECT id, public_title, public_content, created FROM appeals
 WHERE ` + publicCondition + `
   AND created = {:at}`).Bind(dbx.Params{"at": from}).All(&tied)
			if err != nil {
				return err
			}
			rows = append(rows, tied...) // an entry written twice is skipped the second time (same signature)
		}
		for _, r := range rows {
			created, err := parseCreated(r.Created)
			if err != nil {
				return err
			}
			if _, err := indexAppeal(tx, r.ID, r.Title, r.Content, created); err != nil {
				return err
			}
		}
		done = from == ""
		_, err = tx.DB().NewQuery("UPDATE portal_search_state SET covered_from = {:from}, done = {:done} WHERE id = 1").
			Bind(dbx.Params{"from": from, "done": done}).Execute()
		return err
	})
	return done, err
}

// backfill runs batches until the index is complete or ctx ends; pause
// between batches leaves the write connection to requests. batched (if
// not nil) is called after each batch: the search's answers changed.
func backfill(ctx context.Context, app core.App, pause time.Duration, batched func()) error {
	for {
		done, err := backfillStep(app)
		if err == nil && batched != nil {
			batched()
		}
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pause):
		}
	}
}

// RebuildSearchIndex empties the keyword index of the public appeals and
// indexes every public appeal again, before it returns. It is for bulk
// loads that write appeals with plain SQL, past the record hooks that keep
// the index in step (the seeder, plugins/loadgen), before the app serves:
// kept search pages of a serving app would not see it for up to a minute.
func RebuildSearchIndex(app core.App) error {
	err := app.RunInTransaction(func(tx core.App) error {
		for _, sql := range []string{
			"INSERT INTO portal_search (portal_search) VALUES ('delete-all')",
			"INSERT INTO portal_search_chars (portal_search_chars) VALUES ('delete-all')",
			"DELETE FROM portal_search_docs",
			// every appeal is indexed again, characters included
			"DELETE FROM portal_search_dirty",
			"UPDATE portal_search_state SET covered_from = '9999-12-31 23:59:59.999Z', done = 0, chars_below = 0 WHERE id = 1",
		} {
			if _, err := tx.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return backfill(context.Background(), app, 0, nil)
}
