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

// codeRequest is the body of the lookup and cancel endpoints: the code the
// resident was given and the phone they booked with. Both travel in the
// body so that they never land in access logs.
type codeRequest struct {
	Code  string `json:"code" form:"code"`
	Phone string `json:"phone" form:"phone"`
}

func bindCode(e *core.RequestEvent) (codeRequest, error) {
	var in codeRequest
	if err := e.BindBody(&in); err != nil {
		return in, workflow.BodyError(err)
	}
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Phone = hooks.NormalizePhone(in.Phone)
	errs := &workflow.FieldErrors{}
	if in.Code == "" {
		errs.Add("code", "请输入预约码")
	}
	if in.Phone == "" {
		errs.Add("phone", "请输入预约时填写的手机号")
	}
	return in, errs.Err()
}

// errNoBooking does not say which of the two was wrong.
func errNoBooking() error { return workflow.NotFound("预约码或手机号不正确") }

// findByCode answers the booking with this code and phone.
func findByCode(app core.App, in codeRequest) (*core.Record, error) {
	list, err := app.FindRecordsByFilter("appointments", "code_hash = {:hash} && phone = {:phone}", "-created", 1, 0,
		dbx.Params{"hash": hashCode(in.Code), "phone": in.Phone})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNoBooking()
	}
	return list[0], nil
}

// handleLookup runs POST /api/portal/appointments/lookup: the resident's
// own booking, with their name and phone masked.
func (p *plugin) handleLookup(e *core.RequestEvent) error {
	in, err := bindCode(e)
	if err != nil {
		return err
	}
	appointment, err := findByCode(e.App, in)
	if err != nil {
		return err
	}
	slot, err := e.App.FindRecordById("appointment_slots", appointment.GetString("slot"))
	if err != nil {
		return err
	}
	item, err := e.App.FindRecordById("service_items", appointment.GetString("service_item"))
	if err != nil {
		return err
	}
	start, err := slotStart(slot)
	if err != nil {
		return err
	}
	status := appointment.GetString("status")
	return e.JSON(http.StatusOK, BookingView{
		ID:          appointment.Id,
		Status:      status,
		StatusLabel: AppointmentStatusLabels[status],
		Name:        hooks.MaskName(appointment.GetString("name")),
		Phone:       hooks.MaskPhone(appointment.GetString("phone")),
		Slot:        slotOf(slot),
		Service: ServiceInfo{
			Name: item.GetString("name"), Location: item.GetString("location"),
			Phone: item.GetString("phone"), Hours: item.GetString("hours"),
		},
		Created:     appointment.GetDateTime("created"),
		CancelledAt: appointment.GetDateTime("cancelled_at"),
		CanCancel:   status == "booked" && start.After(p.now()),
	})
}

// BookingView is a booking as its resident sees it: name and phone masked.
type BookingView struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"` // booked, cancelled, done, no_show
	StatusLabel string         `json:"status_label"`
	Name        string         `json:"name"`  // 王**
	Phone       string         `json:"phone"` // 138****5678
	Slot        SlotInfo       `json:"slot"`
	Service     ServiceInfo    `json:"service"`
	Created     types.DateTime `json:"created"`
	CancelledAt types.DateTime `json:"cancelled_at"` // "" unless cancelled
	CanCancel   bool           `json:"can_cancel"`   // still booked and the slot has not started
}

// handleCancel runs POST /api/portal/appointments/cancel: the booking is
// cancelled and its seat freed in the same transaction.
func (p *plugin) handleCancel(e *core.RequestEvent) error {
	in, err := bindCode(e)
	if err != nil {
		return err
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		appointment, err := findByCode(tx, in)
		if err != nil {
			return err
		}
		switch appointment.GetString("status") {
		case "cancelled":
			return workflow.Conflict("该预约已取消，无需重复操作")
		case "done", "no_show":
			return workflow.Conflict("该预约已办结，不能取消")
		}
		slot, err := tx.FindRecordById("appointment_slots", appointment.GetString("slot"))
		if err != nil {
			return err
		}
		start, err := slotStart(slot)
		if err != nil {
			return err
		}
		now := p.now()
		if !start.After(now) {
			return workflow.Conflict("预约时段已开始或已过，不能取消")
		}
		appointment.Set("status", "cancelled")
		appointment.Set("cancelled_at", dateTime(now))
		if err := tx.Save(appointment); err != nil {
			return err
		}
		slot.Set("booked", max(slot.GetInt("booked")-1, 0))
		return tx.Save(slot)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"status": "cancelled"})
}

// dateTime converts the platform clock's time for a date field.
func dateTime(t time.Time) types.DateTime {
	dt, _ := types.ParseDateTime(t.UTC())
	return dt
}
