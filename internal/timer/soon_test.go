package timer_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/timer"
)

// A warm-up starts once the server serves (after every OnServe handler),
// not before, and only once however often the router is built; the app's
// terminate cancels it and waits for it, so closing the app never races
// with it.
func TestSoonRunsAfterServeAndStopsWithTheApp(t *testing.T) {
	app, err := tests.NewTestApp()
	if err != nil {
		t.Fatal(err)
	}
	var served, runs, finished atomic.Int32
	started := make(chan bool, 2)
	timer.Soon(app, "test", func(ctx context.Context) error {
		runs.Add(1)
		started <- served.Load() == 1
		<-ctx.Done() // a long warm-up: runs until the app closes
		time.Sleep(20 * time.Millisecond)
		finished.Add(1)
		return ctx.Err()
	})
	serve := func() {
		router, err := apis.NewRouter(app)
		if err != nil {
			t.Fatal(err)
		}
		err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
			served.Store(1) // where the server starts listening
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	serve()
	select {
	case afterServe := <-started:
		if !afterServe {
			t.Error("the warm-up started before the server was serving")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the warm-up did not start after serve")
	}
	serve()
	app.Cleanup()
	if finished.Load() != 1 {
		t.Error("app.Cleanup returned before the warm-up finished")
	}
	if runs.Load() != 1 {
		t.Errorf("%d warm-ups, want 1 for two router builds", runs.Load())
	}
}
