package portal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
)

func TestDayListForStaff(t *testing.T) {
	p := newPortal(t)
	morning := p.slot(t, p.Item, tomorrow, "09:00", 3)
	afternoon := p.slot(t, p.Item, tomorrow, "14:00", 3)
	p.slot(t, p.Item, "2026-11-27", "09:00", 3) // another day
	for _, b := range []struct {
		slot        string
		name, phone string
	}{{afternoon.Id, "李四", "13912345678"}, {morning.Id, "王小明", "13812345678"}} {
		res := p.Call(t, "POST", "/api/portal/appointments", map[string]any{"slot": b.slot, "name": b.name, "phone": b.phone}, nil)
		if res.Status != 201 {
			t.Fatalf("booking: %d %s", res.Status, res.Body)
		}
	}
	url := "/api/portal/appointments/day?date=" + tomorrow + "&service=" + p.Item.Id

	audits := func() int {
		n, _ := p.App.CountRecords("audit_log", dbx.HashExp{"action": "appointments.view"})
		return int(n)
	}
	for _, c := range []struct {
		name   string
		as     *core.Record
		status int
		want   string
	}{
		{"guest", nil, 401, "请先以工作人员身份登录"},
		{"resident account", p.Resident, 403, "仅限工作人员使用"},
		{"handler of another department", p.HandlerC, 403, "只能查看本单位办事事项的预约"},
	} {
		res := p.Call(t, "GET", url, nil, c.as)
		if res.Status != c.status || !strings.Contains(res.Body, c.want) || strings.Contains(res.Body, "13812345678") {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	if n := audits(); n != 0 {
		t.Errorf("%d audit rows for refused reads", n)
	}

	res := p.Call(t, "GET", url, nil, p.HandlerA)
	if res.Status != 200 {
		t.Fatalf("own department: %d %s", res.Status, res.Body)
	}
	var day struct {
		Date  string
		Slots []struct {
			ID, Start        string
			Capacity, Booked int
		}
		Appointments []struct {
			Slot, Start, End, Name, Phone, Status string
			StatusLabel                           string `json:"status_label"`
		}
	}
	res.JSON(t, &day)
	if day.Date != tomorrow || len(day.Slots) != 2 || day.Slots[0].Start != "09:00" || day.Slots[0].Booked != 1 {
		t.Errorf("slots of the day: %+v", day.Slots)
	}
	if len(day.Appointments) != 2 {
		t.Fatalf("appointments: %+v", day.Appointments)
	}
	first := day.Appointments[0]
	if first.Name != "王小明" || first.Phone != "13812345678" || first.Start != "09:00" || first.End != "09:30" || first.StatusLabel != "已预约" {
		t.Errorf("first appointment of the day: %+v", first)
	}
	if n := audits(); n != 1 {
		t.Fatalf("%d audit rows after one read, want 1", n)
	}
	row, _ := p.App.FindFirstRecordByData("audit_log", "action", "appointments.view")
	if row.GetString("actor_id") != p.HandlerA.Id || row.GetString("target_id") != p.Item.Id {
		t.Errorf("audit row %v", row.FieldsData())
	}
	if detail := row.GetString("detail"); strings.Contains(detail, "13812345678") || strings.Contains(detail, "王小明") || !strings.Contains(detail, `"count":2`) {
		t.Errorf("audit detail %s", detail)
	}

	// the platform's operators serve every department
	if res := p.Call(t, "GET", url, nil, p.Operator); res.Status != 200 || audits() != 2 {
		t.Errorf("operator: %d, %d audit rows", res.Status, audits())
	}
	if res := p.Call(t, "GET", "/api/portal/appointments/day?date=明天", nil, p.HandlerA); res.Status != 400 ||
		!strings.Contains(res.Body, `"date":`) || !strings.Contains(res.Body, `"service":`) {
		t.Errorf("bad query: %d %s", res.Status, res.Body)
	}
}

func TestMarkAppointment(t *testing.T) {
	p := newPortal(t)
	slot := p.slot(t, p.Item, tomorrow, "09:00", 3)
	res := p.book(t, slot, "王小明", "13812345678")
	var b booking
	res.JSON(t, &b)
	url := "/api/portal/appointments/" + b.ID + "/status"

	if res := p.Call(t, "POST", url, map[string]any{"status": "no_show"}, p.HandlerA); res.Status != 409 || !strings.Contains(res.Body, "尚未开始") {
		t.Errorf("no_show before the slot: %d %s", res.Status, res.Body)
	}
	if res := p.Call(t, "POST", url, map[string]any{"status": "done"}, p.HandlerC); res.Status != 403 {
		t.Errorf("another department marks: %d %s", res.Status, res.Body)
	}
	if res := p.Call(t, "POST", url, map[string]any{"status": "cancelled"}, p.HandlerA); res.Status != 400 || !strings.Contains(res.Body, `"status":`) {
		t.Errorf("marking cancelled: %d %s", res.Status, res.Body)
	}
	p.SetNow(time.Date(2026, 11, 26, 9, 40, 0, 0, testenv.China))
	if res := p.Call(t, "POST", url, map[string]any{"status": "no_show"}, p.HandlerA); res.Status != 200 || !strings.Contains(res.Body, "未到场") {
		t.Errorf("no_show after the slot: %d %s", res.Status, res.Body)
	}
	a, _ := p.App.FindRecordById("appointments", b.ID)
	if a.GetString("status") != "no_show" || a.GetString("marked_by") != p.HandlerA.Id {
		t.Errorf("stored %v", a.FieldsData())
	}
	// a booking that was dealt with cannot be cancelled by the resident
	res = p.Call(t, "POST", "/api/portal/appointments/cancel", map[string]any{"code": b.Code, "phone": "13812345678"}, nil)
	if res.Status != 409 {
		t.Errorf("cancel after no_show: %d %s", res.Status, res.Body)
	}
}

// TestRecordAPIGuards: appointments are never written through the record
// API; slot seat counts belong to the booking endpoints; the list shows no
// contact data and only to the item's department and central staff.
func TestRecordAPIGuards(t *testing.T) {
	p := newPortal(t)
	slot := p.slot(t, p.Item, tomorrow, "09:00", 3)
	res := p.book(t, slot, "王小明", "13812345678")
	var b booking
	res.JSON(t, &b)
	root := p.Superuser(t)

	records := "/api/collections/appointments/records"
	for _, c := range []struct{ method, url string }{
		{"POST", records},
		{"PATCH", records + "/" + b.ID},
		{"DELETE", records + "/" + b.ID},
	} {
		res := p.Call(t, c.method, c.url, map[string]any{"slot": slot.Id, "service_item": p.Item.Id, "name": "x", "phone": "13800000000",
			"code_hash": strings.Repeat("0", 64), "status": "done"}, root)
		if res.Status != 403 || !strings.Contains(res.Body, "预约只能通过网上预约接口办理") {
			t.Errorf("superuser %s: %d %s", c.method, res.Status, res.Body)
		}
	}

	for _, c := range []struct {
		who   string
		as    *core.Record
		total string
	}{
		{"guest", nil, `"totalItems":0`}, {"handler C", p.HandlerC, `"totalItems":0`},
		{"handler A", p.HandlerA, `"totalItems":1`}, {"operator", p.Operator, `"totalItems":1`},
	} {
		who, total := c.who, c.total
		res := p.Call(t, "GET", records, nil, c.as)
		if res.Status != 200 || !strings.Contains(res.Body, total) {
			t.Errorf("%s lists appointments: %d %s", who, res.Status, res.Body)
		}
		for _, secret := range []string{"13812345678", "王小明", "code_hash"} {
			if strings.Contains(res.Body, secret) {
				t.Errorf("%s sees %s: %s", who, secret, res.Body)
			}
		}
	}

	// an editor's slot changes keep the seat count
	slots := "/api/collections/appointment_slots/records"
	res = p.Call(t, "PATCH", slots+"/"+slot.Id, map[string]any{"capacity": 4, "booked": 0}, p.Operator)
	if res.Status != 200 || p.booked(t, slot) != 1 {
		t.Errorf("editing a slot: %d %s; booked %d, want 1", res.Status, res.Body, p.booked(t, slot))
	}
	res = p.Call(t, "POST", slots, map[string]any{"service_item": p.Item.Id, "date": tomorrow, "start": "10:00", "end": "10:30", "capacity": 2, "booked": 2}, p.Operator)
	if res.Status != 200 || !strings.Contains(res.Body, `"booked":0`) {
		t.Errorf("a new slot with seats taken: %d %s", res.Status, res.Body)
	}
	for name, body := range map[string]map[string]any{
		"ends before it starts": {"service_item": p.Item.Id, "date": tomorrow, "start": "11:00", "end": "10:30", "capacity": 2},
		"no such date":          {"service_item": p.Item.Id, "date": "2026-02-30", "start": "11:00", "end": "11:30", "capacity": 2},
	} {
		if res := p.Call(t, "POST", slots, body, p.Operator); res.Status != 400 {
			t.Errorf("slot that %s: %d %s", name, res.Status, res.Body)
		}
	}
	if res := p.Call(t, "PATCH", slots+"/"+slot.Id, map[string]any{"capacity": 0}, p.Operator); res.Status != 400 {
		t.Errorf("capacity 0: %d %s", res.Status, res.Body)
	}
	if res := p.Call(t, "PATCH", slots+"/"+slot.Id, map[string]any{"capacity": 2}, p.HandlerA); res.Status != 404 {
		t.Errorf("a handler edits a slot: %d %s", res.Status, res.Body)
	}
}
