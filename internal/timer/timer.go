// Package timer runs a plugin's repeating background job with the app:
// started with `serve`, shut down on terminate, one run at a time.
package timer

import (
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/pocketbase/pocketbase/core"
)

// Bind runs task every interval while the app serves. A run still going
// when the next is due makes that one wait for the following slot
// (singleton mode), so runs never overlap. A negative interval binds
// nothing: tests call the task themselves.
func Bind(app core.App, name string, interval time.Duration, task func()) {
	if interval < 0 {
		return
	}
	var scheduler gocron.Scheduler
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if scheduler == nil {
			s, err := start(name, interval, task)
			if err != nil {
				return err
			}
			scheduler = s
		}
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if scheduler != nil {
			if err := scheduler.Shutdown(); err != nil {
				app.Logger().Warn("timer shutdown", "job", name, "error", err)
			}
			scheduler = nil
		}
		return e.Next()
	})
}

func start(name string, interval time.Duration, task func()) (gocron.Scheduler, error) {
	s, err := gocron.NewScheduler()
	if err != nil {
		return nil, fmt.Errorf("%s: scheduler: %w", name, err)
	}
	_, err = s.NewJob(
		gocron.DurationJob(interval),
		gocron.NewTask(task),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithName(name),
	)
	if err != nil {
		return nil, fmt.Errorf("%s: job: %w", name, err)
	}
	s.Start()
	return s, nil
}
