// Package analytics is the platform's analysis: the metrics officials are
// judged on (响应率, 解决率, 满意率, 按时办结率, 一次办结率, 重复诉求率,
// handling time), reply quality checks, hotspots found in the appeals
// (未诉先办) with alerts, the supervisors' dashboard data and the monthly
// reports. See docs/metrics.md and docs/analytics.md.
package analytics

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

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
}

// Plugin is the registered analytics plugin; tests run its timer tasks.
type Plugin struct {
	app    core.App
	config Config
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
	p := &Plugin{app: app, config: config}
	if root != nil {
		root.AddCommand(repliesCommand(), hotspotsCommand())
	}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET("/api/analytics/metrics", p.handleMetrics).Bind(workflow.RequireStaff())
		return e.Next()
	})
	return p, nil
}

// now is the platform's clock.
func (p *Plugin) now() time.Time { return p.config.Now() }
