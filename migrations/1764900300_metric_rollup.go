package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Metric roll-up (plugins/analytics, docs/metrics.md "Speed"): the
// pre-aggregated cells the metrics are answered from at scale, the state of
// each month's cells (dirty after a change, as of when), and the indexes
// the live snapshot (在办/超期), the freshness hooks and the dashboard's
// 预警/超时 board read. Both tables
// are the server's own bookkeeping: superusers only (no API rules).
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		cells := core.NewBaseCollection("metric_cells", "sy_metric_cells")
		cells.Fields.Add(
			&core.TextField{Name: "metric", Required: true, Max: 20, Presentable: true, Help: "指标（received/response/on_time/handling/closed/rated）"},
			&core.TextField{Name: "month", Required: true, Max: 7, Presentable: true, Help: "中国时间月份 2026-11"},
			&core.TextField{Name: "department", Max: 15, Help: "承办单位 id；* 为全部单位合计；空为无承办单位"},
			&core.TextField{Name: "kind", Max: 10, Help: "第二维度：空、category、township、channel 或 day"},
			&core.TextField{Name: "key", Max: 15, Help: "第二维度的取值（分类/乡镇 id、渠道代码或日期）"},
			number("base", true),
			number("hit1", true),
			number("hit2", true),
			number("sum", false),
		)
		// One index serves both the refresh (a month's cells replaced) and
		// the answers (kind, department and the months equal, then the
		// key): a second one would make every refresh's write longer.
		cells.AddIndex("idx_metric_cells_cell", true, "month, kind, department, key, metric", "")
		if err := app.Save(cells); err != nil {
			return err
		}

		months := core.NewBaseCollection("metric_months", "sy_metric_months")
		months.Fields.Add(
			&core.TextField{Name: "month", Required: true, Max: 7, Presentable: true, Help: "中国时间月份 2026-11；* 表示全部重算"},
			&core.BoolField{Name: "dirty", Help: "数据有变动，待重算"},
			&core.TextField{Name: "as_of", Max: 30, Help: "单元格所反映的数据时间（UTC）；空为尚未计算"},
		)
		months.AddIndex("idx_metric_months_month", true, "month", "")
		if err := app.Save(months); err != nil {
			return err
		}
		// The cells of the data already there are built by the first run of
		// the roll-up job; until then every figure is computed live.
		if _, err := app.DB().NewQuery("INSERT INTO metric_months (id, month, dirty, as_of) VALUES ({:id}, '*', 1, '')").
			Bind(map[string]any{"id": core.GenerateDefaultRandomId()}).Execute(); err != nil {
			return err
		}

		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		// 在办/超期 stays a live snapshot: the cases in a department's hands,
		// with every column its breakdowns read.
		appeals.AddIndex("idx_appeals_an_open", false, "status, lead_department, sla_state, created, category, region, channel",
			"status IN ('dispatched', 'handling', 'suspended', 'replied')")
		// A merged appeal counts for its original's department: a change of
		// that department finds the merged ones here.
		appeals.AddIndex("idx_appeals_duplicate_of", false, "duplicate_of", "duplicate_of != ''")
		// The 预警/超时 board and the report's worst overdue cases: the cases
		// whose clock is not normal, by department and deadline, with what
		// the board counts and the report filters on.
		appeals.AddIndex("idx_appeals_sla_board", false, "lead_department, sla_due_at, sla_state, sla_stage, status",
			"sla_state != 'normal'")
		return app.Save(appeals)
	}, nil)
}
