package residents_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

const phone = "13912345678" // the sample submission's contact phone

type authAnswer struct {
	Token  string         `json:"token"`
	Record map[string]any `json:"record"`
	Meta   map[string]any `json:"meta"`
}

type apiAnswer struct {
	Message string                       `json:"message"`
	Data    map[string]map[string]string `json:"data"`
}

// requestCode asks for a code for p and answers the response.
func requestCode(t *testing.T, env *testenv.Env, p string, headers ...string) testenv.Response {
	t.Helper()
	return env.Call(t, "POST", "/api/residents/phone-code", map[string]any{"phone": p}, nil, headers...)
}

func signIn(t *testing.T, env *testenv.Env, p, code string) testenv.Response {
	t.Helper()
	return env.Call(t, "POST", "/api/residents/phone-sign-in", map[string]any{"phone": p, "code": code}, nil)
}

func fieldMessage(t *testing.T, r testenv.Response, field string) string {
	t.Helper()
	var a apiAnswer
	r.JSON(t, &a)
	return a.Data[field]["message"]
}

// anonymousSubmit registers an appeal without an account (the resident was
// not signed in), as the web form does.
func anonymousSubmit(t *testing.T, env *testenv.Env, contactPhone string) *core.Record {
	t.Helper()
	sub := testenv.SampleSubmission()
	sub.ContactPhone = contactPhone
	receipt, err := env.Engine.Submit(env.App, sub, workflow.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	return receipt.Appeal
}

// TestPhoneSignIn: a code goes to the phone (only its hash is stored); a
// wrong code says how many tries are left; the right one signs in to a new
// account made for that phone, and the next sign-in finds the same account.
func TestPhoneSignIn(t *testing.T) {
	env := testenv.New(t)

	for _, c := range []struct{ phone, want string }{
		{"", "请输入手机号"},
		{"0527-88888888", "请输入 11 位手机号"},
		{"1391234567", "请输入 11 位手机号"},
	} {
		r := requestCode(t, env, c.phone)
		if r.Status != 400 || !strings.Contains(fieldMessage(t, r, "phone"), c.want) {
			t.Errorf("phone %q: %d %s, want 400 %q", c.phone, r.Status, r.Body, c.want)
		}
	}
	if n, _ := env.App.CountRecords("sign_in_codes"); n != 0 {
		t.Errorf("refused requests wrote %d code rows", n)
	}

	r := requestCode(t, env, "+86 139 1234 5678")
	if r.Status != 200 || !strings.Contains(r.Body, "139****5678") || strings.Contains(r.Body, phone) {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	code := env.SMSCodes.Last(phone)
	if len(code) != 6 {
		t.Fatalf("code %q sent to the normalised phone", code)
	}
	row, err := env.App.FindFirstRecordByData("sign_in_codes", "target", phone)
	if err != nil {
		t.Fatal(err)
	}
	if h := row.GetString("code_hash"); h == "" || strings.Contains(h, code) || !strings.HasPrefix(h, "$2") {
		t.Errorf("stored %q: want a bcrypt digest, never the code", h)
	}

	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	r = signIn(t, env, phone, wrong)
	if r.Status != 400 || fieldMessage(t, r, "code") != "验证码不正确，还可以再试 4 次" {
		t.Errorf("wrong code: %d %s", r.Status, r.Body)
	}
	r = signIn(t, env, phone, "12ab")
	if r.Status != 400 || fieldMessage(t, r, "code") != "验证码是 6 位数字" {
		t.Errorf("malformed code: %d %s", r.Status, r.Body)
	}

	r = signIn(t, env, "139 1234 5678", code)
	if r.Status != 200 {
		t.Fatalf("right code: %d %s", r.Status, r.Body)
	}
	var auth authAnswer
	r.JSON(t, &auth)
	if auth.Token == "" || auth.Record["phone"] != phone || auth.Record["collectionName"] != "users" {
		t.Fatalf("auth answer %+v", auth)
	}
	// The token works as a resident's.
	me := env.Call(t, "GET", "/api/residents/appeals", nil, nil, "Authorization", auth.Token)
	if me.Status != 200 {
		t.Errorf("my appeals with the new token: %d %s", me.Status, me.Body)
	}

	// A used code does not work twice.
	if r := signIn(t, env, phone, code); r.Status != 400 || !strings.Contains(fieldMessage(t, r, "code"), "已过期或已使用") {
		t.Errorf("reused code: %d %s", r.Status, r.Body)
	}

	// Next time: the same account.
	env.SetNow(env.Now.Add(2 * time.Minute))
	requestCode(t, env, phone)
	r = signIn(t, env, phone, env.SMSCodes.Last(phone))
	var again authAnswer
	r.JSON(t, &again)
	if r.Status != 200 || again.Record["id"] != auth.Record["id"] {
		t.Errorf("second sign-in: %d, account %v, want %v", r.Status, again.Record["id"], auth.Record["id"])
	}
	if n, _ := env.App.CountRecords("users", dbx.HashExp{"phone": phone}); n != 1 {
		t.Errorf("%d accounts with the phone", n)
	}
}

// TestPhoneCodeLimits: one code a minute, five an hour per phone, twenty an
// hour per network address; five wrong tries kill a code; codes expire.
func TestPhoneCodeLimits(t *testing.T) {
	env := testenv.New(t)

	if r := requestCode(t, env, phone); r.Status != 200 {
		t.Fatal(r.Body)
	}
	r := requestCode(t, env, phone)
	if r.Status != 429 || !strings.Contains(r.Body, "秒后再重新获取") || !strings.Contains(r.Body, `"retry_after":60`) {
		t.Errorf("second code at once: %d %s", r.Status, r.Body)
	}
	for i := 0; i < 4; i++ {
		env.SetNow(env.Now.Add(61 * time.Second))
		if r := requestCode(t, env, phone); r.Status != 200 {
			t.Fatalf("code %d: %d %s", i+2, r.Status, r.Body)
		}
	}
	env.SetNow(env.Now.Add(61 * time.Second))
	if r := requestCode(t, env, phone); r.Status != 429 || !strings.Contains(r.Body, "该手机号获取验证码的次数过多") {
		t.Errorf("sixth code in an hour: %d %s", r.Status, r.Body)
	}
	if n := env.SMSCodes.Count(phone); n != 5 {
		t.Errorf("%d SMS sent, want 5", n)
	}
	env.SetNow(env.Now.Add(time.Hour))
	if r := requestCode(t, env, phone); r.Status != 200 {
		t.Errorf("an hour later: %d %s", r.Status, r.Body)
	}

	// Five wrong tries: the code is dead, even the right one is refused.
	code := env.SMSCodes.Last(phone)
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	for i := 4; i >= 1; i-- {
		if r := signIn(t, env, phone, wrong); r.Status != 400 {
			t.Fatalf("try: %d %s", r.Status, r.Body)
		}
	}
	if r := signIn(t, env, phone, wrong); r.Status != 429 || !strings.Contains(r.Body, "输错次数过多") {
		t.Errorf("fifth wrong try: %d %s", r.Status, r.Body)
	}
	if r := signIn(t, env, phone, code); r.Status != 429 {
		t.Errorf("right code after the cap: %d %s", r.Status, r.Body)
	}

	// Expiry: a code 10 minutes old no longer works.
	env.SetNow(env.Now.Add(2 * time.Minute))
	requestCode(t, env, phone)
	code = env.SMSCodes.Last(phone)
	env.SetNow(env.Now.Add(10*time.Minute + time.Second))
	if r := signIn(t, env, phone, code); r.Status != 400 || !strings.Contains(fieldMessage(t, r, "code"), "已过期") {
		t.Errorf("expired code: %d %s", r.Status, r.Body)
	}

	// One network address: twenty codes an hour, whatever the phones.
	env.SetNow(env.Now.Add(2 * time.Hour))
	for i := 0; i < 20; i++ {
		p := "1380000" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "00"
		if r := requestCode(t, env, p); r.Status != 200 {
			t.Fatalf("phone %s: %d %s", p, r.Status, r.Body)
		}
	}
	if r := requestCode(t, env, "13700000000"); r.Status != 429 || !strings.Contains(r.Body, "您所在的网络") {
		t.Errorf("21st code from one address: %d %s", r.Status, r.Body)
	}
}

// TestPhoneCodeNotSent: a gateway failure is said plainly, and the code
// that did not go out can never sign in.
func TestPhoneCodeNotSent(t *testing.T) {
	env := testenv.New(t)
	env.SMSCodes.Fail = errors.New("gateway down")
	r := requestCode(t, env, phone)
	if r.Status != http.StatusBadGateway || !strings.Contains(r.Body, "短信发送失败") {
		t.Errorf("gateway down: %d %s", r.Status, r.Body)
	}
	if n, _ := env.App.CountRecords("sign_in_codes", dbx.HashExp{"used": false}); n != 0 {
		t.Errorf("%d usable codes left after a failed send", n)
	}
}

// TestMyAppeals: appeals submitted while signed in are the resident's;
// earlier appeals with the phone the resident proves are linked, unless
// older than the window or someone else's; a resident sees only their own.
func TestMyAppeals(t *testing.T) {
	env := testenv.New(t)

	before := anonymousSubmit(t, env, phone) // submitted without signing in
	old := anonymousSubmit(t, env, phone)    // a year ago
	stranger := anonymousSubmit(t, env, "13800001111")
	mine, _ := env.Submit(t, testenv.SampleSubmission()) // env.Resident's, same phone
	if _, err := env.App.DB().NewQuery("UPDATE appeals SET created = '2025-10-01 08:00:00.000Z' WHERE id = {:id}").
		Bind(dbx.Params{"id": old.Id}).Execute(); err != nil {
		t.Fatal(err)
	}

	requestCode(t, env, phone)
	r := signIn(t, env, phone, env.SMSCodes.Last(phone))
	var auth authAnswer
	r.JSON(t, &auth)
	if r.Status != 200 || auth.Meta["linked_appeals"] != float64(1) {
		t.Fatalf("sign-in: %d %s", r.Status, r.Body)
	}
	token := auth.Token

	// Submitted while signed in: linked at once.
	sub := testenv.SampleSubmission()
	sub.Title = "登录后提交的诉求"
	r = env.Call(t, "POST", "/api/appeals", sub, nil, "Authorization", token)
	if r.Status != 201 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}

	r = env.Call(t, "GET", "/api/residents/appeals", nil, nil, "Authorization", token)
	var list struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID, Ticket, Title, StatusLabel string
			Status                         string `json:"status"`
			CanWithdraw                    bool   `json:"can_withdraw"`
		} `json:"items"`
	}
	r.JSON(t, &list)
	if r.Status != 200 || list.TotalItems != 2 || len(list.Items) != 2 {
		t.Fatalf("my appeals: %d %s", r.Status, r.Body)
	}
	if list.Items[0].Title != "登录后提交的诉求" || list.Items[1].ID != before.Id || !list.Items[1].CanWithdraw {
		t.Errorf("my appeals %+v: want the new one, then the earlier one", list.Items)
	}
	for _, other := range []*core.Record{old, stranger, mine} {
		if strings.Contains(r.Body, other.Id) {
			t.Errorf("my appeals shows %s", other.GetString("ticket"))
		}
		if r := env.Call(t, "GET", "/api/residents/appeals/"+other.Id, nil, nil, "Authorization", token); r.Status != 404 {
			t.Errorf("someone else's case: %d %s", r.Status, r.Body)
		}
	}
	r = env.Call(t, "GET", "/api/residents/appeals/"+before.Id, nil, nil, "Authorization", token)
	if r.Status != 200 || !strings.Contains(r.Body, `"timeline"`) || !strings.Contains(r.Body, "139****5678") {
		t.Errorf("my case: %d %s", r.Status, r.Body)
	}

	// The linked case's actions work with the token alone, no query code.
	r = env.Call(t, "POST", "/api/appeals/"+before.Id+"/actions/withdraw", map[string]any{"note": "已解决"}, nil, "Authorization", token)
	if r.Status != 200 {
		t.Errorf("withdraw with the account: %d %s", r.Status, r.Body)
	}

	// Guests and staff are not residents.
	if r := env.Call(t, "GET", "/api/residents/appeals", nil, nil); r.Status != 401 || !strings.Contains(r.Body, "请先登录") {
		t.Errorf("guest: %d %s", r.Status, r.Body)
	}
	if r := env.Call(t, "GET", "/api/residents/appeals", nil, env.Operator); r.Status != 401 {
		t.Errorf("staff: %d %s", r.Status, r.Body)
	}

	// The link is audited, without the phone number.
	logs, _ := env.App.FindRecordsByFilter("audit_log", "action = 'appeals.link'", "", 0, 0)
	if len(logs) != 1 || strings.Contains(logs[0].GetString("detail"), phone) {
		t.Errorf("audit %v", logs)
	}
}

