package pbpublic_test

import (
	"regexp"
	"testing"
	"time"

	"siyang/internal/browser"
)

// TestStaffSignInWithSecondFactor: where the staff collection requires a
// second factor of supervisors (plugins/guard does so once mail is set up),
// the staff pages ask for the mailed code after the password; a wrong code
// is refused in Chinese; the right one signs in. A handler, whom the rule
// does not name, signs in with the password alone.
func TestStaffSignInWithSecondFactor(t *testing.T) {
	s := newSite(t)
	box := s.StartSMTP(t)
	staff, err := s.App.FindCollectionByNameOrId("staff")
	if err != nil {
		t.Fatal(err)
	}
	staff.MFA.Enabled = true
	staff.MFA.Rule = `role = "supervisor"`
	staff.MFA.Duration = 600
	staff.OTP.Enabled = true
	staff.OTP.Duration = 600
	staff.OTP.Length = 6
	if err := s.App.Save(staff); err != nil {
		t.Fatal(err)
	}

	p := s.open(t, browser.Phone, "supervisor.html")
	p.Fill("#email", s.Supervisor.GetString("email"))
	p.Fill("#password", staffPassword)
	p.Click("#login-form button[type=submit]")
	p.WaitVisible("#mfa-code")
	p.WaitText("#mfa-note", "验证码已发送到")
	if p.Eval(`!document.getElementById("app").hidden`) == true {
		t.Fatal("the supervisor's page opened on the password alone")
	}
	p.Screenshot("1-code-asked")
	mail := box.Wait(t, s.Supervisor.GetString("email"))
	code := regexp.MustCompile(`\b[0-9]{6}\b`).FindString(mail.Text + mail.HTML)
	if code == "" {
		t.Fatalf("no code in the mail: %q", mail.Text+mail.HTML)
	}

	p.Fill("#mfa-code", "12ab")
	p.Click("#login-form button[type=submit]")
	p.WaitText("#login-form .form-error", "请输入邮件中的数字验证码")
	p.Fill("#mfa-code", code)
	p.Click("#login-form button[type=submit]")
	p.WaitVisible("#app")
	p.WaitText("#who", "督办")
	p.Screenshot("2-signed-in")

	// The window staff's day list asks the same way.
	b := s.open(t, browser.Phone, "bookings.html")
	b.WaitVisible("#staff-form")
	b.Fill("#staff-email", s.Supervisor.GetString("email"))
	b.Fill("#staff-password", staffPassword)
	before := box.Count(s.Supervisor.GetString("email"))
	b.Click("#staff-form button[type=submit]")
	b.WaitVisible("#staff-code")
	b.WaitText("#staff-code-note", "验证码已发送到")
	b.WaitFor(`!document.getElementById("desk") || document.getElementById("desk").hidden`)
	for deadline := time.Now().Add(10 * time.Second); box.Count(s.Supervisor.GetString("email")) == before; {
		if time.Now().After(deadline) {
			t.Fatal("no second code mailed for the day list's sign-in")
		}
		time.Sleep(20 * time.Millisecond)
	}
	mail = box.Wait(t, s.Supervisor.GetString("email"))
	code = regexp.MustCompile(`\b[0-9]{6}\b`).FindString(mail.Text + mail.HTML)
	b.Fill("#staff-code", code)
	b.Click("#staff-form button[type=submit]")
	b.WaitVisible("#desk")

	// The rule names supervisors only: a handler needs no code.
	h := s.signIn(t, browser.Phone, "workbench.html", s.HandlerA)
	if h.Exists("#mfa-code") {
		t.Error("a handler was asked for a code")
	}
}
