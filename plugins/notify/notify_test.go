package notify_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/notify"
	"siyang/plugins/workflow"
)

// smtpServer is a minimal SMTP server on loopback: EHLO/HELO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT; it keeps every message it accepts.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []received
}

type received struct {
	rcpts []string
	data  []byte
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 localhost ESMTP test")
	var rcpts []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-localhost")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "HELO"), strings.HasPrefix(cmd, "NOOP"):
			say("250 ok")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			rcpts = nil
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			addr := strings.Trim(strings.TrimSpace(line)[len("RCPT TO:"):], "<> ")
			rcpts = append(rcpts, addr)
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var data bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, received{rcpts: rcpts, data: data.Bytes()})
			s.mu.Unlock()
			say("250 queued")
		case cmd == "RSET":
			rcpts = nil
			say("250 ok")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

// parsedMail is a received mail with its parts decoded.
type parsedMail struct {
	to, subject, text, html, raw string
	files                        []string // attachment file names
}

func (s *smtpServer) mails(t *testing.T) []parsedMail {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []parsedMail
	for _, m := range s.msgs {
		msg, err := mail.ReadMessage(bytes.NewReader(m.data))
		if err != nil {
			t.Fatal(err)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		pm := parsedMail{to: strings.Join(m.rcpts, ","), subject: subject, raw: string(m.data)}
		mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if !strings.HasPrefix(mediaType, "multipart/") {
			t.Fatalf("mail %q is %s, want multipart", subject, mediaType)
		}
		walkParts(t, multipart.NewReader(msg.Body, params["boundary"]), &pm)
		out = append(out, pm)
	}
	return out
}

// walkParts reads text/plain and text/html parts (multipart decodes
// quoted-printable itself), descending into nested multiparts.
func walkParts(t *testing.T, mr *multipart.Reader, pm *parsedMail) {
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		mediaType, params, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		body, _ := io.ReadAll(part)
		if disp, dp, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition")); disp == "attachment" {
			if len(body) == 0 {
				t.Errorf("attachment %s is empty", dp["filename"])
			}
			pm.files = append(pm.files, dp["filename"])
			continue
		}
		switch {
		case strings.HasPrefix(mediaType, "multipart/"):
			walkParts(t, multipart.NewReader(bytes.NewReader(body), params["boundary"]), pm)
		case mediaType == "text/plain":
			pm.text = string(body)
		case mediaType == "text/html":
			pm.html = string(body)
		}
	}
}

// smsRecorder is a Notifier that keeps what it was asked to send.
type smsRecorder struct {
	mu  sync.Mutex
	got []notify.SMS
}

func (r *smsRecorder) Send(_ context.Context, m notify.SMS) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	return nil
}

func setDept(t *testing.T, env *testenv.Env, dept *core.Record, email, phone string) {
	t.Helper()
	dept.Set("email", email)
	dept.Set("phone", phone)
	if err := env.App.Save(dept); err != nil {
		t.Fatal(err)
	}
}

