// Package privacy carries out the platform's duties under the Personal
// Information Protection Law (个人信息保护法): finished appeals lose the
// resident's personal data after a retention period (the case, its
// timeline and the statistics stay), and a resident can export all their
// data and have it erased. Every export and erasure is audited.
package privacy

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/timer"
)

// Config configures the privacy plugin. Zero values mean the defaults.
type Config struct {
	// Retention is how long after an appeal was finished (办结, 不予受理,
	// 撤回, 并单) the resident's name, phone, address, location, photos and
	// the unmasked text are kept. Zero means 3 years; negative keeps them
	// for ever (no anonymisation by age).
	Retention time.Duration

	// SweepInterval is how often the retention sweep runs while serving.
	// Zero means 1 hour; negative disables the timer (tests call Sweep).
	SweepInterval time.Duration

	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Plugin is the registered privacy plugin.
type Plugin struct {
	app    core.App
	config Config
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) *Plugin {
	p, err := Register(app, config)
	if err != nil {
		panic(err)
	}
	return p
}

// Register binds the retention sweep and the export and erasure endpoints.
func Register(app core.App, config Config) (*Plugin, error) {
	if config.Retention == 0 {
		config.Retention = 3 * 365 * 24 * time.Hour
	}
	if config.SweepInterval == 0 {
		config.SweepInterval = time.Hour
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	p := &Plugin{app: app, config: config}
	timer.Bind(app, "privacy retention", config.SweepInterval, func() {
		n, err := p.Sweep()
		if err != nil {
			app.Logger().Error("privacy retention", "error", err)
		} else if n > 0 {
			app.Logger().Info("privacy retention", "anonymized", n)
		}
	})
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET("/api/privacy/export", p.handleExport)
		e.Router.POST("/api/privacy/erase", p.handleErase)
		return e.Next()
	})
	return p, nil
}
