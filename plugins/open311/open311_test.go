package open311_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// fixture is an Env with two services (one with attributes, one hidden)
// and an Open311 key, an upper-platform key and a revoked key.
type fixture struct {
	*testenv.Env
	key, upperKey, revokedKey string
	upperKeyID                string
}

const attrsJSON = `[
 {"code":"lamp_no","datatype":"string","required":true,"description":"路灯编号","order":1},
 {"code":"hours","datatype":"number","required":false,"description":"不亮多久（小时）","order":3},
 {"code":"side","datatype":"singlevaluelist","required":false,"description":"哪一侧","order":2,
  "values":[{"key":"n","name":"北侧"},{"key":"s","name":"南侧"}]},
 {"code":"issues","datatype":"multivaluelist","required":false,"description":"问题","order":4,
  "values":[{"key":"dark","name":"不亮"},{"key":"flicker","name":"闪烁"},{"key":"broken","name":"灯杆损坏"}]}
]`

func newFixture(t testing.TB) *fixture {
	t.Helper()
	env := testenv.New(t)
	parent := env.Save(t, "categories", map[string]any{"name": "测试市政", "code": "t-city", "public": true, "sort": 100})
	env.Save(t, "categories", map[string]any{"name": "测试路灯", "code": "t-lamp", "public": true, "sort": 101,
		"parent": parent.Id, "keywords": "路灯 照明，不亮", "attributes": attrsJSON})
	env.Save(t, "categories", map[string]any{"name": "测试内部", "code": "t-internal", "public": false, "sort": 102})
	f := &fixture{Env: env}
	f.key, _ = issueKey(t, env, "测试 Open311 客户端", "open311")
	f.upperKey, f.upperKeyID = issueKey(t, env, "测试上级平台", "upper_platform")
	var revokedID string
	f.revokedKey, revokedID = issueKey(t, env, "已停用", "open311")
	if r := env.Call(t, "POST", "/api/integrations/keys/"+revokedID+"/revoke", nil, env.Admin); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	return f
}

// issueKey creates a key through the admin endpoint.
func issueKey(t testing.TB, env *testenv.Env, name, kind string) (secret, id string) {
	t.Helper()
	r := env.Call(t, "POST", "/api/integrations/keys", map[string]any{"name": name, "kind": kind}, env.Admin)
	if r.Status != http.StatusCreated {
		t.Fatalf("issue key: %d %s", r.Status, r.Body)
	}
	var out struct{ ID, Key string }
	r.JSON(t, &out)
	return out.Key, out.ID
}

// post sends a form-encoded POST requests.{format}.
func (f *fixture) post(t testing.TB, format string, form url.Values) testenv.Response {
	t.Helper()
	return f.Call(t, "POST", "/open311/v2/requests."+format, form.Encode(), nil, "Content-Type", "application/x-www-form-urlencoded")
}

// validForm is a request that passes every check.
func (f *fixture) validForm() url.Values {
	return url.Values{
		"api_key":             {f.key},
		"service_code":        {"t-lamp"},
		"lat":                 {"33.7234567"},
		"long":                {"118.6812345"},
		"address_string":      {"众兴街道幸福小区北门"},
		"description":         {"幸福小区北门路灯已经坏了一个月，晚上出行很不安全，我是李四，电话13912345678。"},
		"first_name":          {"四"},
		"last_name":           {"李"},
		"phone":               {"139 1234 5678"},
		"email":               {"lisi@example.com"},
		"media_url":           {"https://img.example.com/lamp.jpg"},
		"attribute[lamp_no]":  {"SY-0231"},
		"attribute[side]":     {"n"},
		"attribute[issues][]": {"dark", "flicker"},
	}
}

type created struct {
	ServiceRequestID string `json:"service_request_id"`
	ServiceNotice    string `json:"service_notice"`
	Token            string `json:"token"`
	QueryCode        string `json:"query_code"`
}

func (f *fixture) create(t testing.TB, form url.Values) created {
	t.Helper()
	r := f.post(t, "json", form)
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var out []created
	r.JSON(t, &out)
	if len(out) != 1 || !strings.HasPrefix(out[0].ServiceRequestID, "SY") {
		t.Fatalf("create answer: %s", r.Body)
	}
	return out[0]
}

