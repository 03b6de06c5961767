package portal_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/portal"
)

// BenchmarkSearchIndexWrite: what keeping the keyword index costs a save
// that makes an appeal public (an acceptance) — the entry of the sample
// appeal's masked title and content, written in its own transaction, as
// the hook does when the save has none — beside the transaction alone,
// and a save of an already indexed appeal whose text did not change
// (the signature check only).
func BenchmarkSearchIndexWrite(b *testing.B) {
	env := testenv.New(b)
	sub := testenv.SampleSubmission()
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	b.Run("empty-transaction", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := env.App.RunInTransaction(func(tx core.App) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("new-entry", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			id := fmt.Sprintf("bench%010d", i)
			created := at.Add(time.Duration(i) * time.Second)
			err := env.App.RunInTransaction(func(tx core.App) error {
				_, err := portal.IndexAppeal(tx, id, sub.Title, sub.Content, created)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			err := env.App.RunInTransaction(func(tx core.App) error {
				_, err := portal.IndexAppeal(tx, "bench0000000000", sub.Title, sub.Content, at)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
