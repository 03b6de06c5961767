package pbpublic_test

import (
	"testing"
	"time"

	"siyang/internal/browser"
	"siyang/internal/testenv"
)

// TestBookingsDayListInBrowser: window staff sign in on the day list (a
// wrong password first), see the day's bookings of their department's
// item with names and phones, and mark who came and who did not; staff of
// another department see none of it.
func TestBookingsDayListInBrowser(t *testing.T) {
	for _, vp := range []browser.Viewport{browser.Phone, browser.Desktop} {
		t.Run(vp.String(), func(t *testing.T) {
			s := newSite(t)
			item := s.serviceItem(t, "户口迁移", true)
			day := s.slotDay(1)
			morning := s.slot(t, item, day, "09:00", "09:30", 3)
			afternoon := s.slot(t, item, day, "14:00", "14:30", 2)
			for _, b := range []struct {
				slot, name, phone string
			}{{morning.Id, "王小明", "13812345678"}, {afternoon.Id, "李四", "13912345678"}, {afternoon.Id, "赵六", "13700001111"}} {
				if r := s.Call(t, "POST", "/api/portal/appointments", map[string]any{"slot": b.slot, "name": b.name, "phone": b.phone}, nil); r.Status != 201 {
					t.Fatalf("booking: %d %s", r.Status, r.Body)
				}
			}
			// The day has come: noon, after the morning slot.
			noon, _ := time.ParseInLocation("2006-01-02 15:04", day+" 12:00", testenv.China)
			s.SetNow(noon)

			p := s.open(t, vp, "bookings.html")
			p.WaitVisible("#staff-form")
			if p.Exists(".account-link") {
				t.Error("the staff page shows the residents' sign-in link")
			}
			p.Click("#staff-form button[type=submit]")
			p.WaitText("#staff-email-error", "请输入工作邮箱")
			p.WaitText("#staff-password-error", "请输入密码")
			p.Fill("#staff-email", s.HandlerA.Email())
			p.Fill("#staff-password", "wrong-password-1")
			p.Click("#staff-form button[type=submit]")
			p.WaitText("#staff-password-error", "邮箱或密码不正确")
			p.Fill("#staff-password", "test-password-123")
			p.Click("#staff-form button[type=submit]")
			p.WaitVisible("#desk")
			p.WaitText("#staff-account", "承办人员")

			p.Fill("#day-date", day)
			p.Select("#day-service", "户口迁移")
			p.Click("#day-form button[type=submit]")
			p.WaitText("#day h3", "户口迁移（3 人预约）")
			var names []string
			p.EvalInto(`Array.from(document.querySelectorAll("#day tbody tr td:nth-child(2)"), (td) => td.textContent)`, &names)
			if len(names) != 3 || names[0] != "王小明" {
				t.Errorf("names %q, want the three bookings by time", names)
			}
			p.WaitText("#day tbody", "13812345678")
			checkPage(t, p, "day list")
			p.Screenshot("1-day-list")

			// 王小明 came; 李四 did not — yet: the afternoon has not begun.
			row := "#appointment-"
			var ids []string
			p.EvalInto(`Array.from(document.querySelectorAll("#day tbody tr"), (tr) => tr.id.replace("appointment-", ""))`, &ids)
			p.Click(row + ids[0] + ` button[data-status=done]`)
			p.WaitText(row+ids[0]+" .status", "已办理")
			if p.Eval(`document.querySelector("`+row+ids[0]+` button[data-status=done]").getAttribute("aria-pressed")`) != "true" {
				t.Error("the pressed state is not announced")
			}
			p.Click(row + ids[1] + ` button[data-status=no_show]`)
			p.WaitText(row+ids[1]+" .error", "预约时段尚未开始，不能标记为未到场")
			p.Screenshot("2-marked")
			if a, _ := s.App.FindRecordById("appointments", ids[0]); a.GetString("status") != "done" || a.GetString("marked_by") != s.HandlerA.Id {
				t.Errorf("appointment stored %q by %q", a.GetString("status"), a.GetString("marked_by"))
			}
			if a, _ := s.App.FindRecordById("appointments", ids[1]); a.GetString("status") != "booked" {
				t.Errorf("refused mark stored %q", a.GetString("status"))
			}

			// Another department's handler: no items of theirs to see.
			p.Click("#staff-sign-out")
			p.WaitVisible("#staff-form")
			p.Fill("#staff-email", s.HandlerB.Email())
			p.Fill("#staff-password", "test-password-123")
			p.Click("#staff-form button[type=submit]")
			p.WaitText("#day", "没有可以查看的网上预约事项")
			if p.Eval(`document.getElementById("day").textContent.includes("王小明")`) != false {
				t.Error("another department sees the names")
			}
		})
	}
}
