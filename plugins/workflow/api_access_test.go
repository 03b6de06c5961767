package workflow_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// contactMarkers are the sample resident's name and phone: none may leak.
var contactMarkers = []string{"李四", "13912345678"}

// TestHandlerSeesOnlyOwnDepartment: a handler of department C can neither
// list, view nor act on a case led by A and assisted by B.
func TestHandlerSeesOnlyOwnDepartment(t *testing.T) {
	env := testenv.New(t)
	theirs := env.Reach(t, workflow.Handling) // A leads, B assists
	mine := env.Reach(t, workflow.Accepted)
	env.Do(t, mine, "dispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})

	// list: only C's own case
	for _, collection := range []string{"appeals", "assignments", "appeal_events", "replies", "extensions"} {
		res := env.Call(t, "GET", "/api/collections/"+collection+"/records?perPage=500", nil, env.HandlerC)
		if res.Status != 200 {
			t.Fatalf("list %s: %d %s", collection, res.Status, res.Body)
		}
		if strings.Contains(res.Body, theirs.Id) {
			t.Errorf("handler C sees A's case in %s: %s", collection, res.Body)
		}
	}
	res := env.Call(t, "GET", "/api/collections/appeals/records", nil, env.HandlerC)
	if !strings.Contains(res.Body, mine.Id) {
		t.Errorf("handler C does not see its own case: %s", res.Body)
	}

	// view, contact and every action: 404, as if the case did not exist
	if res := env.Call(t, "GET", "/api/collections/appeals/records/"+theirs.Id, nil, env.HandlerC); res.Status != 404 {
		t.Errorf("view: got %d", res.Status)
	}
	if res := env.Call(t, "GET", "/api/appeals/"+theirs.Id+"/contact", nil, env.HandlerC); res.Status != 404 {
		t.Errorf("contact: got %d", res.Status)
	}
	for _, a := range workflow.Table {
		res := env.Call(t, "POST", "/api/appeals/"+theirs.Id+"/actions/"+a.Name, validInput(env, a.Name), env.HandlerC)
		if res.Status != 404 {
			t.Errorf("handler C %s on A's case: got %d %s", a.Name, res.Status, res.Body)
		}
	}
	// and the assisting department sees the case but not the resident's contact
	if res := env.Call(t, "GET", "/api/collections/appeals/records/"+theirs.Id, nil, env.HandlerB); res.Status != 200 {
		t.Errorf("assisting department cannot view its case: %d", res.Status)
	}
	if res := env.Call(t, "GET", "/api/appeals/"+theirs.Id+"/contact", nil, env.HandlerB); res.Status != 403 {
		t.Errorf("assisting department contact: got %d", res.Status)
	}
}

// TestNoContactDataOnAnyReadEndpoint reads every collection and custom read
// endpoint as a guest, another resident and every staff role, and checks
// the resident's name and phone appear nowhere (the contact endpoint aside).
func TestNoContactDataOnAnyReadEndpoint(t *testing.T) {
	env := testenv.New(t)
	a := env.Reach(t, workflow.Closed)
	collections := []string{"appeals", "assignments", "appeal_events", "replies", "extensions", "callbacks", "public_appeals", "audit_log", "departments", "staff"}
	readers := map[string]*core.Record{
		"guest": nil, "other resident": env.OtherResident, "operator": env.Operator, "supervisor": env.Supervisor,
		"admin": env.Admin, "lead handler": env.HandlerA, "assisting handler": env.HandlerB, "unrelated handler": env.HandlerC,
	}
	for who, reader := range readers {
		for _, c := range collections {
			for _, url := range []string{"/api/collections/" + c + "/records?perPage=500&expand=appeal", "/api/collections/" + c + "/records/" + a.Id} {
				res := env.Call(t, "GET", url, nil, reader)
				for _, m := range contactMarkers[1:] { // the phone; names are checked below on raw fields
					if strings.Contains(res.Body, m) && !ownText(c, who) {
						t.Errorf("%s reads %s via %s: %s", who, m, url, res.Body)
					}
				}
				if strings.Contains(res.Body, `"contact_phone"`) || strings.Contains(res.Body, `"contact_name"`) || strings.Contains(res.Body, "query_code_hash") {
					t.Errorf("%s gets a contact field via %s", who, url)
				}
			}
		}
		res := env.Call(t, "GET", "/api/workflow", nil, reader)
		if strings.Contains(res.Body, "13912345678") {
			t.Errorf("workflow table leaks contact data")
		}
	}
	// the public view masks what the resident typed into the text
	res := env.Call(t, "GET", "/api/collections/public_appeals/records", nil, nil)
	if !strings.Contains(res.Body, "139****5678") || !strings.Contains(res.Body, "李*") {
		t.Errorf("public view is not masked as expected: %s", res.Body)
	}
	for _, m := range contactMarkers {
		if strings.Contains(res.Body, m) {
			t.Errorf("public view leaks %s: %s", m, res.Body)
		}
	}
}

// ownText: staff of the owning departments and the platform read the case's
// own text, in which the sample resident typed their phone number; what is
// checked for them is that no contact *field* is served.
func ownText(collection, who string) bool {
	if collection != "appeals" && collection != "appeal_events" && collection != "assignments" && collection != "replies" && collection != "extensions" && collection != "callbacks" {
		return false
	}
	switch who {
	case "operator", "supervisor", "admin", "lead handler", "assisting handler":
		return true
	}
	return false
}

// TestContactRevealIsAudited: operators and the lead department see the
// contact data; each view is one audit_log row; an anonymous appeal hides it
// from the department.
func TestContactRevealIsAudited(t *testing.T) {
	env := testenv.New(t)
	a := env.Reach(t, workflow.Handling)
	for _, who := range []*core.Record{env.Operator, env.HandlerA} {
		res := env.Call(t, "GET", "/api/appeals/"+a.Id+"/contact", nil, who)
		if res.Status != 200 || !strings.Contains(res.Body, "13912345678") || !strings.Contains(res.Body, "李四") {
			t.Fatalf("contact for %s: %d %s", who.GetString("role"), res.Status, res.Body)
		}
	}
	rows, err := env.App.FindAllRecords("audit_log")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("want 2 audit rows, got %d", len(rows))
	}
	for _, r := range rows {
		if r.GetString("action") != "contact.view" || r.GetString("target_id") != a.Id || strings.Contains(r.GetString("detail"), "1391234") {
			t.Errorf("unexpected audit row %v", r.PublicExport())
		}
	}
	for _, who := range []*core.Record{nil, env.Resident} {
		if res := env.Call(t, "GET", "/api/appeals/"+a.Id+"/contact", nil, who); res.Status != 401 && res.Status != 403 {
			t.Errorf("contact for non-staff: %d", res.Status)
		}
	}

	sub := testenv.SampleSubmission()
	sub.Anonymous = true
	anon := env.ReachWith(t, workflow.Handling, sub)
	if res := env.Call(t, "GET", "/api/appeals/"+anon.Id+"/contact", nil, env.HandlerA); res.Status != 403 {
		t.Errorf("anonymous appeal contact for the department: %d %s", res.Status, res.Body)
	}
	if res := env.Call(t, "GET", "/api/appeals/"+anon.Id+"/contact", nil, env.Operator); res.Status != 200 {
		t.Errorf("anonymous appeal contact for the operator: %d", res.Status)
	}
}

