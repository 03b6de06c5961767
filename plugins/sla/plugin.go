// Package sla is the time-limit engine: the working-day calendar, the
// deadlines of every open case, warnings, overdue 催办 and repeated 督办,
// run by a singleton timer that survives restarts.
package sla

import (
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

// Performer runs workflow actions; *workflow.Engine is one.
type Performer interface {
	Perform(app core.App, req workflow.Request) (*workflow.Result, error)
}

// Config configures the SLA plugin.
type Config struct {
	// Clock is the calendar clock also given to the workflow plugin, so that
	// both compute deadlines the same way. Nil creates one.
	Clock *Clock

	// Actions performs the timers' 预警/催办/督办 as workflow actions.
	Actions Performer

	// SweepInterval is how often the timer looks for crossed warnings and
	// deadlines. Zero means 30 seconds; negative disables the timer (tests
	// call Sweep directly).
	SweepInterval time.Duration

	// Now is the clock of the timers; nil means time.Now. Tests inject one
	// (together with workflow.Config.Now).
	Now func() time.Time
}

type plugin struct {
	app       core.App
	config    Config
	clock     *Clock
	scheduler gocron.Scheduler
}

// Plugin is the registered SLA engine.
type Plugin struct{ p *plugin }

// Sweep runs one sweep now (the timer does this every SweepInterval).
func (pl *Plugin) Sweep() (SweepResult, error) { return pl.p.Sweep() }

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) *Plugin {
	pl, err := Register(app, config)
	if err != nil {
		panic(err)
	}
	return pl
}

// Register binds the deadline tracking hooks, the calendar reload hooks,
// the timer (started with serve, stopped on terminate) and the SLA routes.
func Register(app core.App, config Config) (*Plugin, error) {
	if config.Actions == nil {
		return nil, fmt.Errorf("sla: Config.Actions is required")
	}
	if config.Clock == nil {
		config.Clock = NewClock()
	}
	if config.SweepInterval == 0 {
		config.SweepInterval = 30 * time.Second
	}
	p := &plugin{app: app, config: config, clock: config.Clock}

	app.OnRecordCreate("appeals").BindFunc(p.track)
	app.OnRecordUpdate("appeals").BindFunc(p.track)

	reload := func(e *core.RecordEvent) error {
		err := e.Next()
		p.clock.Invalidate()
		return err
	}
	for _, c := range []string{"calendar_days", "sla_settings"} {
		app.OnRecordAfterCreateSuccess(c).BindFunc(reload)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(reload)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(reload)
	}

	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		p.bindRoutes(e)
		if err := p.startTimer(); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		p.stopTimer()
		return e.Next()
	})
	return &Plugin{p: p}, nil
}

func (p *plugin) now() time.Time {
	if p.config.Now != nil {
		return p.config.Now().UTC()
	}
	return time.Now().UTC()
}

// startTimer runs the sweeper as a singleton: a sweep still running when the
// next is due makes that one wait for the following slot.
func (p *plugin) startTimer() error {
	if p.config.SweepInterval < 0 || p.scheduler != nil {
		return nil
	}
	s, err := gocron.NewScheduler()
	if err != nil {
		return fmt.Errorf("sla: scheduler: %w", err)
	}
	_, err = s.NewJob(
		gocron.DurationJob(p.config.SweepInterval),
		gocron.NewTask(p.sweepEvery),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithName("sla-sweep"),
	)
	if err != nil {
		return fmt.Errorf("sla: sweep job: %w", err)
	}
	s.Start()
	p.scheduler = s
	return nil
}

func (p *plugin) stopTimer() {
	if p.scheduler != nil {
		if err := p.scheduler.Shutdown(); err != nil {
			p.app.Logger().Warn("sla: scheduler shutdown", "error", err)
		}
		p.scheduler = nil
	}
}
