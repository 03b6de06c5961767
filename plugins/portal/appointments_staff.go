package portal

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// mayServe reports whether the staff member works for the service item's
// department; the platform's operators, supervisors and admins serve all.
func mayServe(auth *core.Record, item *core.Record) bool {
	actor := workflow.ActorFromAuth(auth)
	if actor.StaffRole != "handler" {
		return actor.IsStaff()
	}
	return actor.Department != "" && actor.Department == item.GetString("department")
}

// dayRow is one booking of the day, as the window staff need it.
type dayRow struct {
	ID      string         `db:"id" json:"id"`
	Slot    string         `db:"slot" json:"slot"`
	Start   string         `db:"start" json:"start"`
	End     string         `db:"end" json:"end"`
	Name    string         `db:"name" json:"name"`
	Phone   string         `db:"phone" json:"phone"`
	Status  string         `db:"status" json:"status"`
	Label   string         `db:"-" json:"status_label"`
	Created types.DateTime `db:"created" json:"created"`
}

// daySlot is one slot of the day with its seat count.
type daySlot struct {
	ID       string `db:"id" json:"id"`
	Start    string `db:"start" json:"start"`
	End      string `db:"end" json:"end"`
	Capacity int    `db:"capacity" json:"capacity"`
	Booked   int    `db:"booked" json:"booked"`
}

// handleDay runs GET /api/portal/appointments/day?date=…&service=…: the
// day's bookings of one service item with full names and phone numbers
// (the window calls people who are late), for the item's own department and
// the platform's central staff. Every such read is written to the audit log.
func (p *plugin) handleDay(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	date := strings.TrimSpace(q.Get("date"))
	service := strings.TrimSpace(q.Get("service"))
	errs := &workflow.FieldErrors{}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		errs.Add("date", "请选择日期，格式如 2026-11-27")
	}
	if service == "" {
		errs.Add("service", "请选择办事事项")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	item, err := e.App.FindRecordById("service_items", service)
	if err != nil {
		return workflow.NotFound("办事事项不存在")
	}
	if !mayServe(e.Auth, item) {
		return workflow.Forbidden("只能查看本单位办事事项的预约")
	}

	slots := []daySlot{}
	err = e.App.DB().Select("id", "start", "end", "capacity", "booked").From("appointment_slots").
		Where(dbx.HashExp{"service_item": item.Id, "date": date}).OrderBy("start").All(&slots)
	if err != nil {
		return err
	}
	rows := []dayRow{}
	err = e.App.DB().NewQuery(`
SELECT a.id, a.slot, s.start, s."end" AS "end", a.name, a.phone, a.status, a.created
  FROM appointments a JOIN appointment_slots s ON s.id = a.slot
 WHERE s.service_item = {:item} AND s.date = {:date}
 ORDER BY s.start, a.created`).Bind(dbx.Params{"item": item.Id, "date": date}).All(&rows)
	if err != nil {
		return err
	}
	for i := range rows {
		rows[i].Label = AppointmentStatusLabels[rows[i].Status]
	}
	err = hooks.Audit(e.App, hooks.AuditEntry{
		Action: "appointments.view", Actor: e.Auth, TargetCollection: "service_items", TargetID: item.Id,
		Detail: map[string]any{"date": date, "service": item.GetString("name"), "count": len(rows)},
		IP:     e.RealIP(),
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"date":         date,
		"service":      map[string]any{"id": item.Id, "name": item.GetString("name")},
		"slots":        slots,
		"appointments": rows,
	})
}

// handleMark runs POST /api/portal/appointments/{id}/status {status}: the
// window records that the resident came (done) or did not (no_show). A
// cancelled booking stays cancelled; a mistake between the two may be
// corrected.
func (p *plugin) handleMark(e *core.RequestEvent) error {
	var in struct {
		Status string `json:"status" form:"status"`
	}
	if err := e.BindBody(&in); err != nil {
		return workflow.BodyError(err)
	}
	if in.Status != "done" && in.Status != "no_show" {
		return workflow.FieldError("status", "状态只能是 done（已办理）或 no_show（未到场）")
	}
	var appointment *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		var err error
		appointment, err = tx.FindRecordById("appointments", e.Request.PathValue("id"))
		if err != nil {
			return workflow.NotFound("预约不存在")
		}
		item, err := tx.FindRecordById("service_items", appointment.GetString("service_item"))
		if err != nil {
			return err
		}
		if !mayServe(e.Auth, item) {
			return workflow.Forbidden("只能处理本单位办事事项的预约")
		}
		if appointment.GetString("status") == "cancelled" {
			return workflow.Conflict("该预约已由预约人取消")
		}
		slot, err := tx.FindRecordById("appointment_slots", appointment.GetString("slot"))
		if err != nil {
			return err
		}
		start, err := slotStart(slot)
		if err != nil {
			return err
		}
		if in.Status == "no_show" && p.now().Before(start) {
			return workflow.Conflict("预约时段尚未开始，不能标记为未到场")
		}
		appointment.Set("status", in.Status)
		if e.Auth != nil && e.Auth.Collection().Name == "staff" {
			appointment.Set("marked_by", e.Auth.Id)
		}
		return tx.Save(appointment)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id": appointment.Id, "status": in.Status, "status_label": AppointmentStatusLabels[in.Status],
	})
}
