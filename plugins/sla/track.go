package sla

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// TrackTimers sets r's sla_* fields (stage, start, warning point, deadline,
// next check) exactly as the tracking hook does when an appeal is saved at
// now. It is for tools that write appeals in bulk straight into the
// database, bypassing the record hooks (the load generator).
func TrackTimers(app core.App, clock *Clock, now time.Time, r *core.Record) error {
	p := &plugin{app: app, clock: clock, config: Config{Now: func() time.Time { return now }}}
	return p.updateTimers(app, r)
}
