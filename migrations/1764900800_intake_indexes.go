package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The three open-appeal indexes of 1764800000 are entered by every intake
// (a new appeal is open) and rewritten by every step while a case is open,
// but read only by the duplicate search's candidate walks
// (plugins/dispatch/duplicates.go: the open-appeal window's loads, once
// per scope every few minutes, and the candidate scan of an intake made
// inside a caller's transaction), which read id, created, status and
// region. Since the third round the candidates' ticket, title and address
// come from the dispatch plugin's vector cache, not from these indexes, so
// their copies of ticket, title and address (most of each entry's bytes)
// are written on every intake and step for nothing.
//
// They are rebuilt here, under the same names (the walks name them with
// INDEXED BY) and with the same condition (the walks repeat it), with only
// the columns the walks read: still covering, about half the bytes
// per entry. The index audit (BenchmarkIndexAudit with INDEX_AUDIT_DROP
// and INDEX_AUDIT_ADD, plugins/loadgen) planned every statement with them:
// see docs/performance.md, "Intake: the floor (fifth round)".
//
// Each is dropped and created in place (saving the collection would make
// PocketBase rebuild every index of appeals); creating one reads the
// table once (not timed at a million appeals).
func init() {
	narrow := []struct{ name, columns string }{
		{"idx_appeals_open_region", "region, created, id, status"},
		{"idx_appeals_open_category", "category, created, id, region, status"},
		{"idx_appeals_open_created", "created, id, region, status"},
	}
	wide := []struct{ name, columns string }{
		{"idx_appeals_open_region", "region, created, id, ticket, title, address, status"},
		{"idx_appeals_open_category", "category, created, id, ticket, title, address, region, status"},
		{"idx_appeals_open_created", "created, id, ticket, title, address, region, status"},
	}
	rebuild := func(app core.App, list []struct{ name, columns string }) error {
		// a database with statistics (ANALYZEd, as PocketBase's periodic
		// PRAGMA optimize leaves it) gets them for the new entries too; a
		// fresh one is left without, as it was
		var analyzed int
		if err := app.DB().NewQuery("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").Row(&analyzed); err != nil {
			return err
		}
		for _, ix := range list {
			if err := dropIndexInPlace(app, "appeals", ix.name); err != nil {
				return err
			}
			if err := addIndexInPlace(app, "appeals", ix.name, ix.columns, openAppeals); err != nil {
				return err
			}
			if analyzed == 0 {
				continue
			}
			if _, err := app.DB().NewQuery("ANALYZE {{" + ix.name + "}}").Execute(); err != nil {
				return err
			}
		}
		return nil
	}
	core.AppMigrations.Register(func(app core.App) error {
		return rebuild(app, narrow)
	}, func(app core.App) error {
		return rebuild(app, wide)
	})
}
