package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/notify"
	"siyang/plugins/workflow"
)

// gatewayHit is one request a loopback SMS gateway got.
type gatewayHit struct {
	Template, Phone string
	Params          map[string]string
	Body            []byte
	Timestamp, Sig  string
}

// gateway is an SMS gateway on 127.0.0.1 that keeps what it is sent.
type gateway struct {
	mu   sync.Mutex
	hits []gatewayHit
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var m struct {
		TemplateID string            `json:"template_id"`
		Phone      string            `json:"phone"`
		Params     map[string]string `json:"params"`
	}
	_ = json.Unmarshal(body, &m)
	g.mu.Lock()
	g.hits = append(g.hits, gatewayHit{Template: m.TemplateID, Phone: m.Phone, Params: m.Params, Body: body,
		Timestamp: r.Header.Get("X-Timestamp"), Sig: r.Header.Get("X-Signature")})
	g.mu.Unlock()
	w.Write([]byte(`{"code":0}`))
}

// take answers and forgets the requests so far.
func (g *gateway) take() []gatewayHit {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.hits
	g.hits = nil
	return out
}

func signedWith(secret string, h gatewayHit) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(h.Timestamp + "."))
	mac.Write(h.Body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(h.Sig))
}

// smsRow is the one sms_settings row as the dashboard shows it.
func smsRow(t *testing.T, env *testenv.Env, su *core.Record) map[string]any {
	t.Helper()
	r := env.Call(t, "GET", "/api/collections/sms_settings/records", nil, su)
	if r.Status != 200 {
		t.Fatalf("list sms_settings: %d %s", r.Status, r.Body)
	}
	var out struct{ Items []map[string]any }
	r.JSON(t, &out)
	if len(out.Items) != 1 {
		t.Fatalf("sms_settings has %d rows, want 1", len(out.Items))
	}
	return out.Items[0]
}

func patchSMS(t *testing.T, env *testenv.Env, su *core.Record, id string, body map[string]any) testenv.Response {
	t.Helper()
	return env.Call(t, "PATCH", "/api/collections/sms_settings/records/"+id, body, su)
}

// An administrator switches SMS on in the dashboard: rating invitations to
// residents and 催办/督办 to departments go to the gateway at once, signed
// with the secret; the secret cannot be read back; each change is audited;
// a later change (new template, new secret, driver off) takes effect
// without a restart.
func TestSMSSettingsFromTheDashboard(t *testing.T) {
	env := testenv.New(t)
	su := env.Superuser(t)
	gw := &gateway{}
	srv := httptest.NewServer(gw)
	defer srv.Close()
	setDept(t, env, env.DeptA, "", "13700002222")

	row := smsRow(t, env, su)
	if row["driver"] != "log" {
		t.Fatalf("default driver %v, want log", row["driver"])
	}
	id := row["id"].(string)
	// staff, even admins, do not reach the settings
	if r := env.Call(t, "GET", "/api/collections/sms_settings/records", nil, env.Admin); r.Status != 403 {
		t.Fatalf("staff admin read sms_settings: %d %s", r.Status, r.Body)
	}
	// the log driver sends nothing out
	env.Reach(t, workflow.Callback)
	env.Notify.Wait()
	if hits := gw.take(); len(hits) != 0 {
		t.Fatalf("log driver reached the gateway: %+v", hits)
	}

	// an incomplete gateway is refused, field by field
	r := patchSMS(t, env, su, id, map[string]any{"driver": "http", "tpl_rate_invite": ""})
	if r.Status != 400 {
		t.Fatalf("incomplete gateway: %d %s", r.Status, r.Body)
	}
	for _, field := range []string{"gateway_url", "app_id", "secret", "tpl_rate_invite", "tpl_urge", "tpl_supervise", "tpl_merged"} {
		if !strings.Contains(r.Body, `"`+field+`"`) {
			t.Errorf("no error for %s: %s", field, r.Body)
		}
	}
	if !strings.Contains(r.Body, "模板编号") {
		t.Errorf("errors not in Chinese: %s", r.Body)
	}

	r = patchSMS(t, env, su, id, map[string]any{
		"driver": "http", "gateway_url": srv.URL + "/send", "app_id": "siyang", "secret": "gw-secret-one",
		"tpl_rate_invite": "SMS_RATE_1", "tpl_urge": "SMS_URGE_1", "tpl_supervise": "SMS_SUP_1",
		"tpl_merged": "SMS_MERGED_1", "tpl_merged_replied": "SMS_MREPLY_1",
	})
	if r.Status != 200 {
		t.Fatalf("switch on: %d %s", r.Status, r.Body)
	}
	if strings.Contains(r.Body, "gw-secret-one") || strings.Contains(r.Body, `"secret"`) {
		t.Fatalf("the secret was answered back: %s", r.Body)
	}
	if got := smsRow(t, env, su); got["secret"] != nil {
		t.Fatalf("the dashboard reads the secret: %v", got)
	}

	// 催办, 督办 and a rating invitation, with no restart in between
	b := env.Reach(t, workflow.Handling)
	env.Do(t, b, "urge", env.Supervisor, workflow.Input{Note: "请今日内处理"})
	env.Do(t, b, "supervise", env.Supervisor, workflow.Input{Note: "请主要负责同志过问"})
	a := env.Reach(t, workflow.Callback)
	env.Notify.Wait()
	byTemplate := map[string]gatewayHit{}
	for _, h := range gw.take() {
		if !signedWith("gw-secret-one", h) {
			t.Errorf("request for %s not signed with the secret", h.Template)
		}
		byTemplate[h.Template] = h
	}
	if len(byTemplate) != 3 || byTemplate["SMS_URGE_1"].Phone != "13700002222" || byTemplate["SMS_SUP_1"].Phone != "13700002222" ||
		byTemplate["SMS_RATE_1"].Phone != "13912345678" || byTemplate["SMS_RATE_1"].Params["ticket"] != a.GetString("ticket") {
		t.Fatalf("gateway got %+v", byTemplate)
	}

	// a new template id, the form saved without the secret: the secret stays
	if r := patchSMS(t, env, su, id, map[string]any{"tpl_rate_invite": "SMS_RATE_2", "secret": ""}); r.Status != 200 {
		t.Fatalf("change template: %d %s", r.Status, r.Body)
	}
	env.Reach(t, workflow.Callback)
	env.Notify.Wait()
	hits := gw.take()
	if len(hits) != 1 || hits[0].Template != "SMS_RATE_2" || !signedWith("gw-secret-one", hits[0]) {
		t.Fatalf("after the template change: %+v", hits)
	}

	// a new secret signs from the next message on
	if r := patchSMS(t, env, su, id, map[string]any{"secret": "gw-secret-two"}); r.Status != 200 {
		t.Fatalf("new secret: %d %s", r.Status, r.Body)
	}
	env.Reach(t, workflow.Callback)
	env.Notify.Wait()
	if hits := gw.take(); len(hits) != 1 || !signedWith("gw-secret-two", hits[0]) {
		t.Fatalf("after the secret change: %+v", hits)
	}

	// switched off: nothing more
	if r := patchSMS(t, env, su, id, map[string]any{"driver": "off"}); r.Status != 200 {
		t.Fatalf("switch off: %d %s", r.Status, r.Body)
	}
	env.Reach(t, workflow.Callback)
	env.Notify.Wait()
	if hits := gw.take(); len(hits) != 0 {
		t.Fatalf("driver off still sent %+v", hits)
	}

	// one row, never deleted
	if r := env.Call(t, "POST", "/api/collections/sms_settings/records", map[string]any{"driver": "log"}, su); r.Status != 400 {
		t.Fatalf("second row: %d %s", r.Status, r.Body)
	}
	if r := env.Call(t, "DELETE", "/api/collections/sms_settings/records/"+id, nil, su); r.Status != 400 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}

	// every change is in the audit log, who and what, never the secret
	audits, err := env.App.FindRecordsByFilter("audit_log", "target_collection = 'sms_settings'", "created", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(audits) != 4 {
		t.Fatalf("%d audit rows, want 4 (switch on, template, secret, off)", len(audits))
	}
	for i, au := range audits {
		detail := au.GetString("detail")
		if strings.Contains(detail, "gw-secret") || au.GetString("actor_id") != su.Id {
			t.Errorf("audit row %d: actor %s, detail %s", i, au.GetString("actor_id"), detail)
		}
		wantChanged := i == 0 || i == 2
		if !strings.Contains(detail, `"secret_changed":`+map[bool]string{true: "true", false: "false"}[wantChanged]) {
			t.Errorf("audit row %d: secret_changed should be %v: %s", i, wantChanged, detail)
		}
	}
}

