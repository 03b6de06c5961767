package notify_test

import (
	"net"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"siyang/internal/testenv"
	"siyang/plugins/notify"
	"siyang/plugins/workflow"
)

// mailTo sets the app's SMTP settings to a loopback listener.
func mailTo(t *testing.T, env *testenv.Env) *smtpServer {
	t.Helper()
	srv := startSMTP(t)
	_, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	s := env.App.Settings()
	s.SMTP.Enabled = true
	s.SMTP.Host = "127.0.0.1"
	s.SMTP.Port = atoi(t, port)
	s.Meta.SenderName = "泗阳网络直通车"
	s.Meta.SenderAddress = "noreply@siyang.example"
	s.Meta.AppURL = "https://12345.siyang.example"
	return srv
}

// resident is one person with an account and the contact data they gave.
type resident struct {
	account      *core.Record
	name, phone  string
	email, title string
}

func (r resident) submit(t *testing.T, env *testenv.Env) *core.Record {
	t.Helper()
	sub := testenv.SampleSubmission()
	sub.ContactName, sub.ContactPhone, sub.Title = r.name, r.phone, r.title
	sub.Content = r.title + "，已经好几天了，我是" + r.name + "，电话" + r.phone + "，请尽快处理。"
	receipt, err := env.Engine.Submit(env.App, sub, workflow.ActorFromAuth(r.account))
	if err != nil {
		t.Fatal(err)
	}
	return receipt.Appeal
}