func (f *fixture) appeal(t testing.TB, ticket string) *core.Record {
	t.Helper()
	a, err := workflow.FindAppeal(f.App, ticket)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// wellFormed checks the body is valid XML or JSON of the expected root.
func wellFormed(t testing.TB, format, root, body string) {
	t.Helper()
	if format == "xml" {
		if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(body, "<"+root+">") {
			t.Fatalf("xml root %s: %s", root, body)
		}
		dec := xml.NewDecoder(strings.NewReader(body))
		for {
			if _, err := dec.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("bad xml: %v\n%s", err, body)
				}
				return
			}
		}
	}
	if !json.Valid([]byte(body)) {
		t.Fatalf("bad json: %s", body)
	}
}

func TestDiscoveryAndServices(t *testing.T) {
	f := newFixture(t)
	for _, format := range []string{"xml", "json"} {
		r := f.Call(t, "GET", "/open311/v2/discovery."+format, nil, nil)
		if r.Status != 200 || !strings.Contains(r.Body, "http://wiki.open311.org/GeoReport_v2") || !strings.Contains(r.Body, "/open311/v2") {
			t.Fatalf("discovery.%s: %d %s", format, r.Status, r.Body)
		}
		wellFormed(t, format, "discovery", r.Body)

		r = f.Call(t, "GET", "/open311/v2/services."+format, nil, nil)
		wellFormed(t, format, "services", r.Body)
		if r.Status != 200 || !strings.Contains(r.Body, "t-lamp") || strings.Contains(r.Body, "t-internal") {
			t.Fatalf("services.%s: %d %s", format, r.Status, r.Body)
		}

		r = f.Call(t, "GET", "/open311/v2/services/t-lamp."+format, nil, nil)
		wellFormed(t, format, "service_definition", r.Body)
		if r.Status != 200 || !strings.Contains(r.Body, "lamp_no") || !strings.Contains(r.Body, "flicker") {
			t.Fatalf("definition.%s: %d %s", format, r.Status, r.Body)
		}
	}

	var services []map[string]any
	f.Call(t, "GET", "/open311/v2/services.json", nil, nil).JSON(t, &services)
	found := false
	for _, s := range services {
		if s["service_code"] == "t-lamp" {
			found = true
			if s["metadata"] != true || s["type"] != "realtime" || s["group"] != "测试市政" || s["keywords"] != "路灯, 照明, 不亮" {
				t.Fatalf("service: %v", s)
			}
		}
	}
	if !found {
		t.Fatal("t-lamp missing")
	}

	var def struct {
		ServiceCode string `json:"service_code"`
		Attributes  []struct {
			Code     string `json:"code"`
			Datatype string `json:"datatype"`
			Required bool   `json:"required"`
			Order    int    `json:"order"`
			Variable bool   `json:"variable"`
			Values   []struct{ Key, Name string }
		} `json:"attributes"`
	}
	f.Call(t, "GET", "/open311/v2/services/t-lamp.json", nil, nil).JSON(t, &def)
	if len(def.Attributes) != 4 || def.Attributes[0].Code != "lamp_no" || def.Attributes[1].Code != "side" ||
		!def.Attributes[0].Required || def.Attributes[1].Values[1].Name != "南侧" || !def.Attributes[3].Variable {
		t.Fatalf("definition: %+v", def)
	}

	r := f.Call(t, "GET", "/open311/v2/services/t-lamp.xml", nil, nil)
	if !strings.Contains(r.Body, "<attribute><variable>true</variable><code>lamp_no</code><datatype>string</datatype><required>true</required>") ||
		!strings.Contains(r.Body, "<values><value><key>n</key><name>北侧</name></value>") {
		t.Fatalf("definition xml: %s", r.Body)
	}
}