// Residents' sign-in codes go through the gateway of the dashboard's
// settings only when its 登录验证码 template is entered; otherwise other
// plugins are told there is no gateway (Texter nil) and fall back.
func TestTexterForSignInCodes(t *testing.T) {
	env := testenv.New(t)
	env.Notify.UseSMSSettings()
	su := env.Superuser(t)
	gw := &gateway{}
	srv := httptest.NewServer(gw)
	defer srv.Close()
	id := smsRow(t, env, su)["id"].(string)

	if env.Notify.Texter(notify.KindSignInCode) != nil {
		t.Fatal("the log driver was offered as a gateway for sign-in codes")
	}
	on := map[string]any{
		"driver": "http", "gateway_url": srv.URL + "/send", "app_id": "siyang", "secret": "gw-secret",
		"tpl_rate_invite": "SMS_RATE", "tpl_urge": "SMS_URGE", "tpl_supervise": "SMS_SUP",
		"tpl_merged": "SMS_MERGED", "tpl_merged_replied": "SMS_MREPLY",
	}
	if r := patchSMS(t, env, su, id, on); r.Status != 200 {
		t.Fatalf("switch on: %d %s", r.Status, r.Body)
	}
	if env.Notify.Texter(notify.KindSignInCode) != nil {
		t.Fatal("a gateway without the sign-in template was offered for sign-in codes")
	}
	if r := patchSMS(t, env, su, id, map[string]any{"tpl_sign_in_code": "SMS_LOGIN"}); r.Status != 200 {
		t.Fatalf("sign-in template: %d %s", r.Status, r.Body)
	}
	texter := env.Notify.Texter(notify.KindSignInCode)
	if texter == nil {
		t.Fatal("no gateway for sign-in codes after the template was entered")
	}
	err := texter.Send(context.Background(), notify.SMS{Kind: notify.KindSignInCode, Phone: "13812345678", Params: map[string]string{"code": "482913"}})
	if err != nil {
		t.Fatal(err)
	}
	hits := gw.take()
	if len(hits) != 1 || hits[0].Template != "SMS_LOGIN" || hits[0].Params["code"] != "482913" || !signedWith("gw-secret", hits[0]) {
		t.Fatalf("gateway got %+v", hits)
	}
}