// Three residents report the same broken lamp. Two reports are merged
// into the first: one before it is answered, one after. Each resident of
// a merged report is told which ticket theirs now follows, and gets the
// answer, by mail and SMS; no mail carries another resident's name, phone
// or address.
func TestMergedResidentsGetTheAnswerAndNothingOfOthers(t *testing.T) {
	env := testenv.New(t)
	srv := mailTo(t, env)
	sms := &smsRecorder{}
	env.Notify.SetSMS(sms, notify.SMSSwitches{Merged: true})

	people := []resident{
		{env.Resident, "李四", "13912345678", "resident1@example.com", "幸福小区北门路灯不亮"},
		{env.OtherResident, "王五", "13800001111", "resident2@example.com", "幸福小区路灯坏了没人修"},
		{env.User(t, "resident3@example.com"), "赵六", "13600002222", "resident3@example.com", "北门口的路灯一直不亮"},
	}
	y := people[0].submit(t, env)
	x := people[1].submit(t, env)
	w := people[2].submit(t, env)
	yTicket := y.GetString("ticket")

	env.Do(t, y, "accept", env.Operator, workflow.Input{})
	env.Do(t, x, "merge", env.Operator, workflow.Input{Target: yTicket})
	env.Do(t, y, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	env.Do(t, y, "sign", env.HandlerA, workflow.Input{})
	env.Do(t, y, "reply", env.HandlerA, workflow.Input{Content: "已联系李四（13912345678）核实，路灯线路老化，已于今日更换完毕。"})
	env.Do(t, y, "approve_reply", env.Operator, workflow.Input{})
	// the third report comes in after the answer: merged into the answered case
	env.Do(t, w, "merge", env.Operator, workflow.Input{Target: yTicket})
	env.Notify.Wait()

	type want struct{ to, subject string }
	wantMails := []want{
		{"resident1@example.com", "【泗阳网络直通车】您的诉求已答复（" + yTicket + "）"},
		{"resident2@example.com", "【泗阳网络直通车】您的诉求已并入工单 " + yTicket + " 合并办理（" + x.GetString("ticket") + "）"},
		{"resident2@example.com", "【泗阳网络直通车】您的诉求已答复（" + x.GetString("ticket") + "，并入工单 " + yTicket + "）"},
		{"resident3@example.com", "【泗阳网络直通车】您的诉求已并入工单 " + yTicket + " 合并办理（" + w.GetString("ticket") + "）"},
	}
	mails := srv.mails(t)
	got := map[want]parsedMail{}
	for _, m := range mails {
		if strings.Contains(m.subject, "已受理") {
			continue // the accept notice of y
		}
		got[want{m.to, m.subject}] = m
	}
	if len(got) != len(wantMails) {
		for k := range got {
			t.Logf("got %s | %s", k.to, k.subject)
		}
		t.Fatalf("%d mails, want %d", len(got), len(wantMails))
	}
	for _, wm := range wantMails {
		m, ok := got[wm]
		if !ok {
			t.Errorf("missing mail %s | %s", wm.to, wm.subject)
			continue
		}
		body := m.text + m.html + m.subject
		// nobody's name or phone (the answer named the first resident)
		for _, p := range people {
			if strings.Contains(body, p.name) || strings.Contains(body, p.phone) {
				t.Errorf("%s: mail contains %s's contact data", wm.subject, p.name)
			}
			if p.email != wm.to && strings.Contains(m.raw, p.email) {
				t.Errorf("%s to %s contains %s", wm.subject, wm.to, p.email)
			}
		}
		if wm.to != "resident1@example.com" {
			// the merged resident's own ticket and link, the answer's
			// ticket, never the other case's title
			own := map[string]string{"resident2@example.com": x.GetString("ticket"), "resident3@example.com": w.GetString("ticket")}[wm.to]
			if !strings.Contains(m.text, "https://12345.siyang.example/track.html?ticket="+own) || !strings.Contains(m.text, yTicket) {
				t.Errorf("%s: no own track link or target ticket:\n%s", wm.subject, m.text)
			}
			if strings.Contains(body, people[0].title) {
				t.Errorf("%s: shows the other case's title", wm.subject)
			}
		}
	}
	// the answer reaches x at reply time and w with the merge notice
	for _, wm := range []want{wantMails[2], wantMails[3]} {
		if !strings.Contains(got[wm].text, "路灯线路老化") {
			t.Errorf("%s: no answer in\n%s", wm.subject, got[wm].text)
		}
	}
	if strings.Contains(got[wantMails[1]].text, "路灯线路老化") {
		t.Errorf("merge notice before the answer shows an answer")
	}

	sms.mu.Lock()
	defer sms.mu.Unlock()
	gotSMS := map[string]notify.SMS{}
	for _, m := range sms.got {
		gotSMS[m.Kind+"|"+m.Phone] = m
	}
	if len(sms.got) != 3 ||
		gotSMS["merged|13800001111"].Params["target"] != yTicket ||
		gotSMS["merged_replied|13800001111"].Params["ticket"] != x.GetString("ticket") ||
		gotSMS["merged|13600002222"].Params["target"] != yTicket {
		t.Fatalf("SMS: %+v", sms.got)
	}
}

// Departments get the resident's photos with a new task (not for 保密
// cases), and 督办 with its own wording; the resident gets the
// department's documents with the answer.
func TestAttachmentsAndSupervision(t *testing.T) {
	env := testenv.New(t)
	srv := mailTo(t, env)
	setDept(t, env, env.DeptA, "zjj@dept.example", "")

	photo, err := filesystem.NewFileFromBytes(pngBytes, "lamp.png")
	if err != nil {
		t.Fatal(err)
	}
	sub := testenv.SampleSubmission()
	sub.Files = []*filesystem.File{photo}
	a, _ := env.Submit(t, sub)
	env.Do(t, a, "accept", env.Operator, workflow.Input{})
	env.Do(t, a, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	env.Do(t, a, "supervise", env.Supervisor, workflow.Input{Note: "群众多次反映，请主要负责同志过问"})
	env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	letter, _ := filesystem.NewFileFromBytes(pngBytes, "reply-letter.png")
	env.Do(t, a, "reply", env.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。", Files: []*filesystem.File{letter}})
	env.Do(t, a, "approve_reply", env.Operator, workflow.Input{})

	secret := testenv.SampleSubmission()
	secret.Confidential = true
	secret.Files = []*filesystem.File{photo}
	b, _ := env.Submit(t, secret)
	env.Do(t, b, "accept", env.Operator, workflow.Input{})
	env.Do(t, b, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	env.Notify.Wait()

	found := 0
	for _, m := range srv.mails(t) {
		switch {
		case strings.Contains(m.subject, "新工单 "+a.GetString("ticket")):
			found++
			if len(m.files) != 1 || !strings.HasPrefix(m.files[0], "lamp") {
				t.Errorf("new task without the photo: %v", m.files)
			}
		case strings.Contains(m.subject, "新工单 "+b.GetString("ticket")):
			found++
			if len(m.files) != 0 {
				t.Errorf("保密 case mailed its files: %v", m.files)
			}
		case strings.Contains(m.subject, "督办 "+a.GetString("ticket")):
			found++
			if m.to != "zjj@dept.example" || !strings.Contains(m.text, "已被督办") || !strings.Contains(m.text, "请主要负责同志过问") ||
				!strings.Contains(m.html, "督办意见") {
				t.Errorf("supervision mail:\n%s", m.text)
			}
		case strings.Contains(m.subject, "已答复"):
			found++
			if len(m.files) != 1 || !strings.HasPrefix(m.files[0], "reply_letter") && !strings.HasPrefix(m.files[0], "reply-letter") {
				t.Errorf("answer without the department's document: %v", m.files)
			}
		}
	}
	if found != 4 {
		t.Fatalf("found %d of the 4 mails", found)
	}
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
	0x42, 0x60, 0x82,
}
