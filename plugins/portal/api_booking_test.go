package portal_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
)

// The platform clock stands at Wednesday 2026-11-25 09:00 (China).
const (
	tomorrow  = "2026-11-26"
	yesterday = "2026-11-24"
)

var codePattern = regexp.MustCompile(`^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$`)

type booking struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Slot struct {
		Date, Start, End string
	} `json:"slot"`
	Service struct {
		Name, Location string
	} `json:"service"`
}

func TestBookingValidation(t *testing.T) {
	p := newPortal(t)
	open := p.slot(t, p.Item, tomorrow, "09:00", 5)
	past := p.slot(t, p.Item, yesterday, "09:00", 5)
	startedToday := p.slot(t, p.Item, "2026-11-25", "08:30", 5)
	windowOnly := p.slot(t, p.NoBooking, tomorrow, "09:00", 5)
	body := func(slot, name, phone string) *strings.Reader {
		return strings.NewReader(`{"slot":"` + slot + `","name":` + jsonString(name) + `,"phone":"` + phone + `"}`)
	}
	url := "/api/portal/appointments"
	nothingBooked := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		if n, _ := app.CountRecords("appointments"); n != 0 {
			t.Errorf("a refused booking stored %d appointments", n)
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "every missing field is named", Method: http.MethodPost, URL: url, Body: strings.NewReader(`{}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"slot":{"code":"invalid","message":"请选择预约时段"}`, `"name":`, `"phone":`, "提交内容有误：请选择预约时段"},
		},
		{
			Name: "a malformed phone number", Method: http.MethodPost, URL: url, Body: body(open.Id, "王小明", "1381234"),
			ExpectedStatus: 400, ExpectedContent: []string{`"phone":{"code":"invalid"`, "请输入有效的手机号"},
			NotExpectedContent: []string{`"name":`},
		},
		{
			Name: "a name over 40 characters", Method: http.MethodPost, URL: url,
			Body: body(open.Id, strings.Repeat("名", 41), "13812345678"), ExpectedStatus: 400,
			ExpectedContent: []string{`"name":`, "姓名不能超过 40 个字"},
		},
		{
			Name: "a slot that does not exist", Method: http.MethodPost, URL: url, Body: body("nosuchslot12345", "王小明", "13812345678"),
			ExpectedStatus: 400, ExpectedContent: []string{`"slot":`, "所选时段不存在"},
		},
		{
			Name: "a slot in the past", Method: http.MethodPost, URL: url, Body: body(past.Id, "王小明", "13812345678"),
			ExpectedStatus: 409, ExpectedContent: []string{"该时段已过"},
		},
		{
			Name: "a slot that started this morning", Method: http.MethodPost, URL: url, Body: body(startedToday.Id, "王小明", "13812345678"),
			ExpectedStatus: 409, ExpectedContent: []string{"该时段已过"},
		},
		{
			Name: "a service without online booking", Method: http.MethodPost, URL: url, Body: body(windowOnly.Id, "王小明", "13812345678"),
			ExpectedStatus: 409, ExpectedContent: []string{"该事项暂不支持网上预约"},
		},
		{
			Name: "a wrongly typed body", Method: http.MethodPost, URL: url, Body: strings.NewReader(`{"slot":5}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"slot":`, "格式不正确"},
		},
		{
			Name: "a valid booking", Method: http.MethodPost, URL: url, Body: body(open.Id, " 王小明 ", "+86 138 1234 5678"),
			ExpectedStatus: 201,
			ExpectedContent: []string{`"code":"`, `"slot":{"date":"2026-11-26","start":"09:00","end":"09:30"}`,
				`"service":{"name":"居住证办理","location":"县政务服务中心二楼 12 号窗口"}`},
			NotExpectedContent: []string{"13812345678", "王小明", "code_hash"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				a, err := app.FindFirstRecordByData("appointments", "slot", open.Id)
				if err != nil {
					t.Fatal(err)
				}
				if a.GetString("name") != "王小明" || a.GetString("phone") != "13812345678" || a.GetString("status") != "booked" {
					t.Errorf("stored %v", a.FieldsData())
				}
				if len(a.GetString("code_hash")) != 64 {
					t.Errorf("code stored as %q, want a SHA-256 digest", a.GetString("code_hash"))
				}
			},
		},
	}
	for i := range scenarios {
		if scenarios[i].ExpectedStatus != 201 {
			scenarios[i].AfterTestFunc = nothingBooked
		}
	}
	runScenarios(t, p.Env, scenarios)
}

