package migrations

import (
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/sla/calendar"
)

// The working-day calendar (工作日历) and the SLA settings, both edited by
// admins. The calendar is seeded with every date of the years lunar-go's
// statutory holiday tables cover, holidays and 调休 make-up days included.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		days := core.NewBaseCollection("calendar_days", "sy_calendar_days")
		days.ListRule = rule("")
		days.ViewRule = rule("")
		days.CreateRule = rule(isAdmin)
		days.UpdateRule = rule(isAdmin)
		days.DeleteRule = rule(isAdmin)
		days.Fields.Add(
			&core.TextField{Name: "date", Required: true, Pattern: `^\d{4}-\d{2}-\d{2}$`, Presentable: true, Help: "日期，如 2026-10-01"},
			&core.BoolField{Name: "work", Help: "是否工作日（调休上班的周末也勾选）"},
			&core.TextField{Name: "name", Max: 40, Help: "节假日或调休名称"},
		)
		timestamps(days)
		days.AddIndex("idx_calendar_days_date", true, "date", "")
		if err := app.Save(days); err != nil {
			return err
		}

		settings := core.NewBaseCollection("sla_settings", "sy_sla_settings")
		settings.ListRule = rule(isStaff)
		settings.ViewRule = rule(isStaff)
		settings.UpdateRule = rule(isAdmin)
		settings.Fields.Add(
			&core.TextField{Name: "working_hours", Required: true, Max: 100, Help: "工作时间，如 08:30-12:00,14:00-17:30"},
			&core.NumberField{Name: "supervise_after_days", Help: "超时多少个工作日后自动督办（此后每隔同样天数再次督办）"},
		)
		timestamps(settings)
		if err := app.Save(settings); err != nil {
			return err
		}
		row := core.NewRecord(settings)
		row.Set("working_hours", "08:30-12:00,14:00-17:30")
		row.Set("supervise_after_days", 2)
		if err := app.Save(row); err != nil {
			return err
		}

		first, last := calendar.CoveredYears()
		seeded, err := calendar.Seed(first, last)
		if err != nil {
			return err
		}
		// plain inserts in one statement each: ~9,500 rows must not take a
		// record save (with its hooks and validation) apiece
		for _, d := range seeded {
			if _, err := app.DB().Insert("calendar_days", map[string]any{
				"id": "cd" + d.Date[0:4] + d.Date[5:7] + d.Date[8:10] + "00000", "date": d.Date, "work": d.Work, "name": d.Name,
				"created": "2026-11-26 00:00:00.000Z", "updated": "2026-11-26 00:00:00.000Z",
			}).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
