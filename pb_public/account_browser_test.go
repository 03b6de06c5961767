package pbpublic_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/browser"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

const residentPhone = "13912345678" // the sample submission's contact phone

// guestCase registers an appeal without an account, with the contact phone,
// and drives it to status (department A leads).
func (s *site) guestCase(t *testing.T, title, phone string, status workflow.Status) *core.Record {
	t.Helper()
	sub := testenv.SampleSubmission()
	sub.Title, sub.ContactPhone = title, phone
	receipt, err := s.Engine.Submit(s.App, sub, workflow.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	a := receipt.Appeal
	if status == workflow.Submitted {
		return a
	}
	a = s.Do(t, a, "accept", s.Operator, workflow.Input{})
	if status == workflow.Accepted {
		return a
	}
	a = s.Do(t, a, "dispatch", s.Operator, workflow.Input{Department: s.DeptA.Id})
	a = s.Do(t, a, "sign", s.HandlerA, workflow.Input{})
	a = s.Do(t, a, "reply", s.HandlerA, workflow.Input{Content: "经现场核查，已安排维修，今晚恢复照明。"})
	return s.Do(t, a, "approve_reply", s.Operator, workflow.Input{})
}

// TestPhoneSignInAndMyAppealsInBrowser: a resident signs in with a code
// sent to their phone (wrong input first), finds exactly their own cases in
// 我的诉求 — the ones they left with this phone before signing in — never
// another resident's, adds material with a photo to one and rates the
// other, without a query code, at phone and desktop width.
func TestPhoneSignInAndMyAppealsInBrowser(t *testing.T) {
	for _, vp := range []browser.Viewport{browser.Phone, browser.Desktop} {
		t.Run(vp.String(), func(t *testing.T) {
			s := newSite(t)
			open := s.guestCase(t, "幸福小区门口路灯不亮", residentPhone, workflow.Accepted)
			answered := s.guestCase(t, "幸福小区垃圾清运不及时", residentPhone, workflow.Callback)
			theirs := s.guestCase(t, "别人家的诉求<script>window.__xss=1</script>", "13800001111", workflow.Accepted)
			photo := writePNG(t, 800, 600)

			p := s.open(t, vp, "track.html")
			p.Click(".account-link")
			p.WaitVisible("#phone-form")
			p.Screenshot("1-signin")

			// Bad input: a message beside the field, nothing sent.
			p.Click("#phone-send")
			p.WaitText("#phone-phone-error", "请输入手机号")
			p.Fill("#phone-phone", "12345")
			p.Click("#phone-send")
			p.WaitText("#phone-phone-error", "请输入 11 位手机号")
			if n := s.count(t, "sign_in_codes", ""); n != 0 {
				t.Errorf("%d codes sent for bad input", n)
			}
			p.Fill("#phone-phone", "139 1234 5678")
			p.Click("#phone-send")
			p.WaitText("#phone-sent", "验证码已发送到 139****5678")
			if p.Eval(`document.getElementById("phone-send").disabled`) != true {
				t.Error("获取验证码 can be pressed again at once")
			}
			code := s.SMSCodes.Last(residentPhone)
			p.Fill("#phone-code", "12")
			p.Click("#phone-form button[type=submit]")
			p.WaitText("#phone-code-error", "验证码是 6 位数字")
			wrong := "000000"
			if wrong == code {
				wrong = "111111"
			}
			p.Fill("#phone-code", wrong)
			p.Click("#phone-form button[type=submit]")
			p.WaitText("#phone-code-error", "验证码不正确，还可以再试 4 次")
			p.Screenshot("2-wrong-code")
			p.Fill("#phone-code", code)
			p.Click("#phone-form button[type=submit]")

			// Back where they came from (the track page), now signed in.
			p.WaitFor(`location.pathname.endsWith("/track.html")`)
			p.WaitText(".account-link", "我的诉求")
			p.Click(".account-link")
			p.WaitText("#account", "139****5678")
			p.WaitVisible("#list .case-list")
			var titles []string
			p.EvalInto(`Array.from(document.querySelectorAll("#list .case-list .title"), (a) => a.textContent)`, &titles)
			if len(titles) != 2 || titles[0] != answered.GetString("title") || titles[1] != open.GetString("title") {
				t.Errorf("my appeals list %q, want the two cases left with this phone, newest first", titles)
			}
			if strings.Contains(p.Text("#main"), theirs.GetString("ticket")) {
				t.Error("another resident's case is listed")
			}
			p.WaitText("#list .case-list li:first-child .todo", "待您评价")
			checkPage(t, p, "my appeals")
			p.Screenshot("3-my-appeals")

			// Someone else's case by its address: not found, nothing shown.
			p.Go(s.url + "/mine.html?id=" + theirs.Id)
			p.WaitText("#list .alert", "没有找到这条诉求")
			if p.Eval(`document.getElementById("result").hidden`) != true || p.Eval(noXSS) != true {
				t.Error("another resident's case is shown")
			}

			// 补充材料 with a photo, from 我的诉求.
			p.Go(s.url + "/mine.html")
			p.Click(`#list a[href="mine.html?id=` + open.Id + `"]`)
			p.WaitText("#result .status", "待派单")
			p.WaitVisible("#supplement")
			p.Click("#supplement-send")
			p.WaitText("#supplement-content-error", "请填写补充内容或上传附件")
			p.Fill("#supplement-content", "晚上八点后整栋楼前都没有照明。")
			p.SetFiles("#supplement-photos", photo)
			p.WaitText("#supplement-photos-status", "已添加 1 张照片")
			p.Click("#supplement-send")
			p.WaitText("#result .notice", "补充材料已提交")
			// The photo is on the timeline under its own name, and loads.
			p.WaitText("#result .timeline .files", "现场照片.jpg")
			p.WaitFor(`document.querySelector("#result .timeline .files img").naturalWidth > 0`)
			p.Screenshot("4-supplemented")
			events, _ := s.App.FindRecordsByFilter("appeal_events", "appeal = {:id} && action = 'supplement'", "", 0, 0, dbx.Params{"id": open.Id})
			if len(events) != 1 || len(events[0].GetStringSlice("attachments")) != 1 {
				t.Errorf("supplement events %v", events)
			}

			// 评价, from 我的诉求: both choices are required.
			p.Go(s.url + "/mine.html?id=" + answered.Id)
			p.WaitText("#reply", "经现场核查")
			p.WaitVisible("#rate")
			p.Click("#rate-send")
			p.WaitText("#rate-satisfaction-error", "请选择满意度")
			p.WaitText("#rate-resolved-error", "请选择问题是否已解决")
			p.Click(`input[name=satisfaction][value=satisfied]`)
			p.Click(`input[name=resolved][value=true]`)
			p.Fill("#rate-note", "修得很快")
			p.Click("#rate-send")
			p.WaitText("#result .notice", "感谢您的评价")
			p.WaitText("#result .status", "已办结")
			if p.Eval(`document.getElementById("rate").hidden`) != true {
				t.Error("the rating form stays after rating")
			}
			checkPage(t, p, "rated")
			p.Screenshot("5-rated")
			if a, _ := s.App.FindRecordById("appeals", answered.Id); a.GetString("satisfaction") != "satisfied" {
				t.Errorf("rating stored %q", a.GetString("satisfaction"))
			}

			// Signing out forgets the account on this device.
			p.Go(s.url + "/mine.html")
			p.Click("#sign-out")
			p.WaitFor(`location.pathname === "/" || location.pathname.endsWith("/index.html")`)
			p.WaitText(".account-link", "登录")
			if p.Eval(`(localStorage.getItem("sy-auth-resident") || sessionStorage.getItem("sy-auth-resident")) === null`) != true {
				t.Error("the sign-in stays in storage after 退出登录")
			}
		})
	}
}

// TestEmailSignInInBrowser: a resident signs in with the code mailed over
// SMTP (a first-time address opens an account); an appeal sent while
// signed in is theirs; another resident's cases never show.
func TestEmailSignInInBrowser(t *testing.T) {
	s := newSite(t)
	box := s.StartSMTP(t)
	s.Submit(t, testenv.SampleSubmission()) // env.Resident's own case, not this person's

	p := s.open(t, browser.Phone, "signin.html")
	p.Click(`input[name=way][value=email]`)
	p.WaitVisible("#email-form")
	if p.Eval(`document.getElementById("phone-form").hidden`) != true {
		t.Error("the phone form stays")
	}
	p.Fill("#email-email", "zhang.san@example")
	p.Click("#email-send")
	p.WaitText("#email-email-error", "邮箱格式不正确")
	p.Fill("#email-email", "Zhang.San@example.com")
	p.Click("#email-form button[type=submit]")
	p.WaitText("#email-code-error", "请输入邮件中的验证码")
	p.Click("#email-send")
	p.WaitText("#email-sent", "验证码已发送到 z***@example.com")
	mail := box.Wait(t, "zhang.san@example.com")
	code := strings.TrimPrefix(mail.Subject, "泗阳网络直通车登录验证码：")
	if len(code) != 6 || !strings.Contains(mail.HTML, "10 分钟内有效") {
		t.Fatalf("mail %q: %q", mail.Subject, mail.HTML)
	}
	p.Fill("#email-code", "000000")
	if code == "000000" {
		p.Fill("#email-code", "111111")
	}
	p.Click("#email-form button[type=submit]")
	p.WaitText("#email-code-error", "验证码不正确或已过期")
	p.Screenshot("1-wrong-code")
	p.Fill("#email-code", code)
	p.Click("#email-form button[type=submit]")
	p.WaitFor(`location.pathname.endsWith("/mine.html")`)
	p.WaitText("#account", "z***@example.com")
	p.WaitText("#list", "您还没有诉求")
	p.Screenshot("2-no-appeals")

	// Signed in, the pages send the account with the appeal.
	var ticket string
	p.EvalInto(`SY.api("/api/appeals", { json: { kind: "consult", title: "登录后咨询的问题", content: "请问社区医院周末是否开门，几点到几点？",
		contact_name: "张三", contact_phone: "13800002222" } }).then((r) => r.ticket)`, &ticket)
	user, err := s.App.FindAuthRecordByEmail("users", "zhang.san@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if a, err := s.App.FindFirstRecordByData("appeals", "ticket", ticket); err != nil || a.GetString("resident") != user.Id {
		t.Fatalf("appeal %s sent while signed in is not the account's (%v)", ticket, err)
	}
	p.Go(s.url + "/mine.html")
	p.WaitText("#list .case-list", "登录后咨询的问题")
	if n := p.Eval(`document.querySelectorAll("#list .case-list li").length`); n != float64(1) {
		t.Errorf("%v cases listed, want only this account's one", n)
	}
	checkPage(t, p, "email account")
	p.Screenshot("3-my-appeal")
}
