package hooks_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/hooks"
	_ "siyang/migrations" // the schema: ticket_counters, appeal_events, audit_log …
)

// newApp is a fresh test app with every migration applied (and no hooks).
func newApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

func mustTicket(t *testing.T, app core.App, now time.Time) string {
	t.Helper()
	ticket, err := hooks.NextTicket(app, now)
	if err != nil {
		t.Fatalf("NextTicket(%s): %v", now, err)
	}
	return ticket
}

func TestNextTicketSequenceAndDays(t *testing.T) {
	app := newApp(t)
	cst := hooks.ChinaTime()
	nov26 := time.Date(2026, 11, 26, 9, 15, 0, 0, cst)

	steps := []struct {
		name string
		now  time.Time
		want string
	}{
		{"first of the day", nov26, "SY2611260001"},
		{"second of the day", nov26.Add(time.Minute), "SY2611260002"},
		{"third, late evening", time.Date(2026, 11, 26, 23, 59, 59, 0, cst), "SY2611260003"},
		{"new day restarts", time.Date(2026, 11, 27, 0, 0, 0, 0, cst), "SY2611270001"},
		{"new day continues", time.Date(2026, 11, 27, 8, 0, 0, 0, cst), "SY2611270002"},
		{"back to the earlier day continues its own count", time.Date(2026, 11, 26, 12, 0, 0, 0, cst), "SY2611260004"},
		// 16:30 UTC on the 25th is 00:30 on the 26th in China.
		{"China-time day boundary", time.Date(2026, 11, 25, 16, 30, 0, 0, time.UTC), "SY2611260005"},
		// 15:59:59 UTC on the 25th is still 23:59:59 on the 25th in China.
		{"just before China midnight", time.Date(2026, 11, 25, 15, 59, 59, 0, time.UTC), "SY2611250001"},
		{"year boundary", time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), "SY2701010001"},
	}
	for _, s := range steps {
		if got := mustTicket(t, app, s.now); got != s.want {
			t.Errorf("%s: NextTicket(%s) = %s, want %s", s.name, s.now.Format(time.RFC3339), got, s.want)
		}
	}
}

func TestNextTicketBeyondNineThousandNineHundredNinetyNine(t *testing.T) {
	app := newApp(t)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, hooks.ChinaTime())
	mustTicket(t, app, now)
	if _, err := app.DB().NewQuery(`UPDATE ticket_counters SET last = 9999 WHERE day = '261126'`).Execute(); err != nil {
		t.Fatal(err)
	}
	// The number grows a digit rather than wrapping around to a used one.
	if got, want := mustTicket(t, app, now), "SY26112610000"; got != want {
		t.Errorf("NextTicket after 9999 = %s, want %s", got, want)
	}
}

func TestNextTicketRolledBackTransactionUsesNoNumber(t *testing.T) {
	app := newApp(t)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, hooks.ChinaTime())
	if got := mustTicket(t, app, now); got != "SY2611260001" {
		t.Fatalf("first ticket = %s", got)
	}

	errRollback := errors.New("appeal could not be saved")
	var inside string
	err := app.RunInTransaction(func(txApp core.App) error {
		inside = mustTicket(t, txApp, now)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTransaction = %v, want the callback's error", err)
	}
	if inside != "SY2611260002" {
		t.Errorf("ticket reserved inside the transaction = %s, want SY2611260002", inside)
	}

	// The first number of a day reserved in a rolled-back transaction is
	// not used either (the counter row itself is rolled back).
	nov27 := now.AddDate(0, 0, 1)
	_ = app.RunInTransaction(func(txApp core.App) error {
		mustTicket(t, txApp, nov27)
		return errRollback
	})

	if got := mustTicket(t, app, now); got != "SY2611260002" {
		t.Errorf("ticket after the rollback = %s, want SY2611260002 again", got)
	}
	if got := mustTicket(t, app, nov27); got != "SY2611270001" {
		t.Errorf("first ticket of a day after a rolled-back first = %s, want SY2611270001", got)
	}

	// A committed transaction keeps its number.
	var committed string
	if err := app.RunInTransaction(func(txApp core.App) error {
		committed = mustTicket(t, txApp, now)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if committed != "SY2611260003" {
		t.Errorf("committed ticket = %s, want SY2611260003", committed)
	}
	if got := mustTicket(t, app, now); got != "SY2611260004" {
		t.Errorf("ticket after the commit = %s, want SY2611260004", got)
	}
}

func TestNextTicketConcurrentTransactionsGetDistinctNumbers(t *testing.T) {
	app := newApp(t)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, hooks.ChinaTime())
	const n = 20
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		tickets = map[string]bool{}
	)
	for range n {
		wg.Go(func() {
			err := app.RunInTransaction(func(txApp core.App) error {
				ticket, err := hooks.NextTicket(txApp, now)
				if err != nil {
					return err
				}
				mu.Lock()
				tickets[ticket] = true
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := 1; i <= n; i++ {
		if want := fmt.Sprintf("SY261126%04d", i); !tickets[want] {
			t.Errorf("%s was not handed out; got %v", want, tickets)
		}
	}
	if len(tickets) != n {
		t.Errorf("%d distinct tickets for %d submissions", len(tickets), n)
	}
}