// TestPhoneFieldGuard: the phone of an account is set only by a verified
// code, never through the record API.
func TestPhoneFieldGuard(t *testing.T) {
	env := testenv.New(t)
	r := env.Call(t, "PATCH", "/api/collections/users/records/"+env.Resident.Id, map[string]any{"phone": "13800001111"}, env.Resident)
	if r.Status != 400 || !strings.Contains(r.Body, "手机号只能通过短信验证码登录绑定") {
		t.Errorf("set phone: %d %s", r.Status, r.Body)
	}
	r = env.Call(t, "POST", "/api/collections/users/records", map[string]any{
		"email": "new@example.com", "password": "a-long-password", "passwordConfirm": "a-long-password", "phone": "13800001111",
	}, nil)
	if r.Status != 400 {
		t.Errorf("create with phone: %d %s", r.Status, r.Body)
	}
	r = env.Call(t, "PATCH", "/api/collections/users/records/"+env.Resident.Id, map[string]any{"name": "张三"}, env.Resident)
	if r.Status != 200 {
		t.Errorf("other fields: %d %s", r.Status, r.Body)
	}
}

// TestEmailSignIn: PocketBase's e-mail code over real SMTP, in Chinese; a
// first-time address gets an account; the same limits as SMS codes.
func TestEmailSignIn(t *testing.T) {
	env := testenv.New(t)
	box := env.StartSMTP(t)

	r := env.Call(t, "POST", "/api/collections/users/request-otp", map[string]any{"email": "New.Resident@Example.com"}, nil)
	if r.Status != 200 {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	var otp struct {
		OTPID string `json:"otpId"`
	}
	r.JSON(t, &otp)
	mail := box.Wait(t, "new.resident@example.com")
	if !strings.Contains(mail.Subject, "泗阳网络直通车登录验证码") {
		t.Errorf("subject %q", mail.Subject)
	}
	code := strings.TrimPrefix(mail.Subject, "泗阳网络直通车登录验证码：")
	if len(code) != 6 || !strings.Contains(mail.HTML, code) {
		t.Fatalf("code %q in %q", code, mail.HTML)
	}
	// PocketBase records where the code went (which marks the address
	// verified at sign-in) just after the mail leaves; a resident typing the
	// code is seconds behind it, the test is not.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if o, err := env.App.FindOTPById(otp.OTPID); err == nil && o.SentTo() != "" {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the code's recipient was never recorded")
		}
	}
	r = env.Call(t, "POST", "/api/collections/users/auth-with-otp", map[string]any{"otpId": otp.OTPID, "password": code}, nil)
	var auth authAnswer
	r.JSON(t, &auth)
	if r.Status != 200 || auth.Token == "" || auth.Record["email"] != "new.resident@example.com" || auth.Record["verified"] != true {
		t.Fatalf("auth: %d %s", r.Status, r.Body)
	}

	// Too soon again: refused in Chinese, no mail.
	r = env.Call(t, "POST", "/api/collections/users/request-otp", map[string]any{"email": "new.resident@example.com"}, nil)
	if r.Status != 429 || !strings.Contains(r.Body, "秒后再重新获取") {
		t.Errorf("second request: %d %s", r.Status, r.Body)
	}
	if n := box.Count("new.resident@example.com"); n != 1 {
		t.Errorf("%d mails", n)
	}
}