// TestConfidentialAndUnconsentedAppealsAreNeverPublic.
func TestConfidentialAndUnconsentedAppealsAreNeverPublic(t *testing.T) {
	env := testenv.New(t)
	public := env.Reach(t, workflow.Accepted)
	secret := testenv.SampleSubmission()
	secret.Confidential = true
	hidden := env.ReachWith(t, workflow.Closed, secret)
	private := testenv.SampleSubmission()
	private.PublicConsent = false
	unconsented := env.ReachWith(t, workflow.Closed, private)
	unreviewed := env.Reach(t, workflow.Submitted)

	res := env.Call(t, "GET", "/api/collections/public_appeals/records?perPage=500", nil, nil)
	if !strings.Contains(res.Body, public.Id) {
		t.Errorf("accepted public appeal missing from the public view")
	}
	for name, a := range map[string]*core.Record{"保密": hidden, "no consent": unconsented, "not yet accepted": unreviewed} {
		if strings.Contains(res.Body, a.Id) {
			t.Errorf("%s appeal is public", name)
		}
		if r := env.Call(t, "GET", "/api/collections/public_appeals/records/"+a.Id, nil, nil); r.Status != 404 {
			t.Errorf("%s appeal viewable publicly: %d", name, r.Status)
		}
	}
}

