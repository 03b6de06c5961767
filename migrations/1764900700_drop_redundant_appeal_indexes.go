package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Every intake writes an entry into each index of appeals, and every
// workflow step rewrites the entries of the indexes naming a column it
// changes. The fourth round's index audit (BenchmarkIndexAudit in
// plugins/loadgen; docs/performance.md, "Index audit") planned every
// statement the hot requests, the console's queues, an intake, a closed
// loop, an SLA sweep and a roll-up run issue, and found four indexes that
// no plan needs:
//
//   - idx_appeals_created (created) is the first column of
//     idx_appeals_an_created: the lists sorted by created walk that one;
//   - idx_appeals_closed_at (closed_at) is the first column of
//     idx_appeals_an_closed;
//   - idx_appeals_sla_state (sla_state, lead_department WHERE sla_state !=
//     'normal') has the condition of idx_appeals_sla_board, which the SLA
//     board and report name; no plan chose it;
//   - idx_appeals_review_queue (status, urgent_flag, created) serves the
//     console's queues by status only (the review queue sorts by
//     urgent_flag, priority, created: priority is not in it, so SQLite
//     sorts the queue's few rows either way); idx_appeals_status_created
//     serves the same searches.
//
// They are dropped in place (saving the collection would make PocketBase
// rebuild every index of appeals) and taken out of the collection's index
// list, so that the dashboard and later schema changes agree.
func init() {
	dropped := []struct{ name, columns, where string }{
		{"idx_appeals_created", "created", ""},
		{"idx_appeals_closed_at", "closed_at", ""},
		{"idx_appeals_sla_state", "sla_state, lead_department", "sla_state != 'normal'"},
		{"idx_appeals_review_queue", "status, urgent_flag, created", ""},
	}
	core.AppMigrations.Register(func(app core.App) error {
		for _, d := range dropped {
			if err := dropIndexInPlace(app, "appeals", d.name); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, d := range dropped {
			if err := addIndexInPlace(app, "appeals", d.name, d.columns, d.where); err != nil {
				return err
			}
		}
		return nil
	})
}
