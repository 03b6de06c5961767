package portal

import (
	"net/http"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// bindSlotGuards keeps appointment slots consistent: a slot ends after it
// starts on a real date, and its booked count belongs to the booking
// endpoints. Editors create and change slots through the record API; the
// count they send is ignored (pinCounter).
func bindSlotGuards(app core.App) {
	app.OnRecordValidate("appointment_slots").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		errs := validation.Errors{}
		if _, err := slotStart(r); err != nil {
			errs["date"] = validation.NewError("validation_invalid_date", "日期或开始时间无效，格式如 2026-11-27、09:00")
		}
		if r.GetString("end") <= r.GetString("start") {
			errs["end"] = validation.NewError("validation_end_before_start", "结束时间必须晚于开始时间")
		}
		if r.GetInt("capacity") < r.GetInt("booked") {
			errs["capacity"] = validation.NewError("validation_capacity_below_booked", "可预约人数不能少于已预约人数")
		}
		if len(errs) > 0 {
			return errs
		}
		return e.Next()
	})
	pinCounter(app, "appointment_slots", "booked")
}

// pinCounter makes field of collection a counter the record API cannot set:
// a new record starts at 0, and an update keeps the value in the database,
// read in the same transaction as the write, so that an editor saving a
// record they loaded a minute ago does not undo the counts made since.
func pinCounter(app core.App, collection, field string) {
	app.OnRecordCreateRequest(collection).BindFunc(func(e *core.RecordRequestEvent) error {
		e.Record.Set(field, 0)
		return e.Next()
	})
	app.OnRecordUpdateRequest(collection).BindFunc(func(e *core.RecordRequestEvent) error {
		return e.App.RunInTransaction(func(tx core.App) error {
			var n int
			err := tx.DB().Select(field).From(collection).Where(dbx.HashExp{"id": e.Record.Id}).Row(&n)
			if err != nil {
				return err
			}
			e.Record.Set(field, n)
			e.App = tx
			return e.Next()
		})
	})
}

// bindAppointmentGuards refuses every record-API write of appointments,
// superusers included: bookings are made, cancelled and marked only through
// the portal endpoints, which check capacity and the resident's code.
func bindAppointmentGuards(app core.App) {
	refuse := func(e *core.RecordRequestEvent) error {
		return &router.ApiError{Status: http.StatusForbidden, Message: "预约只能通过网上预约接口办理", Data: map[string]any{}}
	}
	app.OnRecordCreateRequest("appointments").BindFunc(refuse)
	app.OnRecordUpdateRequest("appointments").BindFunc(refuse)
	app.OnRecordDeleteRequest("appointments").BindFunc(refuse)
}

// bindKnowledgeHits counts the times a resident opens a knowledge entry
// (staff views are not counted). The count is bumped in place so that it
// does not change "updated"; editors' saves keep it (pinCounter).
func bindKnowledgeHits(app core.App) {
	pinCounter(app, "knowledge", "hits")
	app.OnRecordViewRequest("knowledge").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if e.Auth != nil && (e.Auth.IsSuperuser() || e.Auth.Collection().Name == "staff") {
			return nil
		}
		_, err := e.App.DB().NewQuery("UPDATE knowledge SET hits = hits + 1 WHERE id = {:id}").
			Bind(map[string]any{"id": e.Record.Id}).Execute()
		if err != nil {
			e.App.Logger().Warn("portal: knowledge hit not counted", "id", e.Record.Id, "error", err)
		}
		return nil
	})
}