// TestRestWritesRefused: status and every other workflow field can only
// change through actions, even for a superuser using the record API.
func TestRestWritesRefused(t *testing.T) {
	env := testenv.New(t)
	a := env.Reach(t, workflow.Handling)
	superuser := env.Superuser(t)
	for _, who := range []*core.Record{superuser, env.Operator, env.HandlerA, env.Resident} {
		for _, req := range []struct{ method, url, body string }{
			{"PATCH", "/api/collections/appeals/records/" + a.Id, `{"status":"closed"}`},
			{"DELETE", "/api/collections/appeals/records/" + a.Id, ``},
			{"POST", "/api/collections/appeals/records", `{"ticket":"SY0000000001","status":"closed","kind":"consult","title":"伪造工单","content":"伪造的工单内容内容","channel":"web","priority":"normal"}`},
			{"POST", "/api/collections/appeal_events/records", `{"appeal":"` + a.Id + `","action":"accept","actor_role":"system"}`},
			{"POST", "/api/collections/assignments/records", `{"appeal":"` + a.Id + `","department":"` + env.DeptC.Id + `","role":"lead","status":"pending"}`},
		} {
			res := env.Call(t, req.method, req.url, req.body, who)
			if res.Status < 400 {
				t.Errorf("%s %s as %s: %d %s", req.method, req.url, who.Collection().Name, res.Status, res.Body)
			}
		}
	}
	after, _ := env.App.FindRecordById("appeals", a.Id)
	if after.GetString("status") != string(workflow.Handling) {
		t.Errorf("status changed through the record API: %s", after.GetString("status"))
	}
	if n, _ := env.App.CountRecords("appeals"); n != 1 {
		t.Errorf("a record-API create went through: %d appeals", n)
	}
}

// TestTrackByTicketAndCode: the resident's own view without an account.
func TestTrackByTicketAndCode(t *testing.T) {
	env := testenv.New(t)
	a, code := env.Submit(t, testenv.SampleSubmission())
	env.Do(t, a, "accept", env.Operator, workflow.Input{})
	ticket := a.GetString("ticket")

	res := env.Call(t, "POST", "/api/track", map[string]string{"ticket": strings.ToLower(ticket), "query_code": strings.ToLower(code)}, nil)
	if res.Status != 200 {
		t.Fatalf("track: %d %s", res.Status, res.Body)
	}
	var view struct {
		Status       string `json:"status_label"`
		ContactPhone string `json:"contact_phone"`
		Timeline     []struct {
			Summary string `json:"summary"`
			Note    string `json:"note"`
		} `json:"timeline"`
	}
	res.JSON(t, &view)
	if view.Status != "待派单" || view.ContactPhone != "139****5678" || len(view.Timeline) != 2 {
		t.Errorf("unexpected view: %+v", view)
	}
	for _, bad := range []map[string]string{
		{"ticket": ticket, "query_code": "AAAAAA"},
		{"ticket": "SY0000000000", "query_code": code},
	} {
		if res := env.Call(t, "POST", "/api/track", bad, nil); res.Status != 404 || !strings.Contains(res.Body, "查询码不正确") {
			t.Errorf("wrong ticket/code: %d %s", res.Status, res.Body)
		}
	}
	if res := env.Call(t, "POST", "/api/track", map[string]string{}, nil); res.Status != 400 || !strings.Contains(res.Body, "query_code") {
		t.Errorf("empty track: %d %s", res.Status, res.Body)
	}

	// the query code also lets the resident act: supplement, then rate later
	res = env.Call(t, "POST", "/api/appeals/"+ticket+"/actions/supplement", map[string]string{"content": "补充：北门第三根路灯", "query_code": code}, nil)
	if res.Status != 200 {
		t.Fatalf("supplement by code: %d %s", res.Status, res.Body)
	}
	if res := env.Call(t, "POST", "/api/appeals/"+ticket+"/actions/withdraw", map[string]string{"query_code": "WRONG1"}, nil); res.Status != 404 {
		t.Errorf("withdraw with a wrong code: %d", res.Status)
	}
	if res := env.Call(t, "POST", "/api/appeals/"+ticket+"/actions/withdraw", map[string]string{}, nil); res.Status != 401 {
		t.Errorf("withdraw without code or account: %d", res.Status)
	}
}

