package pbpublic_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"siyang/internal/browser"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// The texts of the error boxes, which are empty (so invisible) when all is well.
const (
	fieldErrors = `document.getElementById("ticket-error").textContent + document.getElementById("query_code-error").textContent`
	formError   = `document.getElementById("form-error").textContent`
)

// TestTrackPageInBrowser drives the progress lookup (track.html + track.js)
// in Chromium at phone and desktop width, against the full app: field
// errors, a wrong code, a real case and its timeline, a hostile title, and
// a lost connection.
func TestTrackPageInBrowser(t *testing.T) {
	env := testenv.New(t)
	appeal, code := env.Submit(t, testenv.SampleSubmission())
	appeal = env.Do(t, appeal, "accept", env.Operator, workflow.Input{})
	view, err := workflow.ResidentView(env.App, appeal)
	if err != nil {
		t.Fatal(err)
	}
	timeline := view["timeline"].([]map[string]any)

	hostile := testenv.SampleSubmission()
	hostile.Title = `路灯<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>`
	xss, xssCode := env.Submit(t, hostile)

	b := browser.Start(t)
	url := browser.Serve(t, env.Handler(t))

	for _, vp := range []browser.Viewport{browser.Phone, browser.Desktop} {
		t.Run(vp.String(), func(t *testing.T) {
			p := b.NewPage(t, vp)
			p.Go(url + "/track.html")
			lookup := func(ticket, code string) {
				t.Helper()
				p.Fill("#ticket", ticket)
				p.Fill("#query_code", code)
				p.Click("#track-form button[type=submit]")
			}

			// (a) nothing entered: an error beside each field, in Chinese
			// (the page checks first, with the server's words).
			lookup("", "")
			p.WaitText("#ticket-error", "请输入受理编号")
			p.WaitText("#query_code-error", "请输入查询码")
			p.Screenshot("1-empty")

			// (b) a wrong code: one message that tells nothing about the
			// case, and the field errors of (a) are gone.
			lookup(appeal.GetString("ticket"), "ZZZZZZ")
			p.WaitText("#form-error", "受理编号或查询码不正确")
			if got := p.Eval(fieldErrors); got != "" {
				t.Errorf("old field errors stay: %q", got)
			}
			if p.Eval(`document.getElementById("result").hidden`) != true {
				t.Error("a wrong code shows a result")
			}
			p.Screenshot("2-wrong-code")

			// (c) the right ticket (typed in lower case) and code: status
			// and the public timeline, one entry per event.
			lookup(strings.ToLower(appeal.GetString("ticket")), code)
			p.WaitText("#result h2", appeal.GetString("ticket"))
			if got := p.Text("#result .status"); got != "待派单" {
				t.Errorf("status %q, want 待派单", got)
			}
			if got := p.Eval(formError); got != "" {
				t.Errorf("the error of (b) stays: %q", got)
			}
			var entries []string
			p.EvalInto(`Array.from(document.querySelectorAll("#result .timeline li span"), (s) => s.textContent)`, &entries)
			if len(entries) != len(timeline) || len(entries) < 2 {
				t.Fatalf("timeline shows %q, the API has %d entries", entries, len(timeline))
			}
			for i, e := range timeline {
				want := fmt.Sprint(e["summary"])
				if want == "" {
					want = fmt.Sprint(e["label"])
				}
				if entries[i] != want {
					t.Errorf("timeline entry %d is %q, want %q", i, entries[i], want)
				}
			}
			// Nothing sticks out sideways, which on a phone means scrolling.
			if p.Eval(`document.documentElement.scrollWidth <= window.innerWidth`) != true {
				t.Errorf("the page is wider than the %s screen", vp)
			}
			p.Screenshot("3-found")

			// (d) markup in a resident's title is shown as text, never run.
			lookup(xss.GetString("ticket"), xssCode)
			heading := p.WaitText("#result h2", xss.GetString("ticket"))
			if !strings.Contains(heading, hostile.Title) {
				t.Errorf("heading %q does not show the title %q as text", heading, hostile.Title)
			}
			if p.Exists("#result img") || p.Exists("#result script") {
				t.Error("the title became elements")
			}
			if p.Eval(`window.__xss`) != nil {
				t.Error("the title's script ran")
			}
			p.Screenshot("4-markup-as-text")
			if errs := p.ConsoleErrors(); len(errs) != 0 {
				t.Errorf("console errors: %q", errs)
			}

			// (e) the API cannot be reached: a message, not a broken page.
			p.BlockURL("*/api/track")
			lookup(appeal.GetString("ticket"), code)
			p.WaitText("#form-error", "网络连接失败")
			p.Screenshot("5-offline")
			// The page catches the failure: nothing is thrown or logged.
			if errs := p.ConsoleErrors(); len(errs) != 0 {
				t.Errorf("console errors: %q", errs)
			}
		})
	}
}

