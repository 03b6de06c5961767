package workflow_test

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestFailingSubmissionNeverTakesOthersDown: concurrent submissions may
// share a write transaction; one that fails inside it (here a hook refuses
// it) gets its own error and leaves nothing behind, while every other one
// is registered with a gap-free ticket and its timeline entry.
func TestFailingSubmissionNeverTakesOthersDown(t *testing.T) {
	env := testenv.New(t)
	refused := errors.New("refused by the test hook")
	env.App.OnRecordCreate("appeals").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("address") == "坏" {
			return refused
		}
		return e.Next()
	})
	const n, bad = 60, 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	var tickets []string
	failures := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sub := testenv.SampleSubmission()
			sub.Title = fmt.Sprintf("%s（%d）", sub.Title, i)
			if i%(n/bad) == 0 {
				sub.Address = "坏"
			}
			receipt, err := env.Engine.Submit(env.App, sub, workflow.ActorFromAuth(env.Resident))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case sub.Address == "坏" && !errors.Is(err, refused):
				t.Errorf("submission %d: want the hook's error, got %v", i, err)
			case sub.Address == "坏":
				failures++
			case err != nil:
				t.Errorf("submission %d failed with the bad ones: %v", i, err)
			default:
				tickets = append(tickets, receipt.Appeal.GetString("ticket"))
			}
		}(i)
	}
	wg.Wait()
	if failures != bad || len(tickets) != n-bad {
		t.Fatalf("%d refused, %d registered; want %d and %d", failures, len(tickets), bad, n-bad)
	}
	sort.Strings(tickets)
	for i, ticket := range tickets {
		if want := fmt.Sprintf("%04d", i+1); ticket[len(ticket)-4:] != want {
			t.Fatalf("tickets not gap-free: %v", tickets)
		}
	}
	var appeals, events, refusedRows int
	_ = env.App.DB().NewQuery("SELECT count(*) FROM appeals").Row(&appeals)
	_ = env.App.DB().NewQuery("SELECT count(*) FROM appeal_events WHERE action = 'submit'").Row(&events)
	_ = env.App.DB().NewQuery("SELECT count(*) FROM appeals WHERE address = '坏'").Row(&refusedRows)
	if appeals != n-bad || events != n-bad || refusedRows != 0 {
		t.Fatalf("%d appeals, %d submit entries, %d refused rows; want %d, %d, 0", appeals, events, refusedRows, n-bad, n-bad)
	}
}
