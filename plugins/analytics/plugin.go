// Package analytics is the platform's analysis: the metrics officials are
// judged on (响应率, 解决率, 满意率, 按时办结率, 一次办结率, 重复诉求率,
// handling time), reply quality checks, hotspots found in the appeals
// (未诉先办) with alerts, the supervisors' dashboard data and the monthly
// reports. See docs/metrics.md and docs/analytics.md.
package analytics

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"siyang/internal/timer"
	"siyang/plugins/workflow"
)

// Config configures the analytics plugin.
type Config struct {
	// Now is the platform's clock; nil means time.Now. Tests inject one
	// (together with workflow.Config.Now).
	Now func() time.Time

	// HotspotInterval is how often the hotspot scan runs over the recent
	// appeals. Zero means every hour; negative binds no timer (tests call
	// ScanHotspots).
	HotspotInterval time.Duration

	// HotspotLookback is how far back the scan reads appeals (and the
	// longest time between two appeals of one hotspot). Zero means 90 days.
	HotspotLookback time.Duration

	// AlertResidents is how many different residents a hotspot needs
	// before it raises an alert. Zero means 3.
	AlertResidents int

	// RollupInterval is how often the metric roll-up job recomputes the
	// months changed since its last run (docs/metrics.md "Speed"). Zero
	// means every minute; negative binds no timer (tests call
	// RefreshRollup), and every figure stays live until it runs.
	RollupInterval time.Duration
}

// Plugin is the registered analytics plugin; tests run its timer tasks.
type Plugin struct {
	app    core.App
	config Config

	marks    *marks     // the months changed since their roll-up cells were computed
	rollupMu sync.Mutex // one roll-up refresh at a time (the timer's and a test's)

	open    atomic.Pointer[openSnapshot] // 在办/超期 as of the last roll-up run; nil before the first
	answers *answerCache                 // answers from the roll-up, per generation
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, root *cobra.Command, config Config) *Plugin {
	p, err := Register(app, root, config)
	if err != nil {
		panic(err)
	}
	return p
}

// Register binds the analytics endpoints, hooks, timer and commands.
func Register(app core.App, root *cobra.Command, config Config) (*Plugin, error) {
	if config.Now == nil {
		config.Now = time.Now
	}
	if config.HotspotInterval == 0 {
		config.HotspotInterval = time.Hour
	}
	if config.HotspotLookback <= 0 {
		config.HotspotLookback = 90 * 24 * time.Hour
	}
	if config.AlertResidents <= 0 {
		config.AlertResidents = 3
	}
	if config.RollupInterval == 0 {
		config.RollupInterval = time.Minute
	}
	p := &Plugin{app: app, config: config, answers: newAnswerCache()}
	p.marks = newMarks(p.answers.invalidate)
	if root != nil {
		root.AddCommand(repliesCommand(), hotspotsCommand())
	}
	p.bindReplyQuality()
	p.bindRollupMarks()
	p.bindAnswerCache()
	timer.Bind(app, "metric-rollup", config.RollupInterval, func() {
		started := time.Now()
		if res, err := p.RefreshRollup(); err != nil {
			app.Logger().Error("metric roll-up", "error", err)
		} else if res.Rebuilt || len(res.Months) > 0 {
			app.Logger().Debug("metric roll-up", "rebuilt", res.Rebuilt, "months", res.Months, "took", time.Since(started).String())
		}
	})
	if config.RollupInterval >= 0 {
		// the job's snapshot at once rather than at its first run
		timer.Soon(app, "metric-rollup snapshot", p.WarmUp)
	}
	timer.Bind(app, "hotspots", config.HotspotInterval, func() {
		if res, err := p.ScanHotspots(); err != nil {
			app.Logger().Error("hotspot scan", "error", err)
		} else if res.New+res.Surges > 0 {
			app.Logger().Info("hotspot scan", "active", res.Active, "new", res.New, "surges", res.Surges)
		}
	})
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		staff := workflow.RequireStaff()
		e.Router.GET("/api/analytics/metrics", p.handleMetrics).Bind(staff)
		e.Router.GET("/api/analytics/hotspots", p.handleHotspots).Bind(staff)
		e.Router.GET("/api/analytics/hotspots/{id}", p.handleHotspot).Bind(staff)
		e.Router.POST("/api/analytics/reply-quality", p.handleReplyQuality).Bind(staff)
		e.Router.GET("/api/analytics/reports/monthly", p.handleReport).Bind(staff)
		e.Router.GET("/api/analytics/reports/monthly.xlsx", p.handleReportXLSX).Bind(staff)
		e.Router.GET("/api/analytics/exports/cases.xlsx", p.handleExportCases).Bind(staff)
		return e.Next()
	})
	return p, nil
}

// now is the platform's clock.
func (p *Plugin) now() time.Time { return p.config.Now() }