// TestErrors runs each error of the API in both formats, each on its own
// copy of the fixture's database (tests.ApiScenario).
func TestErrors(t *testing.T) {
	f := newFixture(t)
	dup := f.validForm()
	dup.Set("api_key", f.upperKey)
	dup.Set("external_id", "JS12345-0001")
	f.create(t, dup)

	with := func(change func(url.Values)) string {
		form := f.validForm()
		change(form)
		return form.Encode()
	}
	cases := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"no key", "POST", "requests", with(func(v url.Values) { v.Del("api_key") }), 403, "api_key is required"},
		{"bad key", "POST", "requests", with(func(v url.Values) { v.Set("api_key", "syk_nope") }), 403, "Invalid api_key"},
		{"revoked key", "POST", "requests", with(func(v url.Values) { v.Set("api_key", f.revokedKey) }), 403, "Invalid api_key"},
		{"no service", "POST", "requests", with(func(v url.Values) { v.Del("service_code") }), 400, "service_code was not provided"},
		{"unknown service", "POST", "requests", with(func(v url.Values) { v.Set("service_code", "nope") }), 400, "service_code not found"},
		{"hidden service", "POST", "requests", with(func(v url.Values) { v.Set("service_code", "t-internal") }), 400, "service_code not found"},
		{"no place", "POST", "requests", with(func(v url.Values) { v.Del("lat"); v.Del("long"); v.Del("address_string") }), 400, "lat &amp; long, or address_string, is required"},
		{"half a place", "POST", "requests", with(func(v url.Values) { v.Del("long") }), 400, "lat and long must both be given"},
		{"bad phone", "POST", "requests", with(func(v url.Values) { v.Set("phone", "12345") }), 400, "phone: "},
		{"no phone", "POST", "requests", with(func(v url.Values) { v.Del("phone") }), 400, "phone was not provided"},
		{"no description", "POST", "requests", with(func(v url.Values) { v.Del("description") }), 400, "description was not provided"},
		{"short description", "POST", "requests", with(func(v url.Values) { v.Set("description", "灯坏了") }), 400, "description: "},
		{"required attribute", "POST", "requests", with(func(v url.Values) { v.Del("attribute[lamp_no]") }), 400, "attribute[lamp_no] is required"},
		{"list value", "POST", "requests", with(func(v url.Values) { v.Set("attribute[side]", "x") }), 400, "attribute[side]: value x is not one of the listed keys"},
		{"two single values", "POST", "requests", with(func(v url.Values) { v["attribute[side][]"] = []string{"n", "s"} }), 400, "attribute[side]: only one value is allowed"},
		{"number", "POST", "requests", with(func(v url.Values) { v.Set("attribute[hours]", "many") }), 400, "attribute[hours]: must be a number"},
		{"unknown attribute", "POST", "requests", with(func(v url.Values) { v.Set("attribute[color]", "red") }), 400, "attribute[color] is not defined"},
		{"bad media", "POST", "requests", with(func(v url.Values) { v.Set("media_url", "javascript:alert(1)") }), 400, "media_url must be an http(s) URL"},
		{"duplicate external id", "POST", "requests", dup.Encode(), 409, "external_id JS12345-0001 was already submitted"},
		{"no such request", "GET", "requests/SY0000000000", "", 404, "service_request_id not found"},
		{"no such service", "GET", "services/nope", "", 404, "service_code not found"},
		{"no such token", "GET", "tokens/nope", "", 404, "token not found"},
		{"window too wide", "GET", "requests", "", 400, "may not span more than 90 days"},
		{"bad date", "GET", "servicerequestupdates", "", 400, "start_date must be an ISO 8601 datetime"},
		{"bad status", "GET", "requests", "", 400, "status must be open or closed"},
		{"bad key on get", "GET", "requests", "", 403, "Invalid api_key"},
		{"unknown resource", "GET", "nope", "", 404, "resource not found"},
		{"post elsewhere", "POST", "services", with(func(url.Values) {}), 404, "resource not found"},
	}
	query := map[string]string{
		"window too wide": "?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-04-02T00:00:00%2B08:00",
		"bad date":        "?start_date=yesterday",
		"bad status":      "?status=pending",
		"bad key on get":  "?api_key=syk_nope",
	}
	var scenarios []tests.ApiScenario
	for _, c := range cases {
		for _, format := range []string{"xml", "json"} {
			want := []string{c.want}
			if format == "xml" {
				want = append(want, "<errors><error><code>", "</description></error></errors>")
			} else {
				want = []string{strings.ReplaceAll(c.want, "&amp;", "&"), `[{"code":`}
			}
			sc := tests.ApiScenario{
				Name: c.name + " " + format, Method: c.method,
				URL:             "/open311/v2/" + c.path + "." + format + query[c.name],
				ExpectedStatus:  c.status,
				ExpectedContent: want,
			}
			if c.method == "POST" {
				sc.Body = strings.NewReader(c.body)
				sc.Headers = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
			}
			scenarios = append(scenarios, sc)
		}
	}
	for _, sc := range scenarios {
		sc.TestAppFactory = func(t testing.TB) *tests.TestApp { return testenv.Reopen(t, f.App.DataDir()).App }
		sc.DisableTestAppCleanup = true
		sc.Test(t)
	}
}

