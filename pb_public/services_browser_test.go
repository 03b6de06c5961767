package pbpublic_test

import (
	"regexp"
	"testing"

	"siyang/internal/browser"
)

// TestBookingInBrowser: a resident finds a service item, reads its guide,
// books a slot (after the page refuses bad input), cancels from the
// receipt, books again, is refused a duplicate with the server's message,
// and finally looks the booking up with code and phone and cancels it.
// A full slot cannot be chosen.
func TestBookingInBrowser(t *testing.T) {
	s := newSite(t)
	item := s.serviceItem(t, "居住证办理", true)
	s.serviceItem(t, "户口迁移咨询", false)
	day := s.slotDay(1)
	morning := s.slot(t, item, day, "09:00", "09:30", 2)
	full := s.slot(t, item, day, "10:00", "10:30", 1)
	last := s.slot(t, item, day, "11:00", "11:30", 1)
	s.slot(t, item, s.slotDay(2), "14:00", "14:30", 3)
	if r := s.Call(t, "POST", "/api/portal/appointments", map[string]any{"slot": full.Id, "name": "赵六", "phone": "13700000000"}, nil); r.Status != 201 {
		t.Fatalf("booking the full slot: %d %s", r.Status, r.Body)
	}
	seats := func(id string) int {
		t.Helper()
		r, err := s.App.FindRecordById("appointment_slots", id)
		if err != nil {
			t.Fatal(err)
		}
		return r.GetInt("booked")
	}

	p := s.open(t, browser.Phone, "services.html")
	p.WaitText("#list", "户口迁移咨询")
	if got := p.Text("#list"); !regexp.MustCompile(`居住证办理\s*可网上预约`).MatchString(got) {
		t.Errorf("list %q does not mark the bookable item", got)
	}
	p.Screenshot("1-list")
	checkPage(t, p, "services")
	p.Click(`#list a[href="service.html?id=` + item.Id + `"]`)
	p.WaitText("#item h1", "居住证办理")
	p.WaitText("#item", "县政务服务中心二楼 12 号窗口")
	p.WaitVisible(`input[name=slot][value="` + morning.Id + `"]`)
	if p.Eval(`document.querySelector('input[name=slot][value="`+full.Id+`"]').disabled`) != true {
		t.Error("the full slot can be chosen")
	}
	if got := p.Text(`label:has(input[value="` + full.Id + `"])`); !regexp.MustCompile(`已约满`).MatchString(got) {
		t.Errorf("full slot shows %q", got)
	}

	// The last seat goes to someone else while the page is open: the
	// server's 409 is shown as given and the seats are read again.
	if r := s.Call(t, "POST", "/api/portal/appointments", map[string]any{"slot": last.Id, "name": "钱七", "phone": "13700000001"}, nil); r.Status != 201 {
		t.Fatalf("booking the last seat: %d %s", r.Status, r.Body)
	}
	p.Click(`input[name=slot][value="` + last.Id + `"]`)
	p.Fill("#book-name", "孙八")
	p.Fill("#book-phone", "13700000002")
	p.Click("#book-send")
	p.WaitText("#book-error", "该时段已约满")
	p.WaitText(`label:has(input[value="`+last.Id+`"])`, "已约满")
	p.Fill("#book-name", "")
	p.Fill("#book-phone", "")

	// Bad input: each field says what is wrong; nothing is booked.
	p.Click("#book-send")
	p.WaitText("#book-slot-error", "请选择预约时段")
	p.WaitText("#book-name-error", "请填写姓名")
	p.WaitText("#book-phone-error", "请填写手机号")
	p.Click(`input[name=slot][value="` + morning.Id + `"]`)
	p.Fill("#book-name", "王小明")
	p.Fill("#book-phone", "12345")
	p.Click("#book-send")
	p.WaitText("#book-phone-error", "请输入有效的手机号")
	p.Screenshot("2-invalid")
	if n := seats(morning.Id); n != 0 {
		t.Fatalf("%d seats booked by invalid forms", n)
	}

	// Book, then cancel from the receipt.
	p.Fill("#book-phone", "138 1234 5678")
	p.Click("#book-send")
	code := p.WaitText("#booked-code", "")
	if !regexp.MustCompile(`^[23456789A-HJKMNP-Z]{6}$`).MatchString(code) {
		t.Fatalf("booking code %q", code)
	}
	p.WaitText("#booked-time", "09:00–09:30")
	p.Screenshot("3-booked")
	if n := seats(morning.Id); n != 1 {
		t.Errorf("%d seats booked, want 1", n)
	}
	p.Click("#cancel-start")
	p.Click("#cancel-yes")
	p.WaitText("#cancel-result", "预约已取消")
	if n := seats(morning.Id); n != 0 {
		t.Errorf("%d seats booked after cancelling, want 0", n)
	}

	// Book again; the same phone again is refused with the server's words.
	p.Click(`#cancel-result a`)
	p.Click(`input[name=slot][value="` + morning.Id + `"]`)
	p.Fill("#book-name", "王小明")
	p.Fill("#book-phone", "13812345678")
	p.Click("#book-send")
	code = p.WaitText("#booked-code", "")
	p.Go(s.url + "/service.html?id=" + item.Id)
	p.Click(`input[name=slot][value="` + morning.Id + `"]`)
	p.Fill("#book-name", "王小明")
	p.Fill("#book-phone", "13812345678")
	p.Click("#book-send")
	p.WaitText("#book-error", "该手机号已预约此时段，请勿重复预约")
	p.WaitText(`label:has(input[value="`+morning.Id+`"])`, "剩余 1 个名额")
	p.Screenshot("4-duplicate")
	checkPage(t, p, "service")

	// 我的预约: a wrong phone, then the right one; cancel.
	p.Go(s.url + "/services.html")
	p.Fill("#lookup-code", code)
	p.Fill("#lookup-phone", "13900000000")
	p.Click("#lookup-form button[type=submit]")
	p.WaitText("#lookup-error", "预约码或手机号不正确")
	p.Fill("#lookup-phone", "13812345678")
	p.Click("#lookup-form button[type=submit]")
	p.WaitText("#lookup-result", "已预约")
	p.WaitText("#lookup-result", "王**")
	p.Click("#lookup-cancel")
	p.Click("#lookup-cancel-yes")
	p.WaitText("#lookup-result", "已取消")
	p.Screenshot("5-cancelled")
	if n := seats(morning.Id); n != 0 {
		t.Errorf("%d seats booked at the end, want 0", n)
	}
	checkPage(t, p, "lookup")
}
