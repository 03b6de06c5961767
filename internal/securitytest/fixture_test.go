package securitytest

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// Contact data of the two residents' cases: they may appear only where the
// design entitles the caller to them.
const (
	nameX, phoneX = "赵矩阵", "13700001111"
	nameY, phoneY = "钱矩阵", "13700002222"
	nameZ, phoneZ = "孙矩阵", "13700003333"
)

// world is the fixture of the matrix: case X of the resident (department
// A leads, B assists; replied, approved, extended, waiting for 回访), case Y
// of the other resident (department C leads alone, same stage), and one
// record of every other collection on each side where that makes sense.
type world struct {
	*testenv.Env
	X, Y             *core.Record
	Z                *core.Record // the resident's second case, being handled by A (assisted by B)
	codeX            string
	superuser        *core.Record
	keyA, keyC, o311 string
	own, other       map[string]*core.Record // collection -> record on X's side / Y's side
	receiver         *httptest.Server
}

func submission(name, phone string) workflow.Submission {
	return workflow.Submission{
		Kind: "complaint", Title: "矩阵测试：小区路灯不亮", Content: "小区北门路灯坏了一个月，晚上出行很不安全，请尽快修复。",
		Address: "众兴街道幸福小区北门", ContactName: name, ContactPhone: phone, PublicConsent: true,
	}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	env := testenv.New(t)
	w := &world{Env: env, own: map[string]*core.Record{}, other: map[string]*core.Record{}}
	w.receiver = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { rw.WriteHeader(204) }))
	t.Cleanup(w.receiver.Close)
	hook := env.Save(t, "webhooks", map[string]any{"name": "矩阵接收方", "url": w.receiver.URL, "secret": "matrix-secret-0123456789abcdef", "active": true})
	w.superuser = env.Superuser(t)

	drive := func(resident *core.Record, sub workflow.Submission, lead string, assisting []string, handler *core.Record) (*core.Record, string) {
		receipt, err := env.Engine.Submit(env.App, sub, workflow.ActorFromAuth(resident))
		if err != nil {
			t.Fatal(err)
		}
		a := receipt.Appeal
		a = env.Do(t, a, "accept", env.Operator, workflow.Input{})
		a = env.Do(t, a, "dispatch", env.Operator, workflow.Input{Department: lead, Assisting: assisting})
		a = env.Do(t, a, "sign", handler, workflow.Input{})
		a = env.Do(t, a, "request_extension", handler, workflow.Input{Days: 3, Note: "需要协调供电公司，申请延期"})
		a = env.Do(t, a, "approve_extension", env.Operator, workflow.Input{})
		a = env.Do(t, a, "reply", handler, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"})
		a = env.Do(t, a, "approve_reply", env.Operator, workflow.Input{})
		return a, receipt.QueryCode
	}
	subX := submission(nameX, phoneX)
	subX.Files = []*filesystem.File{pngFile(t, "现场照片.png")}
	w.X, w.codeX = drive(env.Resident, subX, env.DeptA.Id, []string{env.DeptB.Id}, env.HandlerA)
	w.Y, _ = drive(env.OtherResident, submission(nameY, phoneY), env.DeptC.Id, nil, env.HandlerC)
	z, err := env.Engine.Submit(env.App, submission(nameZ, phoneZ), workflow.ActorFromAuth(env.Resident))
	if err != nil {
		t.Fatal(err)
	}
	w.Z = env.Do(t, z.Appeal, "accept", env.Operator, workflow.Input{})
	w.Z = env.Do(t, w.Z, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id, Assisting: []string{env.DeptB.Id}})
	w.Z = env.Do(t, w.Z, "sign", env.HandlerA, workflow.Input{})

	first := func(collection, filter string, params map[string]any) *core.Record {
		t.Helper()
		list, err := env.App.FindRecordsByFilter(collection, filter, "", 1, 0, params)
		if err != nil || len(list) == 0 {
			t.Fatalf("fixture %s %s: %v", collection, filter, err)
		}
		return list[0]
	}
	for side, a := range map[string]*core.Record{"own": w.X, "other": w.Y} {
		m := w.own
		if side == "other" {
			m = w.other
		}
		p := map[string]any{"a": a.Id}
		m["appeals"] = a
		m["assignments"] = first("assignments", "appeal = {:a} && role = 'lead'", p)
		m["appeal_events"] = first("appeal_events", "appeal = {:a} && action = 'submit'", p)
		m["replies"] = first("replies", "appeal = {:a}", p)
		m["extensions"] = first("extensions", "appeal = {:a}", p)
		m["callbacks"] = first("callbacks", "appeal = {:a}", p)
		m["outbox"] = first("outbox", "appeal = {:a}", p)
		pub, err := env.App.FindRecordById("public_appeals", a.Id)
		if err != nil {
			t.Fatalf("public view of %s: %v", a.Id, err)
		}
		m["public_appeals"] = pub
	}
	// audit rows: a contact view of each case
	for _, a := range []*core.Record{w.X, w.Y} {
		if res := env.Call(t, "GET", "/api/appeals/"+a.Id+"/contact", nil, env.Operator); res.Status != 200 {
			t.Fatalf("contact: %d %s", res.Status, res.Body)
		}
	}
	w.own["audit_log"] = first("audit_log", "action = 'contact.view' && target_id = {:a}", map[string]any{"a": w.X.Id})
	w.other["audit_log"] = first("audit_log", "action = 'contact.view' && target_id = {:a}", map[string]any{"a": w.Y.Id})
	counter := first("ticket_counters", "id != ''", nil)
	w.own["ticket_counters"], w.other["ticket_counters"] = counter, counter
	w.own["webhooks"], w.other["webhooks"] = hook, hook

	var keyAID, keyCID, o311ID string
	w.keyA, keyAID = w.issue(t, "department", env.DeptA.Id)
	w.keyC, keyCID = w.issue(t, "department", env.DeptC.Id)
	w.o311, o311ID = w.issue(t, "open311", "")
	_ = keyCID
	w.own["api_keys"], _ = env.App.FindRecordById("api_keys", keyAID)
	w.other["api_keys"], _ = env.App.FindRecordById("api_keys", o311ID)

	w.own["staff"], w.other["staff"] = env.HandlerA, env.HandlerC
	w.own["users"], w.other["users"] = env.Resident, env.OtherResident
	w.own["departments"], w.other["departments"] = env.DeptA, env.DeptC
	w.own["categories"] = first("categories", "id != ''", nil)
	w.other["categories"] = w.own["categories"]
	w.own["sla_policies"] = first("sla_policies", "id != ''", nil)
	w.other["sla_policies"] = w.own["sla_policies"]
	w.own["calendar_days"] = first("calendar_days", "id != ''", nil)
	w.other["calendar_days"] = w.own["calendar_days"]
	w.own["sla_settings"] = first("sla_settings", "id != ''", nil)
	w.other["sla_settings"] = w.own["sla_settings"]
	w.own["regions"] = env.Save(t, "regions", map[string]any{"name": "矩阵镇", "code": "mx-town", "kind": "乡镇"})
	w.other["regions"] = w.own["regions"]
	w.own["dispatch_rules"] = env.Save(t, "dispatch_rules", map[string]any{"name": "矩阵规则", "lead_department": env.DeptA.Id, "keywords": "矩阵"})
	w.other["dispatch_rules"] = w.own["dispatch_rules"]

	// public on X's side, unpublished on Y's side
	w.own["articles"] = env.Save(t, "articles", map[string]any{"title": "矩阵公告", "kind": "notice", "status": "published", "published_at": "2026-11-01 00:00:00.000Z"})
	w.other["articles"] = env.Save(t, "articles", map[string]any{"title": "矩阵草稿", "kind": "notice", "status": "draft"})
	w.own["knowledge"] = env.Save(t, "knowledge", map[string]any{"question": "路灯坏了找谁？", "answer": "请提交诉求。", "public": true})
	w.other["knowledge"] = env.Save(t, "knowledge", map[string]any{"question": "内部口径", "answer": "仅供内部。", "public": false})
	itemA := env.Save(t, "service_items", map[string]any{"name": "矩阵事项 A", "department": env.DeptA.Id, "active": true, "online_booking": true})
	itemC := env.Save(t, "service_items", map[string]any{"name": "矩阵事项 C", "department": env.DeptC.Id, "active": false, "online_booking": true})
	w.own["service_items"], w.other["service_items"] = itemA, itemC
	slotA := env.Save(t, "appointment_slots", map[string]any{"service_item": itemA.Id, "date": "2026-12-01", "start": "09:00", "end": "09:30", "capacity": 5})
	slotC := env.Save(t, "appointment_slots", map[string]any{"service_item": itemC.Id, "date": "2026-12-01", "start": "09:00", "end": "09:30", "capacity": 5})
	w.own["appointment_slots"], w.other["appointment_slots"] = slotA, slotC
	w.own["appointments"] = env.Save(t, "appointments", map[string]any{"slot": slotA.Id, "service_item": itemA.Id, "name": nameX, "phone": phoneX, "code_hash": strings.Repeat("a", 64), "status": "booked"})
	w.other["appointments"] = env.Save(t, "appointments", map[string]any{"slot": slotC.Id, "service_item": itemC.Id, "name": nameY, "phone": phoneY, "code_hash": strings.Repeat("b", 64), "status": "booked"})
	return w
}

func (w *world) issue(t *testing.T, kind, dept string) (secret, id string) {
	t.Helper()
	r := w.Call(t, "POST", "/api/integrations/keys", map[string]any{"name": "矩阵" + kind + dept, "kind": kind, "department": dept}, w.Admin)
	if r.Status != http.StatusCreated {
		t.Fatalf("issue key: %d %s", r.Status, r.Body)
	}
	var out struct{ ID, Key string }
	r.JSON(t, &out)
	return out.Key, out.ID
}

// pngFile is a small real PNG image.
func pngFile(t testing.TB, name string) *filesystem.File {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	f, err := filesystem.NewFileFromBytes(buf.Bytes(), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
