package timer

import (
	"context"
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Soon runs task once, in the background, right after the app starts
// serving (after every OnServe handler: the routes are bound and the
// listener open), so that what a job would first do a minute later — a
// snapshot, a count — is ready before the first pages are asked for,
// without delaying the start. Terminate (a shutdown, a test's
// app.Cleanup) cancels task's context and waits for it to return, so
// nothing it does races with the app being closed. An error is logged.
func Soon(app core.App, name string, task func(ctx context.Context) error) {
	var (
		mu     sync.Mutex
		cancel context.CancelFunc
		done   chan struct{}
	)
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if done != nil {
			return nil // served once already (a test's router built again)
		}
		ctx, stop := context.WithCancel(context.Background())
		cancel, done = stop, make(chan struct{})
		go func(done chan struct{}) {
			defer close(done)
			if err := task(ctx); err != nil && ctx.Err() == nil {
				app.Logger().Warn("warm-up", "task", name, "error", err)
			}
		}(done)
		return nil
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		mu.Lock()
		stop, wait := cancel, done
		mu.Unlock()
		if stop != nil {
			stop()
			<-wait
		}
		return e.Next()
	})
}