func TestCreateTokenReadRoundTrip(t *testing.T) {
	f := newFixture(t)
	c := f.create(t, f.validForm())
	if c.Token == "" || len(c.QueryCode) != 6 || !strings.Contains(c.ServiceNotice, c.ServiceRequestID) {
		t.Fatalf("answer: %+v", c)
	}
	a := f.appeal(t, c.ServiceRequestID)
	var attrs map[string]any
	_ = json.Unmarshal([]byte(a.GetString("attributes")), &attrs)
	if a.GetString("channel") != "open311" || a.GetString("status") != "submitted" || a.GetString("contact_phone") != "13912345678" ||
		a.GetString("contact_name") != "李四" || a.GetString("contact_email") != "lisi@example.com" ||
		a.GetString("media_url") != "https://img.example.com/lamp.jpg" || a.GetString("title") != "幸福小区北门路灯已经坏了一个月，晚上出行很不安全，我是李四" ||
		attrs["lamp_no"] != "SY-0231" || attrs["side"] != "n" || len(attrs["issues"].([]any)) != 2 {
		t.Fatalf("appeal: %v attrs %v", a.FieldsData(), attrs)
	}

	// the token answers the id, in both formats
	r := f.Call(t, "GET", "/open311/v2/tokens/"+c.Token+".json", nil, nil)
	if r.Status != 200 || !strings.Contains(r.Body, `"service_request_id":"`+c.ServiceRequestID+`"`) {
		t.Fatalf("token: %d %s", r.Status, r.Body)
	}
	r = f.Call(t, "GET", "/open311/v2/tokens/"+c.Token+".xml", nil, nil)
	if !strings.Contains(r.Body, "<service_requests><request><service_request_id>"+c.ServiceRequestID+"</service_request_id><token>") {
		t.Fatalf("token xml: %s", r.Body)
	}

	// waiting for review: only the client whose key submitted it sees it
	if r := f.Call(t, "GET", "/open311/v2/requests/"+c.ServiceRequestID+".json", nil, nil); r.Status != 404 {
		t.Fatalf("unreviewed is public: %d %s", r.Status, r.Body)
	}
	r = f.Call(t, "GET", "/open311/v2/requests/"+c.ServiceRequestID+".json?api_key="+url.QueryEscape(f.key), nil, nil)
	if r.Status != 200 || !strings.Contains(r.Body, `"status":"open"`) || !strings.Contains(r.Body, `"status_notes":"待受理"`) {
		t.Fatalf("own request: %d %s", r.Status, r.Body)
	}
	if r := f.Call(t, "GET", "/open311/v2/requests/"+c.ServiceRequestID+".json?api_key="+url.QueryEscape(f.upperKey), nil, nil); r.Status != 404 {
		t.Fatalf("another client sees it: %d", r.Status)
	}

	f.Do(t, a, "accept", f.Operator, workflow.Input{})
	for _, format := range []string{"xml", "json"} {
		r := f.Call(t, "GET", "/open311/v2/requests/"+c.ServiceRequestID+"."+format, nil, nil)
		wellFormed(t, format, "service_requests", r.Body)
		if r.Status != 200 || !strings.Contains(r.Body, c.ServiceRequestID) || !strings.Contains(r.Body, "待派单") || !strings.Contains(r.Body, "+08:00") {
			t.Fatalf("read %s: %d %s", format, r.Status, r.Body)
		}
		noContact(t, r.Body)
	}
	var got []map[string]any
	f.Call(t, "GET", "/open311/v2/requests/"+c.ServiceRequestID+".json", nil, nil).JSON(t, &got)
	if got[0]["lat"] != 33.723 || got[0]["long"] != 118.681 || got[0]["service_code"] != "t-lamp" || got[0]["media_url"] != "https://img.example.com/lamp.jpg" {
		t.Fatalf("request: %v", got[0])
	}
}

// noContact fails when a public answer carries the resident's contact data.
func noContact(t testing.TB, body string) {
	t.Helper()
	for _, s := range []string{"13912345678", "139 1234 5678", "李四", "lisi@example.com", "contact", "query_code"} {
		if strings.Contains(body, s) {
			t.Fatalf("public answer contains %q: %s", s, body)
		}
	}
}

