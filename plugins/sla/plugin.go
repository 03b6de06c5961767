// Package sla is the time-limit engine: the working-day calendar, the
// deadlines of every open case, warnings, overdue 催办 and repeated 督办,
// run by a singleton timer that survives restarts.
package sla

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/keptpages"
	"siyang/internal/timer"
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

	// BoardMaxAge is how long an answer of GET /api/sla/board is given
	// again when nothing on it changed (board_cache.go): the age of its
	// clocks' 剩余/已超时 and of a deadline passed since the last sweep.
	// Zero means 30 seconds (the sweep's interval); negative keeps none.
	BoardMaxAge time.Duration
}

type plugin struct {
	app    core.App
	config Config
	clock  *Clock
	board  *keptpages.Cache // GET /api/sla/board's answers (board_cache.go)
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
	if config.BoardMaxAge == 0 {
		config.BoardMaxAge = 30 * time.Second
	}
	p := &plugin{app: app, config: config, clock: config.Clock}
	p.board = newBoardCache(config.BoardMaxAge, p.now)
	p.bindBoardCache(app)

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
		return e.Next()
	})
	timer.Bind(app, "sla-sweep", p.config.SweepInterval, p.sweepEvery)
	return &Plugin{p: p}, nil
}

func (p *plugin) now() time.Time {
	if p.config.Now != nil {
		return p.config.Now().UTC()
	}
	return time.Now().UTC()
}