// TestAttachmentLinks: a supplement's photo keeps its Chinese name, and the
// resident's view links to it; the link serves the file and cannot be
// changed to reach another.
func TestAttachmentLinks(t *testing.T) {
	env := testenv.New(t)
	appeal, code := env.Submit(t, testenv.SampleSubmission())
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
	body, ctype := multipartBody(t, map[string]string{"query_code": code, "content": "补充照片"}, "现场照片.png", png)
	r := env.Call(t, "POST", "/api/appeals/"+appeal.GetString("ticket")+"/actions/supplement", body, nil, "Content-Type", ctype)
	if r.Status != 200 {
		t.Fatalf("supplement: %d %s", r.Status, r.Body)
	}
	r = env.Call(t, "POST", "/api/track", map[string]any{"ticket": appeal.GetString("ticket"), "query_code": code}, nil)
	var view struct {
		Timeline []struct {
			Action      string `json:"action"`
			Attachments []struct {
				Name  string `json:"name"`
				URL   string `json:"url"`
				Image bool   `json:"image"`
			} `json:"attachments"`
		} `json:"timeline"`
	}
	r.JSON(t, &view)
	last := view.Timeline[len(view.Timeline)-1]
	if last.Action != "supplement" || len(last.Attachments) != 1 || last.Attachments[0].Name != "现场照片.png" || !last.Attachments[0].Image {
		t.Fatalf("timeline %s", r.Body)
	}
	url := last.Attachments[0].URL
	got := env.Call(t, "GET", url, nil, nil)
	if got.Status != 200 || got.Body != string(png) {
		t.Errorf("file: %d (%d bytes)", got.Status, len(got.Body))
	}
	tampered := url[:len(url)-2] + "AA"
	if url[len(url)-2:] == "AA" {
		tampered = url[:len(url)-2] + "BB"
	}
	if r := env.Call(t, "GET", tampered, nil, nil); r.Status != 404 || !strings.Contains(r.Body, "附件链接已失效") {
		t.Errorf("tampered link: %d %s", r.Status, r.Body)
	}
}

// TestRegistrationNeedsEmail: anyone may open an account with an e-mail and
// a password through the record API; without an e-mail (phone accounts come
// only from a verified code) nothing is created.
func TestRegistrationNeedsEmail(t *testing.T) {
	env := testenv.New(t)
	r := env.Call(t, "POST", "/api/collections/users/records", map[string]any{
		"password": "a-long-password", "passwordConfirm": "a-long-password", "name": "居民",
	}, nil)
	if r.Status != 400 {
		t.Errorf("without e-mail: %d %s", r.Status, r.Body)
	}
	if n, _ := env.App.CountRecords("users"); n != 2 {
		t.Errorf("users: %d, want the 2 fixtures", n)
	}
	r = env.Call(t, "POST", "/api/collections/users/records", map[string]any{
		"email": "new-resident@example.com", "password": "a-long-password", "passwordConfirm": "a-long-password", "name": "居民",
	}, nil)
	if r.Status != 200 {
		t.Errorf("with e-mail: %d %s", r.Status, r.Body)
	}
}