// TestTrackActionsInBrowser: a resident adds material (text and a photo) to
// a case in hand, sees it on the timeline, then withdraws the case after
// confirming; nothing is remembered on the device unless asked.
func TestTrackActionsInBrowser(t *testing.T) {
	s := newSite(t)
	appeal, code := s.Submit(t, testenv.SampleSubmission())
	appeal = s.Do(t, appeal, "accept", s.Operator, workflow.Input{})
	ticket := appeal.GetString("ticket")
	photo := writePNG(t, 300, 200)

	p := s.open(t, browser.Phone, "track.html?ticket="+ticket)
	p.Fill("#query_code", code)
	p.Click("#track-form button[type=submit]")
	p.WaitText("#result .status", "待派单")
	p.WaitVisible("#supplement")
	p.WaitVisible("#withdraw")
	if p.Eval(`document.getElementById("rate").hidden`) != true {
		t.Error("the rating form shows before the reply")
	}

	// 补充材料: nothing written is refused by the page; text and a photo go.
	p.Click("#supplement-send")
	p.WaitText("#supplement-content-error", "请填写补充内容或上传附件")
	p.Fill("#supplement-content", "补充：晚上8点以后整栋楼前都没有照明。<b>加粗</b>")
	p.SetFiles("#supplement-photos", photo)
	p.WaitText("#supplement-photos-status", "已添加 1 张照片")
	p.Click("#supplement-send")
	p.WaitText("#result .notice", "补充材料已提交")
	p.WaitText("#result .timeline", "诉求人补充了材料")
	p.WaitText("#result .timeline .note", "补充：晚上8点以后整栋楼前都没有照明。<b>加粗</b>")
	p.Screenshot("1-supplemented")
	events, err := s.App.FindRecordsByFilter("appeal_events", "appeal = {:id} && action = 'supplement'", "", 0, 0, dbx.Params{"id": appeal.Id})
	if err != nil || len(events) != 1 || len(events[0].GetStringSlice("attachments")) != 1 {
		t.Errorf("supplement events %v (%v), want one with a photo", events, err)
	}

	// 撤回: asks first; 不撤回 changes nothing.
	p.Click("#withdraw-start")
	p.WaitVisible("#withdraw-confirm")
	p.Click("#withdraw-no")
	if p.Eval(`document.getElementById("withdraw-confirm").hidden`) != true || p.Eval(`document.activeElement.id`) != "withdraw-start" {
		t.Error("不撤回 does not close the question")
	}
	p.Click("#withdraw-start")
	p.Fill("#withdraw-note", "问题已自行解决")
	p.Screenshot("2-withdraw-confirm")
	p.Click("#withdraw-yes")
	p.WaitText("#result .status", "已撤回")
	p.WaitText("#result .notice", "诉求已撤回")
	if p.Eval(`document.getElementById("withdraw").hidden && document.getElementById("supplement").hidden`) != true {
		t.Error("actions stay on a withdrawn case")
	}
	checkPage(t, p, "withdrawn")

	// Not ticked 在本设备记住: a reload forgets the case.
	if p.Eval(`sessionStorage.length`) != float64(0) {
		t.Error("the code was stored without asking")
	}
	p.Go(s.url + "/track.html")
	if p.Value("#query_code") != "" || p.Eval(`document.getElementById("result").hidden`) != true {
		t.Error("the case comes back after a reload without 在本设备记住")
	}
}
