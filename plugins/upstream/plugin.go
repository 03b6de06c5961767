// Package upstream reports progress back to an upper-level 12345 platform
// (市级 12345 政务服务便民热线平台) on the cases it forwarded (转办件).
//
// The platform submits through Open311 with an upper_platform key and its
// own ticket id (appeals.external_source = the key, external_id = its
// ticket). An administrator adds a webhook of kind "upper_platform" naming
// that key; from then on every change of such a case writes, in the same
// transaction as the timeline entry, one outbox row with a progress report
// in the platform's terms: its ticket id, ours, a mapped status, the public
// answer once approved, timestamps. The webhooks deliverer sends the rows
// (signed, in order per case, retried, dead-lettered, replayable). Cases
// that did not come from that platform produce nothing for it; cases merged
// into another one keep reporting the progress of the case they follow.
package upstream

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/tablecache"
)

// Config configures the progress reports.
type Config struct {
	// Now is the clock that makes a new report due (the deliverer's clock
	// must agree); nil means time.Now.
	Now func() time.Time
}

type plugin struct {
	app    core.App
	config Config

	// endpoints are the active upper-platform webhooks; tablecache empties
	// it on any change of a webhooks record.
	endpoints *tablecache.Cache[[]*core.Record]
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register binds the report writer to the timeline and the checks of
// upper-platform webhooks.
func Register(app core.App, config Config) error {
	p := &plugin{app: app, config: config}
	p.endpoints = tablecache.New(app, activeEndpoints, "webhooks")
	app.OnRecordValidate("webhooks").BindFunc(p.validateWebhook)
	// inside the action's transaction: e.App is the transaction
	app.OnRecordCreate("appeal_events").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return p.enqueue(e.App, e.Record)
	})
	return nil
}

func (p *plugin) now() time.Time {
	if p.config.Now != nil {
		return p.config.Now().UTC()
	}
	return time.Now().UTC()
}
