package guard_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"siyang/internal/testenv"
	"siyang/plugins/guard"
)

// mfaApp is an app with the guard requiring MFA of admins and supervisors.
func mfaApp(t *testing.T, smtp bool) (*tests.TestApp, http.Handler, *testenv.Env) {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	app.Settings().RateLimits.Enabled = false
	app.Settings().SMTP.Enabled = smtp
	guard.MustRegister(app, guard.Config{MFARoles: []string{"admin", "supervisor"}})
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		handler = mux
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return app, handler, &testenv.Env{App: app}
}

func newStaff(t *testing.T, app core.App, role, email string) {
	t.Helper()
	c, _ := app.FindCollectionByNameOrId("staff")
	r := core.NewRecord(c)
	r.Set("name", role)
	r.Set("role", role)
	r.Set("active", true)
	r.Set("email", email)
	r.SetPassword("test-password-123")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// waitMail waits for the n-th mail (PocketBase sends OTP mails in the
// background).
func waitMail(t *testing.T, app *tests.TestApp, n int) mailer.Message {
	t.Helper()
	for i := 0; i < 500 && app.TestMailer.TotalSend() < n; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if app.TestMailer.TotalSend() < n {
		t.Fatalf("mail %d never sent", n)
	}
	return app.TestMailer.LastMessage()
}

var otpRe = regexp.MustCompile(`<strong>(\d{6})</strong>`)

// TestStaffMFA: an admin's password alone gives no session but an MFA
// ticket; the code mailed to them (in Chinese) completes the sign-in. A
// handler signs in with the password only.
func TestStaffMFA(t *testing.T) {
	app, handler, _ := mfaApp(t, true)
	newStaff(t, app, "admin", "admin@staff.example.com")
	newStaff(t, app, "handler", "handler@staff.example.com")
	call := func(path string, body any) (int, map[string]any) {
		return jsonCall(t, handler, "POST", "/api/collections/staff/"+path, body)
	}

	status, body := call("auth-with-password", map[string]any{"identity": "admin@staff.example.com", "password": "test-password-123"})
	mfaID, _ := body["mfaId"].(string)
	if status != 401 || mfaID == "" || body["token"] != nil {
		t.Fatalf("admin password step: %d %v", status, body)
	}
	status, body = call("request-otp", map[string]any{"email": "admin@staff.example.com"})
	otpID, _ := body["otpId"].(string)
	if status != 200 || otpID == "" {
		t.Fatalf("request-otp: %d %v", status, body)
	}
	msg := waitMail(t, app, 1)
	m := otpRe.FindStringSubmatch(msg.HTML)
	if m == nil || msg.Subject != "泗阳网络直通车登录验证码" {
		t.Fatalf("otp mail: %q %q", msg.Subject, msg.HTML)
	}
	status, body = call("auth-with-otp", map[string]any{"otpId": otpID, "password": "000000", "mfaId": mfaID})
	if status == 200 {
		t.Fatalf("wrong otp accepted: %v", body)
	}
	status, body = call("request-otp", map[string]any{"email": "admin@staff.example.com"})
	otpID, _ = body["otpId"].(string)
	m = otpRe.FindStringSubmatch(waitMail(t, app, 2).HTML)
	status, body = call("auth-with-otp", map[string]any{"otpId": otpID, "password": m[1], "mfaId": mfaID})
	if status != 200 || body["token"] == nil {
		t.Fatalf("admin second factor: %d %v", status, body)
	}

	status, body = call("auth-with-password", map[string]any{"identity": "handler@staff.example.com", "password": "test-password-123"})
	if status != 200 || body["token"] == nil {
		t.Fatalf("handler: %d %v", status, body)
	}
}

// TestStaffMFAWithoutMail: without SMTP no code could arrive, so MFA stays
// off (the log says why) rather than locking the administrators out.
func TestStaffMFAWithoutMail(t *testing.T) {
	app, handler, _ := mfaApp(t, false)
	newStaff(t, app, "admin", "admin@staff.example.com")
	status, body := jsonCall(t, handler, "POST", "/api/collections/staff/auth-with-password",
		map[string]any{"identity": "admin@staff.example.com", "password": "test-password-123"})
	if status != 200 || body["token"] == nil {
		t.Fatalf("admin without mail: %d %v", status, body)
	}
	// switching mail on (settings saved in the dashboard) switches MFA on
	app.Settings().SMTP.Enabled = true
	app.Settings().SMTP.Host = "127.0.0.1"
	if err := app.Save(app.Settings()); err != nil {
		t.Fatal(err)
	}
	status, body = jsonCall(t, handler, "POST", "/api/collections/staff/auth-with-password",
		map[string]any{"identity": "admin@staff.example.com", "password": "test-password-123"})
	if status != 401 || body["mfaId"] == nil {
		t.Fatalf("admin after mail is on: %d %v", status, body)
	}
}