// Two residents' cases run through the loop while the platform mails a
// real SMTP listener: each mail goes to the right address, with a correctly
// encoded Chinese subject, HTML and text parts, the track link, and nobody's
// contact data.
func TestMailsAndSMSAlongTheLoop(t *testing.T) {
	env := testenv.New(t)
	srv := startSMTP(t)
	_, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	settings := env.App.Settings()
	settings.SMTP.Enabled = true
	settings.SMTP.Host = "127.0.0.1"
	settings.SMTP.Port = atoi(t, port)
	settings.Meta.SenderName = "泗阳网络直通车"
	settings.Meta.SenderAddress = "noreply@siyang.example"
	settings.Meta.AppURL = "https://12345.siyang.example"
	setDept(t, env, env.DeptA, "zjj@dept.example", "13700002222")
	setDept(t, env, env.DeptB, "jtj@dept.example", "")
	sms := &smsRecorder{}
	env.Notify.SetSMS(sms, notify.SMSSwitches{RateInvite: true, Urge: true})

	a := env.Reach(t, workflow.Callback) // resident 1: 李四 13912345678
	other := testenv.SampleSubmission()
	other.ContactName, other.ContactPhone = "王五", "13800001111"
	other.Content = "小区门口的下水道堵了三天，污水漫到路上，请尽快疏通。"
	receipt, err := env.Engine.Submit(env.App, other, workflow.ActorFromAuth(env.OtherResident))
	if err != nil {
		t.Fatal(err)
	}
	b := receipt.Appeal
	env.Do(t, b, "accept", env.Operator, workflow.Input{})
	env.Do(t, b, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	env.Do(t, b, "urge", env.Supervisor, workflow.Input{Note: "群众反映强烈，请今日内处理"})
	env.Notify.Wait()

	ticketA, ticketB := a.GetString("ticket"), b.GetString("ticket")
	want := map[string]string{ // to + subject
		"resident1@example.com|【泗阳网络直通车】您的诉求已受理（" + ticketA + "）":                      "",
		"resident1@example.com|【泗阳网络直通车】您的诉求已答复（" + ticketA + "）":                      "",
		"resident2@example.com|【泗阳网络直通车】您的诉求已受理（" + ticketB + "）":                      "",
		"zjj@dept.example|【泗阳网络直通车】新工单 " + ticketA + "：" + a.GetString("public_title"): "",
		"jtj@dept.example|【泗阳网络直通车】新工单 " + ticketA + "：" + a.GetString("public_title"): "",
		"zjj@dept.example|【泗阳网络直通车】新工单 " + ticketB + "：" + b.GetString("public_title"): "",
		"zjj@dept.example|【泗阳网络直通车】催办 " + ticketB + "：" + b.GetString("public_title"):  "",
	}
	mails := srv.mails(t)
	if len(mails) != len(want) {
		for _, m := range mails {
			t.Logf("got %s | %s", m.to, m.subject)
		}
		t.Fatalf("%d mails, want %d", len(mails), len(want))
	}
	for _, m := range mails {
		key := m.to + "|" + m.subject
		if _, ok := want[key]; !ok {
			t.Errorf("unexpected mail %s", key)
			continue
		}
		delete(want, key)
		if !strings.Contains(m.raw, "Subject: =?UTF-8?") && !strings.Contains(m.raw, "Subject: =?utf-8?") {
			t.Errorf("subject not MIME-encoded: %q", m.subject)
		}
		if m.text == "" || !strings.Contains(m.html, "<html") {
			t.Errorf("%s: text %d bytes, html %q", key, len(m.text), m.html)
		}
		// nobody's contact data, in any mail, in any part or header
		for _, secret := range []string{"李四", "13912345678", "王五", "13800001111", "13700002222"} {
			if strings.Contains(m.text+m.html+m.subject, secret) {
				t.Errorf("%s contains %q", key, secret)
			}
		}
		if strings.HasPrefix(m.to, "resident1") && strings.Contains(m.text+m.html, "resident2") ||
			strings.HasPrefix(m.to, "resident2") && strings.Contains(m.text+m.html, "resident1") {
			t.Errorf("%s names another resident", key)
		}
		if strings.Contains(m.subject, "已答复") {
			link := "https://12345.siyang.example/track.html?ticket=" + ticketA
			if !strings.Contains(m.text, link) || !strings.Contains(m.html, `href="`+link+`"`) {
				t.Errorf("reply mail without the track link:\n%s\n%s", m.text, m.html)
			}
			if !strings.Contains(m.text, "路灯线路老化") || !strings.Contains(m.text, "评价") {
				t.Errorf("reply mail without the reply or the invitation:\n%s", m.text)
			}
		}
		if strings.Contains(m.subject, "催办") && !strings.Contains(m.text, "群众反映强烈") {
			t.Errorf("urge mail without its note:\n%s", m.text)
		}
	}
	if len(want) > 0 {
		t.Errorf("mails not sent: %v", want)
	}

	sms.mu.Lock()
	defer sms.mu.Unlock()
	got := map[string]notify.SMS{}
	for _, m := range sms.got {
		got[m.Kind] = m
	}
	if len(sms.got) != 2 || got[notify.KindRateInvite].Phone != "13912345678" || got[notify.KindUrge].Phone != "13700002222" {
		t.Fatalf("SMS: %+v", sms.got)
	}
	if got[notify.KindRateInvite].Params["ticket"] != ticketA || !strings.Contains(got[notify.KindRateInvite].Params["link"], "track.html?ticket="+ticketA) {
		t.Errorf("rating invitation params: %v", got[notify.KindRateInvite].Params)
	}
}

// A mail server that is down does not stop the workflow.
func TestMailServerDownDoesNotBlockWorkflow(t *testing.T) {
	env := testenv.New(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	env.App.Settings().SMTP.Enabled = true
	env.App.Settings().SMTP.Host = "127.0.0.1"
	env.App.Settings().SMTP.Port = atoi(t, port)
	env.App.Settings().Meta.SenderAddress = "noreply@siyang.example"
	a := env.Reach(t, workflow.Accepted)
	env.Notify.Wait()
	if a.GetString("status") != "accepted" {
		t.Fatalf("status %s", a.GetString("status"))
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// The HTTP gateway signs its request and sends the phone, the template of
// the kind and the parameters.
func TestHTTPGateway(t *testing.T) {
	var got struct {
		AppID      string            `json:"app_id"`
		TemplateID string            `json:"template_id"`
		Phone      string            `json:"phone"`
		Params     map[string]string `json:"params"`
	}
	var sigOK bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte("gw-secret"))
		mac.Write([]byte(r.Header.Get("X-Timestamp") + "."))
		mac.Write(body)
		sigOK = hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("X-Signature"))) &&
			r.Header.Get("X-App-Id") == "siyang"
		_ = json.Unmarshal(body, &got)
		w.Write([]byte(`{"code":0}`))
	}))
	defer srv.Close()
	gw := &notify.HTTPGateway{URL: srv.URL, AppID: "siyang", Secret: "gw-secret",
		Templates: map[string]string{notify.KindRateInvite: "SMS_100001"}}
	err := gw.Send(context.Background(), notify.SMS{Kind: notify.KindRateInvite, Phone: "13912345678", Params: map[string]string{"ticket": "SY2611250001"}})
	if err != nil {
		t.Fatal(err)
	}
	if !sigOK || got.TemplateID != "SMS_100001" || got.Phone != "13912345678" || got.Params["ticket"] != "SY2611250001" || got.AppID != "siyang" {
		t.Fatalf("gateway got %+v, signature ok %v", got, sigOK)
	}
	if err := gw.Send(context.Background(), notify.SMS{Kind: notify.KindUrge, Phone: "13912345678"}); err == nil {
		t.Fatal("a kind without a template was sent")
	}
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }))
	defer failing.Close()
	gw.URL = failing.URL
	err = gw.Send(context.Background(), notify.SMS{Kind: notify.KindRateInvite, Phone: "13912345678"})
	if err == nil || strings.Contains(err.Error(), "13912345678") {
		t.Fatalf("gateway failure: %v (must fail without the full number)", err)
	}
}

// The development driver logs the kind and a masked phone only.
func TestLogNotifierMasksPhone(t *testing.T) {
	var buf bytes.Buffer
	n := notify.LogNotifier{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := n.Send(context.Background(), notify.SMS{Kind: notify.KindUrge, Phone: "13912345678", Params: map[string]string{"ticket": "SY2611250001"}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "13912345678") || !strings.Contains(out, "139****5678") || !strings.Contains(out, notify.KindUrge) {
		t.Fatalf("log line: %s", out)
	}
}
