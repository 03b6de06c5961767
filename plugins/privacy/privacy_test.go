package privacy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// the sample submission's contact data, also typed into its content
var personal = []string{"李四", "13912345678", "众兴街道幸福小区北门"}

func reload(t *testing.T, env *testenv.Env, r *core.Record) *core.Record {
	t.Helper()
	got, err := env.App.FindRecordById(r.Collection().Name, r.Id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func count(t *testing.T, env *testenv.Env, collection, filter string, params map[string]any) int {
	t.Helper()
	list, err := env.App.FindRecordsByFilter(collection, filter, "", 0, 0, params)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// TestRetention: three years after a case was finished, its personal data
// are gone (name, phone, address, photos, the link to the account, names
// and numbers in the text and the reply), its timeline and facts stay; open
// cases and recently finished ones are untouched; a second sweep does
// nothing more; the sweep is audited.
func TestRetention(t *testing.T) {
	env := testenv.New(t)
	sub := testenv.SampleSubmission()
	photo, _ := filesystem.NewFileFromBytes(pngBytes(), "photo.png")
	sub.Files = []*filesystem.File{photo}
	old := env.ReachWith(t, workflow.Closed, sub)
	open := env.Reach(t, workflow.Handling)
	eventsBefore := count(t, env, "appeal_events", "appeal = {:a}", map[string]any{"a": old.Id})

	start := *env.Now
	env.SetNow(start.Add(300 * 24 * time.Hour)) // within the holiday calendar
	recent := env.Reach(t, workflow.Closed)
	env.SetNow(start.Add(3*365*24*time.Hour + 24*time.Hour))

	n, err := env.Privacy.Sweep()
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	a := reload(t, env, old)
	if a.GetDateTime("anonymized_at").IsZero() || a.GetString("resident") != "" || len(a.GetStringSlice("attachments")) != 0 {
		t.Errorf("not anonymized: %v", a.PublicExport())
	}
	for _, f := range []string{"contact_name", "contact_phone", "address"} {
		if a.GetString(f) != "" {
			t.Errorf("%s kept: %q", f, a.GetString(f))
		}
	}
	if a.GetString("status") != "closed" || a.GetString("satisfaction") != "satisfied" || a.GetString("ticket") != old.GetString("ticket") {
		t.Errorf("facts changed: %s %s", a.GetString("status"), a.GetString("satisfaction"))
	}
	text := a.GetString("title") + a.GetString("content") + a.GetString("public_content")
	replies, _ := env.App.FindRecordsByFilter("replies", "appeal = {:a}", "", 0, 0, map[string]any{"a": old.Id})
	for _, r := range replies {
		text += r.GetString("content")
	}
	for _, p := range personal[:2] {
		if strings.Contains(text, p) {
			t.Errorf("%q left in the text: %s", p, text)
		}
	}
	if got := count(t, env, "appeal_events", "appeal = {:a}", map[string]any{"a": old.Id}); got != eventsBefore {
		t.Errorf("timeline: %d rows, had %d", got, eventsBefore)
	}
	for _, r := range []*core.Record{open, recent} {
		if x := reload(t, env, r); x.GetString("contact_phone") == "" || !x.GetDateTime("anonymized_at").IsZero() {
			t.Errorf("%s (%s) was anonymized", x.GetString("ticket"), x.GetString("status"))
		}
	}
	if n, err := env.Privacy.Sweep(); err != nil || n != 0 {
		t.Errorf("second sweep: %d %v", n, err)
	}
	if count(t, env, "audit_log", "action = 'privacy.retention'", nil) != 1 {
		t.Error("sweep not audited")
	}
}

// TestExport: a resident downloads their own data (with their own contact
// data) and nobody else's; an administrator exports by phone number for a
// resident without an account; others are refused; every export is audited.
func TestExport(t *testing.T) {
	env := testenv.New(t)
	mine := env.Reach(t, workflow.Callback)
	theirs, err := env.Engine.Submit(env.App, workflow.Submission{
		Kind: "consult", Title: "别人的诉求标题", Content: "这是另一位居民的诉求内容，不应出现在导出中。",
		ContactName: "王五", ContactPhone: "13800009999",
	}, workflow.ActorFromAuth(env.OtherResident))
	if err != nil {
		t.Fatal(err)
	}

	res := env.Call(t, "GET", "/api/privacy/export", nil, env.Resident)
	if res.Status != 200 {
		t.Fatalf("export: %d %s", res.Status, res.Body)
	}
	for _, want := range []string{mine.GetString("ticket"), "李四", "13912345678", "resident1@example.com", "经现场核查"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	for _, not := range []string{theirs.Appeal.GetString("ticket"), "王五", "13800009999", "query_code_hash"} {
		if strings.Contains(res.Body, not) {
			t.Errorf("export contains %q", not)
		}
	}
	byPhone := env.Call(t, "GET", "/api/privacy/export?phone=13800009999", nil, env.Admin)
	if byPhone.Status != 200 || !strings.Contains(byPhone.Body, theirs.Appeal.GetString("ticket")) || strings.Contains(byPhone.Body, mine.GetString("ticket")) {
		t.Errorf("admin export by phone: %d %s", byPhone.Status, byPhone.Body)
	}
	for who, want := range map[*core.Record]int{nil: 401, env.Operator: 403, env.HandlerA: 403, env.Supervisor: 403} {
		if r := env.Call(t, "GET", "/api/privacy/export?phone=13912345678", nil, who); r.Status != want {
			t.Errorf("export as %v: %d, want %d", who, r.Status, want)
		}
	}
	if n := count(t, env, "audit_log", "action = 'privacy.export'", nil); n != 2 {
		t.Errorf("exports audited: %d, want 2", n)
	}
}

// TestErase: a resident's erasure waits for their open cases, needs the
// confirmation word, then anonymizes their cases, deletes the account and
// is audited; an administrator erases by phone number.
func TestErase(t *testing.T) {
	env := testenv.New(t)
	closed := env.Reach(t, workflow.Closed)
	open := env.Reach(t, workflow.Handling)

	res := env.Call(t, "POST", "/api/privacy/erase", map[string]any{"confirm": "确认删除"}, env.Resident)
	if res.Status != 409 || !strings.Contains(res.Body, open.GetString("ticket")) {
		t.Fatalf("erase with an open case: %d %s", res.Status, res.Body)
	}
	env.Do(t, open, "withdraw", env.Resident, workflow.Input{})
	if res := env.Call(t, "POST", "/api/privacy/erase", map[string]any{}, env.Resident); res.Status != 400 {
		t.Errorf("erase without confirmation: %d", res.Status)
	}
	res = env.Call(t, "POST", "/api/privacy/erase", map[string]any{"confirm": "确认删除"}, env.Resident)
	if res.Status != 200 {
		t.Fatalf("erase: %d %s", res.Status, res.Body)
	}
	for _, a := range []*core.Record{closed, open} {
		if x := reload(t, env, a); x.GetString("contact_phone") != "" || x.GetDateTime("anonymized_at").IsZero() {
			t.Errorf("%s not anonymized", x.GetString("ticket"))
		}
	}
	if _, err := env.App.FindRecordById("users", env.Resident.Id); err == nil {
		t.Error("account still there")
	}
	if count(t, env, "audit_log", "action = 'privacy.erase'", nil) != 1 {
		t.Error("erasure not audited")
	}

	// an administrator, for a resident without an account
	other, err := env.Engine.Submit(env.App, workflow.Submission{
		Kind: "consult", Title: "电话登记的诉求", Content: "居民来电咨询社保卡补办流程，已电话答复。",
		ContactName: "王五", ContactPhone: "13800009999", Channel: "phone",
	}, workflow.ActorFromAuth(env.Operator))
	if err != nil {
		t.Fatal(err)
	}
	env.Do(t, other.Appeal, "reject", env.Operator, workflow.Input{Reason: "explained"})
	if r := env.Call(t, "POST", "/api/privacy/erase", map[string]any{"phone": "13800009999"}, env.Operator); r.Status != 403 {
		t.Errorf("operator erase: %d", r.Status)
	}
	if r := env.Call(t, "POST", "/api/privacy/erase", map[string]any{"phone": "13800009999"}, env.Admin); r.Status != 200 {
		t.Fatalf("admin erase: %d %s", r.Status, r.Body)
	}
	if x := reload(t, env, other.Appeal); x.GetString("contact_name") != "" {
		t.Error("admin erase left the name")
	}
}
