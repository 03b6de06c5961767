package portal

import (
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The keyword index of the public appeals (migrations 1764900600 and
// 1764900850): one FTS5 entry per public appeal, holding searchWords(public
// title, public content), and at the same rowid its distinct characters
// (searchChars, for one-character keywords). It is kept in step with the
// public_appeals view by the record hooks below, inside the transaction
// that saves or deletes the appeal: an appeal that becomes public is added,
// one whose public text changes is replaced, one that stops being public
// (withdrawn, 保密, consent taken back, deleted) is removed — committed or
// rolled back with the appeal. Plain SQL writes to appeals bypass the
// hooks: triggers note them and the background sweep catches up
// (searchsweep.go); a bulk load rebuilds the index (RebuildSearchIndex).

// ticksPerMilli spreads appeals submitted in the same millisecond over
// distinct rowids (a rowid is the submission time in ms × 1024 + a
// tie-break), so that FTS5's rowid order is the newest-first order.
const ticksPerMilli = 1024

// searchRowid answers the lowest rowid of an appeal submitted at t.
func searchRowid(t time.Time) int64 { return t.UnixMilli() * ticksPerMilli }

// searchSig is the signature of an entry's text and time: an unchanged
// appeal's entry is not rewritten on each of its saves.
func searchSig(title, content string, created time.Time) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%d", title, content, created.UnixMilli())
	return int64(h.Sum64() >> 1)
}

// indexAppeal adds or replaces the entry of a public appeal (on app: the
// transaction the appeal is saved in) and answers whether it wrote
// anything (false: the entry was already this text).
func indexAppeal(app core.App, id, title, content string, created time.Time) (bool, error) {
	db := app.NonconcurrentDB()
	sig := searchSig(title, content, created)
	base := searchRowid(created)
	var old struct {
		ID  int64 `db:"id"`
		Sig int64 `db:"sig"`
	}
	err := db.NewQuery("SELECT id, sig FROM portal_search_docs WHERE appeal = {:a}").Bind(dbx.Params{"a": id}).One(&old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, err
	case old.Sig == sig:
		return false, nil
	default:
		if err := dropEntry(db, old.ID); err != nil {
			return false, err
		}
	}
	// the first free rowid of the appeal's millisecond
	var last sql.NullInt64
	err = db.NewQuery("SELECT MAX(id) FROM portal_search_docs WHERE id >= {:lo} AND id < {:hi}").
		Bind(dbx.Params{"lo": base, "hi": base + ticksPerMilli}).Row(&last)
	if err != nil {
		return false, err
	}
	rowid := base
	if last.Valid {
		if rowid = last.Int64 + 1; rowid >= base+ticksPerMilli {
			return false, fmt.Errorf("portal: more than %d public appeals submitted in the millisecond of %s", ticksPerMilli, created)
		}
	}
	if _, err := db.NewQuery("INSERT INTO portal_search_docs (id, appeal, sig) VALUES ({:id}, {:a}, {:sig})").
		Bind(dbx.Params{"id": rowid, "a": id, "sig": sig}).Execute(); err != nil {
		return false, err
	}
	if _, err = db.NewQuery("INSERT INTO portal_search (rowid, words) VALUES ({:id}, {:w})").
		Bind(dbx.Params{"id": rowid, "w": searchWords(title, content)}).Execute(); err != nil {
		return false, err
	}
	// an entry below chars_below gets its characters from the walk
	// (searchchars.go), which would otherwise add them a second time
	var below int64
	if err := db.NewQuery("SELECT chars_below FROM portal_search_state WHERE id = 1").Row(&below); err != nil {
		return false, err
	}
	if rowid >= below {
		if err := insertChars(db, rowid, title, content); err != nil {
			return false, err
		}
	}
	return true, nil
}

// unindexAppeal removes an appeal's entry, if it has one, and answers
// whether it had.
func unindexAppeal(app core.App, id string) (bool, error) {
	db := app.NonconcurrentDB()
	var rowid int64
	err := db.NewQuery("SELECT id FROM portal_search_docs WHERE appeal = {:a}").Bind(dbx.Params{"a": id}).Row(&rowid)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, dropEntry(db, rowid)
}

// dropEntry removes an entry: its pairs, its characters (a no-op for an
// entry the walk has not reached: contentless_delete tables accept the
// delete of a rowid they do not hold) and its row.
func dropEntry(db dbx.Builder, rowid int64) error {
	for _, sql := range []string{
		"DELETE FROM portal_search WHERE rowid = {:id}",
		"DELETE FROM portal_search_chars WHERE rowid = {:id}",
		"DELETE FROM portal_search_docs WHERE id = {:id}",
	} {
		if _, err := db.NewQuery(sql).Bind(dbx.Params{"id": rowid}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// syncSearchEntry brings a saved appeal's entry in step with the view.
// A write that changed the entry is one the triggers noted for the sweep
// (searchsweep.go): done here, so the note is dropped.
func syncSearchEntry(app core.App, r *core.Record) error {
	var did bool
	var err error
	if !isPublic(r) {
		did, err = unindexAppeal(app, r.Id)
	} else {
		did, err = indexAppeal(app, r.Id, r.GetString("public_title"), r.GetString("public_content"), r.GetDateTime("created").Time())
	}
	if err != nil || !did {
		return err
	}
	return forgetDirty(app, r.Id)
}

// bindSearchIndex keeps the index in step with every save and delete of an
// appeal through PocketBase. The entry is written after the appeal's own
// row, in the same transaction (one is opened when the save has none), so
// the two commit or fail together.
func bindSearchIndex(app core.App) {
	inStep := func(e *core.RecordEvent, sync func(tx core.App) error) error {
		if e.App.IsTransactional() {
			if err := e.Next(); err != nil {
				return err
			}
			return sync(e.App)
		}
		original := e.App
		err := e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := e.Next(); err != nil {
				return err
			}
			return sync(tx)
		})
		e.App = original // as PocketBase's own hooks do: the after-save hooks run on the app
		return err
	}
	save := func(e *core.RecordEvent) error {
		return inStep(e, func(tx core.App) error { return syncSearchEntry(tx, e.Record) })
	}
	app.OnRecordCreateExecute("appeals").BindFunc(func(e *core.RecordEvent) error {
		if !isPublic(e.Record) { // a new appeal has no entry to remove
			return e.Next()
		}
		return save(e)
	})
	app.OnRecordUpdateExecute("appeals").BindFunc(save)
	app.OnRecordDeleteExecute("appeals").BindFunc(func(e *core.RecordEvent) error {
		return inStep(e, func(tx core.App) error {
			if did, err := unindexAppeal(tx, e.Record.Id); err != nil || !did {
				return err
			}
			return forgetDirty(tx, e.Record.Id)
		})
	})
}

// parseCreated reads a stored PocketBase date.
func parseCreated(s string) (time.Time, error) {
	d, err := types.ParseDateTime(s)
	if err != nil {
		return time.Time{}, err
	}
	return d.Time(), nil
}