// TestConfigChangesAreAdminOnlyAndAudited: departments, categories, policies
// and staff are changed by staff admins only, and every change is audited.
func TestConfigChangesAreAdminOnlyAndAudited(t *testing.T) {
	env := testenv.New(t)
	body := map[string]any{"name": "县审计局", "code": "sjj", "kind": "职能部门", "active": true}
	for _, who := range []*core.Record{nil, env.Resident, env.Operator, env.Supervisor, env.HandlerA} {
		if res := env.Call(t, "POST", "/api/collections/departments/records", body, who); res.Status < 400 {
			t.Errorf("non-admin created a department: %d", res.Status)
		}
	}
	res := env.Call(t, "POST", "/api/collections/departments/records", body, env.Admin)
	if res.Status != 200 {
		t.Fatalf("admin create: %d %s", res.Status, res.Body)
	}
	var created struct {
		ID string `json:"id"`
	}
	res.JSON(t, &created)
	if res := env.Call(t, "PATCH", "/api/collections/sla_policies/records/"+policyID(t, env), map[string]any{"finish_limit": 6}, env.Admin); res.Status != 200 {
		t.Fatalf("admin policy edit: %d %s", res.Status, res.Body)
	}
	rows, _ := env.App.FindAllRecords("audit_log")
	var actions []string
	for _, r := range rows {
		actions = append(actions, r.GetString("action")+":"+r.GetString("target_collection"))
		if r.GetString("actor_id") != env.Admin.Id {
			t.Errorf("audit row without the admin as actor: %v", r.PublicExport())
		}
	}
	if strings.Join(actions, ",") != "config.create:departments,config.update:sla_policies" {
		t.Errorf("audit rows: %v", actions)
	}
}

func policyID(t *testing.T, env *testenv.Env) string {
	p, err := env.App.FindFirstRecordByData("sla_policies", "code", "normal")
	if err != nil {
		t.Fatal(err)
	}
	return p.Id
}

// TestDepartmentSystemActsAsItsHandlers: a department's system (API key,
// no login record) has exactly that department's handler rights, and the
// timeline says which channel acted.
func TestDepartmentSystemActsAsItsHandlers(t *testing.T) {
	env := testenv.New(t)
	a := env.Reach(t, workflow.Dispatched)
	other := workflow.DepartmentSystem(env.DeptC.Id, "deptapi")
	if _, err := env.Engine.Perform(env.App, workflow.Request{Appeal: a.Id, Action: "sign", Actor: other}); apiStatus(err) != 404 {
		t.Errorf("another department's system: %v", err)
	}
	res, err := env.Engine.Perform(env.App, workflow.Request{Appeal: a.Id, Action: "sign", Actor: workflow.DepartmentSystem(env.DeptA.Id, "deptapi")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Appeal.GetString("status") != "handling" || res.Event.GetString("actor_department") != env.DeptA.Id || !strings.Contains(res.Event.GetString("data"), `"via":"deptapi"`) {
		t.Errorf("event: %v", res.Event.PublicExport())
	}
}

// TestTrackShowsTheAnswer: a closed case's track view names the lead
// department and the category, shows the approved answer with its
// department, and only the public timeline entries.
func TestTrackShowsTheAnswer(t *testing.T) {
	env := testenv.New(t)
	sub := testenv.SampleSubmission()
	sub.Category = "urban"
	a := env.ReachWith(t, workflow.Closed, sub)
	a.Set("query_code_hash", workflow.HashQueryCode("QC1234"))
	if err := env.App.Save(a); err != nil {
		t.Fatal(err)
	}
	category, err := env.App.FindRecordById("categories", a.GetString("category"))
	if err != nil {
		t.Fatal(err)
	}
	res := env.Call(t, "POST", "/api/track", map[string]string{"ticket": a.GetString("ticket"), "query_code": "qc1234"}, nil)
	var view struct {
		Department string `json:"department"`
		Category   string `json:"category"`
		Reply      *struct {
			Content    string `json:"content"`
			Department string `json:"department"`
		} `json:"reply"`
		Timeline []struct {
			Action string `json:"action"`
		} `json:"timeline"`
	}
	res.JSON(t, &view)
	if view.Department != env.DeptA.GetString("name") || view.Category != category.GetString("name") {
		t.Errorf("names: %q %q, want %q %q", view.Department, view.Category, env.DeptA.GetString("name"), category.GetString("name"))
	}
	if view.Reply == nil || view.Reply.Department != env.DeptA.GetString("name") || !strings.Contains(view.Reply.Content, "路灯线路老化") {
		t.Errorf("reply: %+v", view.Reply)
	}
	var public int
	if err := env.App.DB().NewQuery("SELECT COUNT(*) FROM appeal_events WHERE appeal = {:a} AND public = 1").Bind(map[string]any{"a": a.Id}).Row(&public); err != nil {
		t.Fatal(err)
	}
	if len(view.Timeline) != public || public == 0 {
		t.Errorf("timeline: %d entries, %d public", len(view.Timeline), public)
	}
}
