package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Analytics: covering indexes for the metric queries (plugins/analytics,
// docs/metrics.md), the reply quality check stored on each reply, and the
// hotspots found in the appeals with their alerts (未诉先办).
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		// Each metric reads a date range of one of these columns and only
		// the columns listed after it, so the index alone answers it.
		appeals.AddIndex("idx_appeals_an_created", false,
			"created, lead_department, status, reject_reason, duplicate_of, category, region, channel", "")
		appeals.AddIndex("idx_appeals_an_replied", false,
			"replied_at, lead_department, due_finish, dispatched_at, category, region, channel", "")
		appeals.AddIndex("idx_appeals_an_closed", false,
			"closed_at, status, lead_department, satisfaction, close_reason, reject_reason, resolved, reopen_count, redo_count, category, region, channel", "")
		if err := app.Save(appeals); err != nil {
			return err
		}
		assignments, err := app.FindCollectionByNameOrId("assignments")
		if err != nil {
			return err
		}
		assignments.AddIndex("idx_assignments_an_due_sign", false, "due_sign, role, status, signed_at, department, appeal", "")
		if err := app.Save(assignments); err != nil {
			return err
		}

		replies, err := app.FindCollectionByNameOrId("replies")
		if err != nil {
			return err
		}
		replies.Fields.Add(
			&core.NumberField{Name: "quality_score", Help: "答复质量得分（0–100，系统评估）"},
			&core.BoolField{Name: "quality_perfunctory", Help: "疑似形式主义答复"},
			&core.JSONField{Name: "quality", MaxSize: 1 << 16, Help: "答复质量评估的各项得分与原因"},
		)
		if err := app.Save(replies); err != nil {
			return err
		}

		hotspots := core.NewBaseCollection("hotspots", "sy_hotspots")
		hotspots.ListRule = rule(isCentral)
		hotspots.ViewRule = rule(isCentral)
		hotspots.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true, Help: "热点名称（地点 + 问题）"},
			text("place", false, 100),
			text("problem", false, 200),
			&core.JSONField{Name: "appeals", MaxSize: 1 << 20, Help: "所含工单的 id"},
			&core.NumberField{Name: "count", OnlyInt: true, Help: "诉求件数"},
			&core.NumberField{Name: "residents", OnlyInt: true, Help: "不同诉求人数"},
			&core.NumberField{Name: "heat", Help: "热度指数（docs/analytics.md）"},
			&core.NumberField{Name: "recent", OnlyInt: true, Help: "最近一周的件数"},
			&core.NumberField{Name: "usual_weekly", Help: "此前平均每周件数"},
			date("first_at"),
			date("last_at"),
			selectOne("status", true, "active", "faded"),
			date("scanned_at"),
		)
		timestamps(hotspots)
		hotspots.AddIndex("idx_hotspots_status_heat", false, "status, heat", "")
		if err := app.Save(hotspots); err != nil {
			return err
		}

		alerts := core.NewBaseCollection("hotspot_alerts", "sy_hotspot_alerts")
		alerts.ListRule = rule(isCentral)
		alerts.ViewRule = rule(isCentral)
		alerts.Fields.Add(
			relation("hotspot", "sy_hotspots", true, 1),
			selectOne("kind", true, "new", "surge"),
			&core.TextField{Name: "message", Required: true, Max: 500, Presentable: true},
			&core.NumberField{Name: "count", OnlyInt: true},
			&core.NumberField{Name: "recent", OnlyInt: true},
		)
		alerts.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
		alerts.AddIndex("idx_hotspot_alerts_created", false, "created", "")
		return app.Save(alerts)
	}, nil)
}