func TestExternalIDIsStoredAndUniquePerSource(t *testing.T) {
	f := newFixture(t)
	form := f.validForm()
	form.Set("api_key", f.upperKey)
	form.Set("external_id", "JS-77")
	c := f.create(t, form)
	a := f.appeal(t, c.ServiceRequestID)
	if a.GetString("external_id") != "JS-77" || a.GetString("external_source") != f.upperKeyID {
		t.Fatalf("external: %q %q", a.GetString("external_id"), a.GetString("external_source"))
	}
	if r := f.post(t, "json", form); r.Status != http.StatusConflict || !strings.Contains(r.Body, c.ServiceRequestID) {
		t.Fatalf("duplicate: %d %s", r.Status, r.Body)
	}
	// another source may use the same id of its own
	form.Set("api_key", f.key)
	f.create(t, form)
}

func TestListShowsOnlyPublicCasesWithoutContactData(t *testing.T) {
	f := newFixture(t)
	public := f.Reach(t, workflow.Callback) // replied, reply approved
	sub := testenv.SampleSubmission()
	sub.Confidential = true
	secret := f.ReachWith(t, workflow.Handling, sub)
	sub = testenv.SampleSubmission()
	sub.PublicConsent = false
	private := f.ReachWith(t, workflow.Handling, sub)
	waiting := f.Reach(t, workflow.Submitted)

	var list []map[string]any
	f.Call(t, "GET", "/open311/v2/requests.json", nil, nil).JSON(t, &list)
	tickets := map[string]map[string]any{}
	for _, r := range list {
		tickets[r["service_request_id"].(string)] = r
	}
	if _, ok := tickets[public.GetString("ticket")]; !ok || len(tickets) != 1 {
		t.Fatalf("visible: %v (want only %s; not %s %s %s)", tickets, public.GetString("ticket"),
			secret.GetString("ticket"), private.GetString("ticket"), waiting.GetString("ticket"))
	}
	p := tickets[public.GetString("ticket")]
	if p["status"] != "closed" || p["status_notes"] != "待回访" || p["agency_responsible"] != "测试住建局" ||
		!strings.Contains(p["reply"].(string), "路灯线路老化") || !strings.Contains(p["description"].(string), "李*") {
		t.Fatalf("public request: %v", p)
	}
	for _, path := range []string{"requests.json", "requests.xml", "servicerequestupdates.json", "servicerequestupdates.xml",
		"requests/" + secret.GetString("ticket") + ".json", "requests/" + private.GetString("ticket") + ".xml"} {
		r := f.Call(t, "GET", "/open311/v2/"+path, nil, nil)
		noContact(t, r.Body)
		for _, hidden := range []*core.Record{secret, private, waiting} {
			if strings.Contains(r.Body, hidden.GetString("ticket")) {
				t.Fatalf("%s shows %s: %s", path, hidden.GetString("ticket"), r.Body)
			}
		}
	}

	// filters: service_request_id list, status, service_code, bbox
	check := func(query string, want int) {
		t.Helper()
		var l []map[string]any
		r := f.Call(t, "GET", "/open311/v2/requests.json?"+query, nil, nil)
		r.JSON(t, &l)
		if len(l) != want {
			t.Fatalf("%s: %d results, want %d: %s", query, len(l), want, r.Body)
		}
	}
	check("service_request_id="+public.GetString("ticket")+","+secret.GetString("ticket"), 1)
	check("status=closed", 1)
	check("status=open", 0)
	check("status=open,closed", 1)
	check("service_code=t-lamp", 0)
	check("page=2&page_size=1", 0)
	check("page=1&page_size=1", 1)

	located := f.create(t, f.validForm())
	f.Do(t, f.appeal(t, located.ServiceRequestID), "accept", f.Operator, workflow.Input{})
	check("service_code=t-lamp", 1)
	check("bbox=118.6,33.7,118.7,33.8", 1)
	check("bbox=118.7,33.7,118.8,33.8", 0)
}

