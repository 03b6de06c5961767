package portal

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Writes to appeals that bypass the record hooks — an administrator's SQL
// fix, another plugin's or tool's plain UPDATE, a bulk load — would leave
// the keyword index behind the public view: a case made 保密 by hand still
// found by its words, one made public not found. Triggers on appeals
// (migration 1764900850) note the id of every appeal whose publicity,
// public text or submission time a write changes in portal_search_dirty,
// whoever wrote it; the sweep below, run in the background every
// searchSweepEvery, brings those entries in step with the appeals as they
// are now and forgets the ids. The hooks forget the ids of the writes they
// indexed themselves, in the same transaction, so the sweep finds only
// what they did not see, and an empty table costs it one read.
//
// When the sweep changed an entry the write was not seen by the hooks, so
// nothing emptied the kept public pages and counts either: it empties them.

// searchSweepEvery is how often the sweep looks for notes. (A variable for
// the tests.)
var searchSweepEvery = 10 * time.Second

// forgetDirty drops the note of an appeal whose entry the hooks have just
// brought in step (inside the write's transaction).
func forgetDirty(app core.App, id string) error {
	_, err := app.NonconcurrentDB().NewQuery("DELETE FROM portal_search_dirty WHERE appeal = {:a}").
		Bind(dbx.Params{"a": id}).Execute()
	return err
}

// sweepSearchIndex brings the entries of the noted appeals in step and
// answers how many entries it changed. Between two batches it rests
// pause (a migration rewriting every public text notes them all: the
// batches leave the write connection to requests like the backfill's).
func sweepSearchIndex(ctx context.Context, app core.App, pause time.Duration) (changed int, err error) {
	for {
		var any bool
		if err := app.DB().NewQuery("SELECT EXISTS (SELECT 1 FROM portal_search_dirty)").Row(&any); err != nil || !any {
			return changed, err
		}
		n, err := sweepBatch(app)
		changed += n
		if err != nil {
			return changed, err
		}
		select {
		case <-ctx.Done():
			return changed, nil
		case <-time.After(pause):
		}
	}
}

// sweepBatch handles up to backfillBatch notes in one transaction.
func sweepBatch(app core.App) (changed int, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		changed = 0
		db := tx.DB()
		var ids []string
		err := db.NewQuery("SELECT appeal FROM portal_search_dirty LIMIT {:n}").Bind(dbx.Params{"n": backfillBatch}).Column(&ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			var row struct {
				Title   string `db:"public_title"`
				Content string `db:"public_content"`
				Created string `db:"created"`
				Public  bool   `db:"public"`
			}
			err := db.NewQuery("SELECT public_title, public_content, created, (" + publicCondition + ") AS public FROM appeals WHERE id = {:a}").
				Bind(dbx.Params{"a": id}).One(&row)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			var created time.Time
			if err == nil && row.Public {
				// a date the hand-written SQL garbled cannot place the
				// entry: left out (and said), not retried forever
				if created, err = parseCreated(row.Created); err != nil || created.IsZero() {
					app.Logger().Warn("portal: a public appeal with an unreadable created date is left out of the keyword index", "appeal", id, "created", row.Created)
					row.Public = false
				}
			}
			var did bool
			if err != nil || !row.Public { // deleted, or not public
				did, err = unindexAppeal(tx, id)
			} else {
				did, err = indexAppeal(tx, id, row.Title, row.Content, created)
			}
			if err != nil {
				return err
			}
			if did {
				changed++
			}
			if err := forgetDirty(tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// startSearchKeeper starts the index's background job as the server
// starts, until it stops: the backfill of the appeals public before the
// index (searchbackfill.go) if it is not complete, then the walk adding
// the characters of the entries made before the characters table
// (searchchars.go), then a sweep of plain-SQL writes every
// searchSweepEvery. What is left to do is read before the start returns,
// so a write made after it is for the sweep, not the backfill.
func (p *plugin) startSearchKeeper(app core.App) error {
	state, err := readSearchState(app)
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		stop()
		<-stopped
		return e.Next()
	})
	go func() {
		defer close(stopped)
		p.keepSearchIndex(ctx, app, state)
	}()
	return nil
}

func (p *plugin) keepSearchIndex(ctx context.Context, app core.App, state searchState) {
	if !state.Done {
		started := time.Now()
		app.Logger().Info("portal: indexing the public appeals for keyword search", "from", state.CoveredFrom)
		if err := backfill(ctx, app, p.config.BackfillPause, p.searchPages.Changed); err != nil {
			app.Logger().Error("portal: the keyword index backfill stopped; it resumes at the next start", "error", err)
		} else if ctx.Err() == nil {
			app.Logger().Info("portal: keyword index backfill finished", "took", time.Since(started).String())
		}
	}
	// the walk starts once every older entry exists (it walks down them)
	if state, err := readSearchState(app); err == nil && state.Done {
		if ready, err := charsReady(app); err == nil && !ready {
			started := time.Now()
			if err := p.walkChars(ctx, app); err != nil {
				app.Logger().Error("portal: adding characters to the keyword index stopped; it resumes at the next start", "error", err)
			} else if ctx.Err() == nil {
				app.Logger().Info("portal: keyword index characters added", "took", time.Since(started).String())
			}
		}
	}
	tick := time.NewTicker(searchSweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n, err := sweepSearchIndex(ctx, app, p.config.BackfillPause)
		if n > 0 {
			p.publicChanged()
			app.Logger().Info("portal: keyword index caught up with writes made past the record hooks", "entries", n)
		}
		if err != nil && ctx.Err() == nil {
			app.Logger().Warn("portal: keyword index sweep", "error", err)
		}
	}
}

// walkChars runs charsStep until the walk is done or ctx ends, resting
// BackfillPause between batches.
func (p *plugin) walkChars(ctx context.Context, app core.App) error {
	for {
		done, err := charsStep(app)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(p.config.BackfillPause):
		}
	}
}
