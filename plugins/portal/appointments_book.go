package portal

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// maxNameLen is the longest name a booking accepts, in characters.
const maxNameLen = 40

// bookRequest is the body of POST /api/portal/appointments.
type bookRequest struct {
	Slot  string `json:"slot" form:"slot"`
	Name  string `json:"name" form:"name"`
	Phone string `json:"phone" form:"phone"`
}

// check normalises the input and names every problem, in form order.
func (r *bookRequest) check() error {
	r.Slot = strings.TrimSpace(r.Slot)
	r.Name = strings.TrimSpace(r.Name)
	r.Phone = hooks.NormalizePhone(r.Phone)
	errs := &workflow.FieldErrors{}
	if r.Slot == "" {
		errs.Add("slot", "请选择预约时段")
	}
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		errs.Add("name", "请填写姓名")
	case n > maxNameLen:
		errs.Add("name", "姓名不能超过 40 个字")
	case !utf8.ValidString(r.Name) || strings.IndexFunc(r.Name, unicode.IsControl) >= 0 || strings.ContainsAny(r.Name, "<>"):
		errs.Add("name", "姓名含有无效字符")
	}
	switch {
	case r.Phone == "":
		errs.Add("phone", "请填写手机号")
	case !hooks.ValidPhone(r.Phone):
		errs.Add("phone", hooks.ErrInvalidPhone)
	}
	return errs.Err()
}

// handleBook runs POST /api/portal/appointments: a resident books a seat in
// a slot without an account and gets a code (shown once) to look the
// booking up or cancel it. The seat count is checked and taken in one
// transaction; writes are serialised, so the last seat goes to exactly one
// of two residents who ask for it at the same moment.
func (p *plugin) handleBook(e *core.RequestEvent) error {
	var in bookRequest
	if err := e.BindBody(&in); err != nil {
		return workflow.BodyError(err)
	}
	if err := in.check(); err != nil {
		return err
	}
	slot, err := e.App.FindRecordById("appointment_slots", in.Slot)
	if err != nil {
		return workflow.FieldError("slot", "所选时段不存在，请重新选择")
	}
	item, err := e.App.FindRecordById("service_items", slot.GetString("service_item"))
	if err != nil || !item.GetBool("active") || !item.GetBool("online_booking") {
		return workflow.Conflict("该事项暂不支持网上预约，请电话咨询或到窗口办理")
	}
	start, err := slotStart(slot)
	if err != nil {
		return err
	}
	if !start.After(p.now()) {
		return workflow.Conflict("该时段已过，请选择其他时段")
	}

	code := newCode()
	var appointment *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		slot, err := tx.FindRecordById("appointment_slots", in.Slot)
		if err != nil {
			return workflow.FieldError("slot", "所选时段不存在，请重新选择") // deleted meanwhile
		}
		held, err := tx.CountRecords("appointments", dbx.HashExp{"slot": slot.Id, "phone": in.Phone, "status": "booked"})
		if err != nil {
			return err
		}
		if held > 0 {
			return workflow.Conflict("该手机号已预约此时段，请勿重复预约")
		}
		if slot.GetInt("booked") >= slot.GetInt("capacity") {
			return workflow.Conflict("该时段已约满")
		}
		collection, err := tx.FindCachedCollectionByNameOrId("appointments")
		if err != nil {
			return err
		}
		appointment = core.NewRecord(collection)
		appointment.Load(map[string]any{
			"slot":         slot.Id,
			"service_item": item.Id,
			"name":         in.Name,
			"phone":        in.Phone,
			"code_hash":    hashCode(code),
			"status":       "booked",
		})
		if err := tx.Save(appointment); err != nil {
			return err
		}
		slot.Set("booked", slot.GetInt("booked")+1)
		return tx.Save(slot)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusCreated, Booking{
		ID:      appointment.Id,
		Code:    code,
		Slot:    slotOf(slot),
		Service: ServiceInfo{Name: item.GetString("name"), Location: item.GetString("location")},
	})
}

// Booking is the answer to a booking: the code is shown this once.
type Booking struct {
	ID      string      `json:"id"`
	Code    string      `json:"code"`
	Slot    SlotInfo    `json:"slot"`
	Service ServiceInfo `json:"service"`
}

// SlotInfo is the part of a slot a resident reads (China time).
type SlotInfo struct {
	Date  string `json:"date"`  // 2026-11-27
	Start string `json:"start"` // 09:00
	End   string `json:"end"`   // 09:30
}

// ServiceInfo is where to go for a booked service.
type ServiceInfo struct {
	Name     string `json:"name"`
	Location string `json:"location"`
	Phone    string `json:"phone,omitempty"` // lookup only
	Hours    string `json:"hours,omitempty"` // lookup only
}

func slotOf(slot *core.Record) SlotInfo {
	return SlotInfo{Date: slot.GetString("date"), Start: slot.GetString("start"), End: slot.GetString("end")}
}
