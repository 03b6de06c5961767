package deptapi_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/deptapi/apikey"
	"siyang/plugins/workflow"
)

func issue(t testing.TB, env *testenv.Env, kind, dept string) (secret, id string) {
	t.Helper()
	r := env.Call(t, "POST", "/api/integrations/keys", map[string]any{"name": "测试" + kind, "kind": kind, "department": dept}, env.Admin)
	if r.Status != http.StatusCreated {
		t.Fatalf("issue: %d %s", r.Status, r.Body)
	}
	var out struct{ ID, Key string }
	r.JSON(t, &out)
	return out.Key, out.ID
}

func call(t testing.TB, env *testenv.Env, method, url, key string, body any) testenv.Response {
	t.Helper()
	return env.Call(t, method, url, body, nil, "X-Api-Key", key)
}

func TestKeyAdministration(t *testing.T) {
	env := testenv.New(t)
	for _, who := range []*core.Record{env.Operator, env.HandlerA, nil} {
		if r := env.Call(t, "POST", "/api/integrations/keys", map[string]any{"name": "x", "kind": "open311"}, who); r.Status != 401 && r.Status != 403 {
			t.Fatalf("non-admin created a key: %d %s", r.Status, r.Body)
		}
	}
	for _, bad := range []map[string]any{
		{"name": "", "kind": "open311"}, {"name": "x", "kind": "root"}, {"name": "x", "kind": "department"},
		{"name": "x", "kind": "open311", "department": env.DeptA.Id},
	} {
		if r := env.Call(t, "POST", "/api/integrations/keys", bad, env.Admin); r.Status != 400 {
			t.Fatalf("%v: %d %s", bad, r.Status, r.Body)
		}
	}
	secret, id := issue(t, env, "department", env.DeptA.Id)
	key, err := env.App.FindRecordById("api_keys", id)
	if err != nil {
		t.Fatal(err)
	}
	if key.GetString("key_hash") != apikey.Hash(secret) || !strings.HasPrefix(secret, key.GetString("key_prefix")) ||
		len(key.GetString("key_prefix")) != 8 || key.GetString("created_by") != env.Admin.Id {
		t.Fatalf("stored key: %v", key.FieldsData())
	}
	// the record API never shows the digest, and only to admins at all
	r := env.Call(t, "GET", "/api/collections/api_keys/records/"+id, nil, env.Admin)
	if r.Status != 200 || strings.Contains(r.Body, "key_hash") || strings.Contains(r.Body, secret) {
		t.Fatalf("admin view: %d %s", r.Status, r.Body)
	}
	if r := env.Call(t, "GET", "/api/collections/api_keys/records/"+id, nil, env.Operator); r.Status != 404 {
		t.Fatalf("operator view: %d %s", r.Status, r.Body)
	}
	// a PATCH may rename or revoke, not rewrite what the key is
	r = env.Call(t, "PATCH", "/api/collections/api_keys/records/"+id, map[string]any{"name": "新名称", "key_prefix": "hacked", "department": env.DeptB.Id}, env.Admin)
	key, _ = env.App.FindRecordById("api_keys", id)
	if r.Status != 200 || key.GetString("name") != "新名称" || key.GetString("key_prefix") == "hacked" || key.GetString("department") != env.DeptA.Id {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}

	if r := call(t, env, "GET", "/api/dept/v1/tasks", secret, nil); r.Status != 200 {
		t.Fatalf("fresh key: %d %s", r.Status, r.Body)
	}
	// rotate: the old key stops working, the new one works
	r = env.Call(t, "POST", "/api/integrations/keys/"+id+"/rotate", nil, env.Admin)
	var rotated struct{ Key string }
	r.JSON(t, &rotated)
	if r.Status != 200 || rotated.Key == "" || rotated.Key == secret {
		t.Fatalf("rotate: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "GET", "/api/dept/v1/tasks", secret, nil); r.Status != 401 {
		t.Fatalf("old key after rotate: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "GET", "/api/dept/v1/tasks", rotated.Key, nil); r.Status != 200 {
		t.Fatalf("rotated key: %d %s", r.Status, r.Body)
	}
	// revoke, by endpoint and by PATCH active=false
	if r := env.Call(t, "POST", "/api/integrations/keys/"+id+"/revoke", nil, env.Admin); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "GET", "/api/dept/v1/tasks", rotated.Key, nil); r.Status != 401 {
		t.Fatalf("revoked key: %d %s", r.Status, r.Body)
	}
	other, otherID := issue(t, env, "department", env.DeptB.Id)
	env.Call(t, "PATCH", "/api/collections/api_keys/records/"+otherID, map[string]any{"active": false}, env.Admin)
	if r := call(t, env, "GET", "/api/dept/v1/tasks", other, nil); r.Status != 401 {
		t.Fatalf("key deactivated by PATCH: %d %s", r.Status, r.Body)
	}
	n, _ := env.App.CountRecords("audit_log", dbx.HashExp{"target_collection": "api_keys"})
	if n < 6 { // create ×2, rotate, revoke, update ×2
		t.Fatalf("audit entries: %d", n)
	}
	// missing key, key of another kind
	if r := call(t, env, "GET", "/api/dept/v1/tasks", "", nil); r.Status != 401 {
		t.Fatalf("no key: %d", r.Status)
	}
	o311, _ := issue(t, env, "open311", "")
	if r := call(t, env, "GET", "/api/dept/v1/tasks", o311, nil); r.Status != 403 {
		t.Fatalf("open311 key: %d", r.Status)
	}
}

type taskList struct {
	TotalItems int              `json:"totalItems"`
	Items      []map[string]any `json:"items"`
}

func TestTasksAreTheDepartmentsOwn(t *testing.T) {
	env := testenv.New(t)
	keyA, _ := issue(t, env, "department", env.DeptA.Id)
	keyB, _ := issue(t, env, "department", env.DeptB.Id)
	keyC, _ := issue(t, env, "department", env.DeptC.Id)
	shared := env.Reach(t, workflow.Dispatched) // A leads, B assists
	a, _ := env.Submit(t, testenv.SampleSubmission())
	env.Do(t, a, "accept", env.Operator, workflow.Input{})
	onlyC := env.Do(t, a, "dispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})
	env.Reach(t, workflow.Closed) // A's closed case is no task any more

	list := func(key, query string) taskList {
		var l taskList
		r := call(t, env, "GET", "/api/dept/v1/tasks"+query, key, nil)
		if r.Status != 200 {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &l)
		return l
	}
	la, lb, lc := list(keyA, ""), list(keyB, ""), list(keyC, "")
	if la.TotalItems != 1 || la.Items[0]["ticket"] != shared.GetString("ticket") || la.Items[0]["task"].(map[string]any)["role"] != "lead" {
		t.Fatalf("A: %+v", la)
	}
	if lb.TotalItems != 1 || lb.Items[0]["task"].(map[string]any)["role"] != "assist" {
		t.Fatalf("B: %+v", lb)
	}
	if lc.TotalItems != 1 || lc.Items[0]["ticket"] != onlyC.GetString("ticket") {
		t.Fatalf("C: %+v", lc)
	}
	if got := la.Items[0]["actions"]; len(got.([]any)) != 2 { // sign, return
		t.Fatalf("A's actions: %v", got)
	}
	if la.Items[0]["due_finish"] == "" || !strings.HasSuffix(la.Items[0]["due_sign"].(string), "+08:00") {
		t.Fatalf("deadlines: %v", la.Items[0])
	}
	if l := list(keyB, "?role=lead"); l.TotalItems != 0 {
		t.Fatalf("B as lead: %+v", l)
	}
	body := call(t, env, "GET", "/api/dept/v1/tasks", keyA, nil).Body
	if strings.Contains(body, "contact") || strings.Contains(body, "李四\"") {
		t.Fatalf("list shows contact: %s", body)
	}
	// B never sees C's case, and cannot act on it
	if r := call(t, env, "GET", "/api/dept/v1/tasks/"+onlyC.Id, keyB, nil); r.Status != 404 {
		t.Fatalf("B reads C's case: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+onlyC.Id+"/actions/sign", keyB, map[string]any{}); r.Status != 404 {
		t.Fatalf("B signs C's case: %d %s", r.Status, r.Body)
	}
	// only handler actions
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+shared.Id+"/actions/approve_reply", keyA, map[string]any{}); r.Status != 404 {
		t.Fatalf("approve through the API: %d %s", r.Status, r.Body)
	}
}

func TestContactOnlyForTheLeadAndAudited(t *testing.T) {
	env := testenv.New(t)
	keyA, keyAID := issue(t, env, "department", env.DeptA.Id)
	keyB, _ := issue(t, env, "department", env.DeptB.Id)
	a := env.Reach(t, workflow.Handling)
	get := func(key, query string) map[string]any {
		var v map[string]any
		r := call(t, env, "GET", "/api/dept/v1/tasks/"+a.GetString("ticket")+query, key, nil)
		if r.Status != 200 {
			t.Fatalf("get: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &v)
		return v
	}
	audits := func() int {
		n, _ := env.App.CountRecords("audit_log", dbx.HashExp{"action": "contact.view", "target_id": a.Id})
		return int(n)
	}
	v := get(keyA, "")
	if c, _ := v["contact"].(map[string]any); c["phone"] != "13912345678" || c["name"] != "李四" || audits() != 1 {
		t.Fatalf("lead contact: %v, audits %d", v["contact"], audits())
	}
	entry, _ := env.App.FindFirstRecordByData("audit_log", "target_id", a.Id)
	if entry.GetString("actor_id") != keyAID || entry.GetString("actor_collection") != "api_keys" {
		t.Fatalf("audit actor: %v", entry.FieldsData())
	}
	if tl := v["timeline"].([]any); len(tl) != 4 { // submit, accept, dispatch, sign
		t.Fatalf("timeline: %v", tl)
	}
	if v := get(keyA, "?contact=false"); v["contact"] != nil || audits() != 1 {
		t.Fatal("contact=false still reveals or audits")
	}
	if v := get(keyB, ""); v["contact"] != nil || v["contact_note"] == "" || audits() != 1 {
		t.Fatalf("assisting department got contact: %v", v)
	}
	sub := testenv.SampleSubmission()
	sub.Anonymous = true
	anon := env.ReachWith(t, workflow.Handling, sub)
	r := call(t, env, "GET", "/api/dept/v1/tasks/"+anon.Id, keyA, nil)
	// 匿名: towards the department even the text is the masked copy
	if r.Status != 200 || strings.Contains(r.Body, "13912345678") || strings.Contains(r.Body, "李四") || !strings.Contains(r.Body, "李*") {
		t.Fatalf("anonymous: %d %s", r.Status, r.Body)
	}
}

// TestActionsMatchTheWorkbench: sign and reply through the key change the
// case exactly as a handler's clicks do, and the timeline says the
// department's system did it.
func TestActionsMatchTheWorkbench(t *testing.T) {
	env := testenv.New(t)
	keyA, _ := issue(t, env, "department", env.DeptA.Id)
	keyB, _ := issue(t, env, "department", env.DeptB.Id)
	viaAPI := env.Reach(t, workflow.Dispatched)
	viaStaff := env.Reach(t, workflow.Dispatched)
	const content = "经现场核查，路灯线路老化，已于今日更换完毕。"

	r := call(t, env, "POST", "/api/dept/v1/tasks/"+viaAPI.GetString("ticket")+"/actions/sign", keyA, map[string]any{})
	if r.Status != 200 || !strings.Contains(r.Body, `"status":"handling"`) || !strings.Contains(r.Body, `"via":"deptapi"`) {
		t.Fatalf("sign: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+viaAPI.Id+"/actions/sign", keyA, map[string]any{}); r.Status != 409 {
		t.Fatalf("second sign: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+viaAPI.Id+"/actions/assist_sign", keyB, map[string]any{}); r.Status != 200 {
		t.Fatalf("assist_sign: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+viaAPI.Id+"/actions/reply", keyA, map[string]any{"content": "太短"}); r.Status != 400 {
		t.Fatalf("short reply: %d %s", r.Status, r.Body)
	}

	// the reply goes as multipart with an attachment
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("content", content)
	fw, _ := mw.CreateFormFile("attachments", "现场照片.png")
	_, _ = fw.Write(pngBytes)
	_ = mw.Close()
	r = env.Call(t, "POST", "/api/dept/v1/tasks/"+viaAPI.Id+"/actions/reply", &buf, nil, "X-Api-Key", keyA, "Content-Type", mw.FormDataContentType())
	if r.Status != 200 {
		t.Fatalf("reply: %d %s", r.Status, r.Body)
	}

	env.Do(t, viaStaff, "sign", env.HandlerA, workflow.Input{})
	env.Do(t, viaStaff, "assist_sign", env.HandlerB, workflow.Input{})
	env.Do(t, viaStaff, "reply", env.HandlerA, workflow.Input{Content: content})

	x, y := reload(t, env, viaAPI), reload(t, env, viaStaff)
	for _, f := range []string{"status", "lead_department", "due_finish"} {
		if x.GetString(f) != y.GetString(f) {
			t.Fatalf("%s: api %q, staff %q", f, x.GetString(f), y.GetString(f))
		}
	}
	if x.GetString("signed_at") == "" || x.GetString("replied_at") == "" {
		t.Fatal("signed_at / replied_at not set")
	}
	ex, ey := events(t, env, viaAPI), events(t, env, viaStaff)
	if len(ex) != len(ey) {
		t.Fatalf("timelines: %d vs %d", len(ex), len(ey))
	}
	for i := range ex {
		for _, f := range []string{"action", "actor_role", "from_status", "to_status", "summary", "public", "actor_department"} {
			if ex[i].GetString(f) != ey[i].GetString(f) {
				t.Fatalf("event %d %s: api %q, staff %q", i, f, ex[i].GetString(f), ey[i].GetString(f))
			}
		}
		var data map[string]any
		_ = json.Unmarshal([]byte(ex[i].GetString("data")), &data)
		if i >= 3 && data["via"] != "deptapi" {
			t.Fatalf("event %s does not say it came from the department's system: %v", ex[i].GetString("action"), data)
		}
		if i >= 3 && ex[i].GetString("actor_staff") != "" {
			t.Fatal("an API event names a staff member")
		}
	}
	replies, _ := env.App.FindAllRecords("replies", dbx.HashExp{"appeal": viaAPI.Id, "role": "lead"})
	if len(replies) != 1 || replies[0].GetString("content") != content || len(replies[0].GetStringSlice("attachments")) != 1 ||
		replies[0].GetString("department") != env.DeptA.Id {
		t.Fatalf("reply record: %v", replies)
	}
	// once replied, the lead may not reply again; a case after 退单 is gone
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+viaAPI.Id+"/actions/reply", keyA, map[string]any{"content": content}); r.Status != 409 {
		t.Fatalf("reply twice: %d %s", r.Status, r.Body)
	}
	back := env.Reach(t, workflow.Dispatched)
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+back.Id+"/actions/return", keyA, map[string]any{"note": "该路段属于交通局管养范围"}); r.Status != 200 {
		t.Fatalf("return: %d %s", r.Status, r.Body)
	}
	if r := call(t, env, "GET", "/api/dept/v1/tasks/"+back.Id, keyA, nil); r.Status != 404 {
		t.Fatalf("returned case still visible: %d", r.Status)
	}
	h := env.Reach(t, workflow.Handling)
	for _, c := range []struct {
		action string
		body   map[string]any
	}{
		{"request_extension", map[string]any{"days": 2, "note": "需协调供电公司停电施工"}},
	} {
		if r := call(t, env, "POST", "/api/dept/v1/tasks/"+h.Id+"/actions/"+c.action, keyA, c.body); r.Status != 200 {
			t.Fatalf("%s: %d %s", c.action, r.Status, r.Body)
		}
	}
	if r := call(t, env, "POST", "/api/dept/v1/tasks/"+h.Id+"/actions/request_suspension", keyA, map[string]any{"note": "等待鉴定"}); r.Status != 409 {
		t.Fatalf("second pending request: %d %s", r.Status, r.Body)
	}
}

func reload(t testing.TB, env *testenv.Env, r *core.Record) *core.Record {
	t.Helper()
	x, err := env.App.FindRecordById("appeals", r.Id)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func events(t testing.TB, env *testenv.Env, a *core.Record) []*core.Record {
	t.Helper()
	list, err := env.App.FindRecordsByFilter("appeal_events", "appeal = {:a}", "created", 0, 0, dbx.Params{"a": a.Id})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
	0x42, 0x60, 0x82,
}