func TestBookingCapacityAndCancel(t *testing.T) {
	p := newPortal(t)
	slot := p.slot(t, p.Item, tomorrow, "09:00", 2)

	res := p.book(t, slot, "王小明", "13812345678")
	if res.Status != 201 {
		t.Fatalf("first booking: %d %s", res.Status, res.Body)
	}
	var first booking
	res.JSON(t, &first)
	if !codePattern.MatchString(first.Code) {
		t.Errorf("code %q is not 6 characters of the unambiguous alphabet", first.Code)
	}
	if first.Slot.Date != tomorrow || first.Service.Name != "居住证办理" {
		t.Errorf("booking answer %+v", first)
	}
	stored, _ := p.App.FindRecordById("appointments", first.ID)
	if strings.Contains(stored.GetString("code_hash"), first.Code) {
		t.Error("the code is stored in clear")
	}

	if res := p.book(t, slot, "王小明", "138 1234 5678"); res.Status != 409 || !strings.Contains(res.Body, "请勿重复预约") {
		t.Errorf("same phone again: %d %s", res.Status, res.Body)
	}
	res = p.book(t, slot, "李四", "13912345678")
	if res.Status != 201 {
		t.Fatalf("second seat: %d %s", res.Status, res.Body)
	}
	var second booking
	res.JSON(t, &second)
	if res := p.book(t, slot, "张三", "13712345678"); res.Status != 409 || !strings.Contains(res.Body, "该时段已约满") {
		t.Errorf("booking a full slot: %d %s", res.Status, res.Body)
	}
	if n := p.booked(t, slot); n != 2 {
		t.Errorf("booked = %d, want 2", n)
	}

	// lookup: masked, and the code is not case-sensitive
	lookup := p.Call(t, "POST", "/api/portal/appointments/lookup", map[string]any{"code": strings.ToLower(first.Code), "phone": "13812345678"}, nil)
	if lookup.Status != 200 {
		t.Fatalf("lookup: %d %s", lookup.Status, lookup.Body)
	}
	for _, want := range []string{`"name":"王**"`, `"phone":"138****5678"`, `"status":"booked"`, `"status_label":"已预约"`, `"can_cancel":true`} {
		if !strings.Contains(lookup.Body, want) {
			t.Errorf("lookup lacks %s: %s", want, lookup.Body)
		}
	}
	if strings.Contains(lookup.Body, "13812345678") || strings.Contains(lookup.Body, "王小明") {
		t.Errorf("lookup shows contact data unmasked: %s", lookup.Body)
	}

	cancel := func(code, phone string) testenv.Response {
		return p.Call(t, "POST", "/api/portal/appointments/cancel", map[string]any{"code": code, "phone": phone}, nil)
	}
	wrongCode := "222222"
	if wrongCode == first.Code {
		wrongCode = "333333"
	}
	for name, res := range map[string]testenv.Response{
		"wrong code":  cancel(wrongCode, "13812345678"),
		"wrong phone": cancel(first.Code, "13912345678"),
		"lookup":      p.Call(t, "POST", "/api/portal/appointments/lookup", map[string]any{"code": wrongCode, "phone": "13812345678"}, nil),
	} {
		if res.Status != 404 || !strings.Contains(res.Body, "预约码或手机号不正确") {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	if res := cancel("", ""); res.Status != 400 || !strings.Contains(res.Body, `"code":`) || !strings.Contains(res.Body, `"phone":`) {
		t.Errorf("cancel without code and phone: %d %s", res.Status, res.Body)
	}
	if n := p.booked(t, slot); n != 2 {
		t.Errorf("booked = %d after refused cancellations, want 2", n)
	}

	if res := cancel(first.Code, "+86 13812345678"); res.Status != 200 || res.Body != `{"status":"cancelled"}` {
		t.Fatalf("cancel: %d %s", res.Status, res.Body)
	}
	if n := p.booked(t, slot); n != 1 {
		t.Errorf("booked = %d after cancelling, want 1", n)
	}
	if res := cancel(first.Code, "13812345678"); res.Status != 409 || !strings.Contains(res.Body, "已取消") {
		t.Errorf("cancel twice: %d %s", res.Status, res.Body)
	}
	// the freed seat can be taken, also by the one who cancelled
	if res := p.book(t, slot, "王小明", "13812345678"); res.Status != 201 {
		t.Errorf("booking the freed seat: %d %s", res.Status, res.Body)
	}
	if n := p.booked(t, slot); n != 2 {
		t.Errorf("booked = %d, want 2", n)
	}

	// once the slot has started, a booking can no longer be cancelled
	p.SetNow(time.Date(2026, 11, 26, 9, 10, 0, 0, testenv.China))
	res = cancel(second.Code, "13912345678")
	if res.Status != 409 || !strings.Contains(res.Body, "不能取消") {
		t.Errorf("cancel after the start: %d %s", res.Status, res.Body)
	}
	if n := p.booked(t, slot); n != 2 {
		t.Errorf("booked = %d after a refused late cancellation, want 2", n)
	}
	lookup = p.Call(t, "POST", "/api/portal/appointments/lookup", map[string]any{"code": second.Code, "phone": "13912345678"}, nil)
	if !strings.Contains(lookup.Body, `"can_cancel":false`) {
		t.Errorf("lookup after the start: %s", lookup.Body)
	}
}

// TestLastSeatOverHTTP sends two bookings for the last seat of each of
// several slots at the same moment, over real HTTP: exactly one per slot wins.
func TestLastSeatOverHTTP(t *testing.T) {
	p := newPortal(t)
	server := httptest.NewServer(p.Handler(t))
	defer server.Close()

	const slots = 4
	var list []string
	for _, start := range []string{"08:30", "09:00", "10:00", "14:00"}[:slots] {
		list = append(list, p.slot(t, p.Item, tomorrow, start, 1).Id)
	}
	phones := []string{"13812345678", "13912345678"}
	status := make([][]int, slots)
	var wg sync.WaitGroup
	for i, id := range list {
		status[i] = make([]int, len(phones))
		for j, phone := range phones {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := `{"slot":"` + id + `","name":"居民","phone":"` + phone + `"}`
				res, err := http.Post(server.URL+"/api/portal/appointments", "application/json", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				status[i][j] = res.StatusCode
			}()
		}
	}
	wg.Wait()
	for i, id := range list {
		won, full := 0, 0
		for _, s := range status[i] {
			switch s {
			case 201:
				won++
			case 409:
				full++
			}
		}
		if won != 1 || full != 1 {
			t.Errorf("slot %d: statuses %v, want one 201 and one 409", i, status[i])
		}
		slot, _ := p.App.FindRecordById("appointment_slots", id)
		if n, _ := p.App.CountRecords("appointments"); slot.GetInt("booked") != 1 || n != slots {
			t.Errorf("slot %d: booked %d, %d appointments in all", i, slot.GetInt("booked"), n)
		}
	}
}