func TestNinetyDayWindow(t *testing.T) {
	f := newFixture(t)
	old := f.Reach(t, workflow.Accepted)
	recent := f.Reach(t, workflow.Accepted)
	oldTime := testenv.DefaultNow.AddDate(0, 0, -100).UTC().Format("2006-01-02 15:04:05.000Z")
	if _, err := f.App.DB().NewQuery("UPDATE appeals SET created = {:t} WHERE id = {:id}").
		Bind(map[string]any{"t": oldTime, "id": old.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	body := func(query string) string {
		r := f.Call(t, "GET", "/open311/v2/requests.json"+query, nil, nil)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", query, r.Status, r.Body)
		}
		return r.Body
	}
	// default: the most recent 90 days
	if b := body(""); strings.Contains(b, old.GetString("ticket")) || !strings.Contains(b, recent.GetString("ticket")) {
		t.Fatalf("default window: %s", b)
	}
	start := testenv.DefaultNow.AddDate(0, 0, -110)
	q := "?start_date=" + url.QueryEscape(start.Format(time.RFC3339)) + "&end_date=" + url.QueryEscape(start.AddDate(0, 0, 90).Format(time.RFC3339))
	if b := body(q); !strings.Contains(b, old.GetString("ticket")) || strings.Contains(b, recent.GetString("ticket")) {
		t.Fatalf("explicit window: %s", b)
	}
	// start alone: 90 days from it
	if b := body("?start_date=" + start.Format("2006-01-02")); !strings.Contains(b, old.GetString("ticket")) || strings.Contains(b, recent.GetString("ticket")) {
		t.Fatalf("start only: %s", b)
	}
	q = "?start_date=" + url.QueryEscape(start.Format(time.RFC3339)) + "&end_date=" + url.QueryEscape(start.AddDate(0, 0, 91).Format(time.RFC3339))
	if r := f.Call(t, "GET", "/open311/v2/servicerequestupdates.xml"+q, nil, nil); r.Status != 400 {
		t.Fatalf("91 days: %d %s", r.Status, r.Body)
	}
}

func TestServiceRequestUpdatesArePublicTimelineOnly(t *testing.T) {
	f := newFixture(t)
	a := f.Reach(t, workflow.Handling)
	f.Do(t, a, "assist_sign", f.HandlerB, workflow.Input{}) // internal entry
	f.Do(t, a, "reply", f.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已更换。联系人李四满意。"})
	f.Do(t, a, "approve_reply", f.Operator, workflow.Input{Note: "内部审核意见"})

	var updates []map[string]any
	r := f.Call(t, "GET", "/open311/v2/servicerequestupdates.json?service_request_id="+a.GetString("ticket"), nil, nil)
	r.JSON(t, &updates)
	var actions []string
	for _, u := range updates {
		if u["service_request_id"] != a.GetString("ticket") || u["update_id"] == "" || !strings.HasSuffix(u["updated_datetime"].(string), "+08:00") {
			t.Fatalf("update: %v", u)
		}
		actions = append(actions, u["status_notes"].(string))
	}
	// submit, accept, dispatch, sign, reply, approve_reply: assist_sign is internal
	if len(updates) != 6 || strings.Contains(r.Body, "内部审核意见") || strings.Contains(r.Body, "协办签收") {
		t.Fatalf("updates %v: %s", actions, r.Body)
	}
	last := updates[len(updates)-1]
	if last["status"] != "closed" || !strings.Contains(last["description"].(string), "路灯线路老化") || !strings.Contains(last["description"].(string), "李*") {
		t.Fatalf("approved reply update: %v", last)
	}
	noContact(t, r.Body)
	r = f.Call(t, "GET", "/open311/v2/servicerequestupdates.xml", nil, nil)
	wellFormed(t, "xml", "service_requests_updates", r.Body)
	if !strings.Contains(r.Body, "<request_update><update_id>") {
		t.Fatalf("xml: %s", r.Body)
	}
}

// A path without a supported format is refused in XML, the spec's default.
func TestFormatErrors(t *testing.T) {
	f := newFixture(t)
	for path, want := range map[string]string{
		"/open311/v2/requests.csv":         "format not supported: use .xml or .json",
		"/open311/v2/services":             "format (.xml or .json) is required",
		"/open311/v2/services/t-lamp.html": "format not supported: use .xml or .json",
	} {
		r := f.Call(t, "GET", path, nil, nil)
		if r.Status != 404 || !strings.Contains(r.Body, "<errors><error><code>404</code><description>"+want+"</description></error></errors>") {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
}
