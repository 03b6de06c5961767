package upstream_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/webhooks"
	"siyang/plugins/workflow"
)

const secret = "upper-platform-secret-0123456789"

// report is one progress report as the upper platform reads it.
type report struct {
	ExternalID    string `json:"external_id"`
	Ticket        string `json:"ticket"`
	Seq           int    `json:"seq"`
	Event         string `json:"event"`
	Status        string `json:"status"`
	StatusLabel   string `json:"status_label"`
	Open311Status string `json:"open311_status"`
	Summary       string `json:"summary"`
	Department    string `json:"department"`
	MergedInto    string `json:"merged_into"`
	Reply         *struct {
		Content, Department string
		ApprovedAt          string `json:"approved_at"`
	} `json:"reply"`
	OccurredAt string `json:"occurred_at"`
	ReceivedAt string `json:"received_at"`
	ClosedAt   string `json:"closed_at"`

	delivery, timestamp, signature string
	body                           string
}

// signed verifies the report's signature and timestamp as a receiver does,
// against the platform's clock.
func (r report) signed(now time.Time) bool {
	return webhooks.Verify(secret, r.timestamp, r.signature, []byte(r.body), now, 5*time.Minute)
}

// platform is the city 12345 platform's receiving end on 127.0.0.1; while
// failing it answers 503.
type platform struct {
	mu      sync.Mutex
	got     []report
	failing atomic.Bool
}

func (p *platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var rep report
	_ = json.Unmarshal(body, &rep)
	rep.delivery = r.Header.Get("X-Siyang-Delivery")
	rep.body = string(body)
	rep.timestamp, rep.signature = r.Header.Get("X-Siyang-Timestamp"), r.Header.Get("X-Siyang-Signature")
	if p.failing.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	p.mu.Lock()
	p.got = append(p.got, rep)
	p.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (p *platform) reports() []report {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]report(nil), p.got...)
}

// byExternal groups the accepted reports by the platform's ticket id.
func byExternal(list []report) map[string][]report {
	out := map[string][]report{}
	for _, r := range list {
		out[r.ExternalID] = append(out[r.ExternalID], r)
	}
	return out
}

type fixture struct {
	*testenv.Env
	upperKey, upperKeyID   string
	otherKey, otherKeyID   string
	open311Key, open311ID  string
	city, province         *platform
	events                 *platform
	cityHook, eventsHookID string
}

func issueKey(t *testing.T, env *testenv.Env, name, kind string) (secret, id string) {
	t.Helper()
	r := env.Call(t, "POST", "/api/integrations/keys", map[string]any{"name": name, "kind": kind}, env.Admin)
	if r.Status != http.StatusCreated {
		t.Fatalf("issue key: %d %s", r.Status, r.Body)
	}
	var out struct{ ID, Key string }
	r.JSON(t, &out)
	return out.Key, out.ID
}

func serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testenv.New(t)
	env.Save(t, "categories", map[string]any{"name": "测试路灯", "code": "t-lamp", "public": true, "sort": 101})
	f := &fixture{Env: env, city: &platform{}, province: &platform{}, events: &platform{}}
	f.upperKey, f.upperKeyID = issueKey(t, env, "宿迁市 12345 平台", "upper_platform")
	f.otherKey, f.otherKeyID = issueKey(t, env, "另一上级平台", "upper_platform")
	f.open311Key, f.open311ID = issueKey(t, env, "Open311 客户端", "open311")

	// the endpoints, as an admin registers them through the record API
	add := func(body map[string]any) testenv.Response {
		return env.Call(t, "POST", "/api/collections/webhooks/records", body, env.Admin)
	}
	r := add(map[string]any{"name": "宿迁市 12345 进度回传", "url": serve(t, f.city) + "/progress", "secret": secret,
		"kind": "upper_platform", "source": f.upperKeyID, "active": true})
	if r.Status != 200 {
		t.Fatalf("upper endpoint: %d %s", r.Status, r.Body)
	}
	var rec struct{ ID string }
	r.JSON(t, &rec)
	f.cityHook = rec.ID
	if r := add(map[string]any{"name": "另一上级平台进度回传", "url": serve(t, f.province) + "/progress", "secret": secret,
		"kind": "upper_platform", "source": f.otherKeyID, "active": true}); r.Status != 200 {
		t.Fatalf("second upper endpoint: %d %s", r.Status, r.Body)
	}
	r = add(map[string]any{"name": "县数据中心", "url": serve(t, f.events) + "/events", "secret": secret, "active": true})
	if r.Status != 200 {
		t.Fatalf("event webhook: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &rec)
	f.eventsHookID = rec.ID
	return f
}

// forward is the city platform sending a 转办件 through Open311.
func (f *fixture) forward(t *testing.T, key, externalID, phone string) *core.Record {
	t.Helper()
	form := url.Values{
		"api_key": {key}, "service_code": {"t-lamp"}, "address_string": {"众兴街道幸福小区北门"},
		"description": {"幸福小区北门路灯已经坏了一个月，晚上出行很不安全，我是李四，电话" + phone + "。"},
		"last_name":   {"李"}, "first_name": {"四"}, "phone": {phone},
	}
	if externalID != "" {
		form.Set("external_id", externalID)
	}
	r := f.Call(t, "POST", "/open311/v2/requests.json", form.Encode(), nil, "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != http.StatusCreated {
		t.Fatalf("forward: %d %s", r.Status, r.Body)
	}
	var out []struct {
		ID string `json:"service_request_id"`
	}
	r.JSON(t, &out)
	a, err := workflow.FindAppeal(f.App, out[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// deliver sends everything due, past any backoff.
func (f *fixture) deliver(t *testing.T) {
	t.Helper()
	f.Webhooks.Wait()
	f.SetNow(f.Now.Add(10 * time.Second))
	if _, err := f.Webhooks.DeliverDue(); err != nil {
		t.Fatal(err)
	}
}

// A 转办件 from the city platform goes round the whole loop — accept,
// dispatch, sign, reply, approve, callback, close — while the platform's
// endpoint is down for a while: it receives one signed report per step, in
// order, with its own ticket id, ours, the mapped status and, once
// approved, the answer. A 催办 is not progress. Cases from elsewhere send
// it nothing, and the other upper platform hears nothing of this one.
func TestProgressReportsForForwardedCases(t *testing.T) {
	f := newFixture(t)
	a := f.forward(t, f.upperKey, "SQ12345-20261125-0001", "13912345678")
	if a.GetString("external_id") != "SQ12345-20261125-0001" || a.GetString("external_source") != f.upperKeyID || a.GetString("channel") != "open311" {
		t.Fatalf("forwarded case: source %q id %q channel %q", a.GetString("external_source"), a.GetString("external_id"), a.GetString("channel"))
	}
	plain := f.forward(t, f.open311Key, "", "13800001111")
	web, _ := f.Submit(t, testenv.SampleSubmission())

	f.city.failing.Store(true)
	f.Do(t, a, "accept", f.Operator, workflow.Input{})
	f.Do(t, a, "dispatch", f.Operator, workflow.Input{Department: f.DeptA.Id})
	f.deliver(t)
	if n := len(f.city.reports()); n != 0 {
		t.Fatalf("a failing endpoint accepted %d", n)
	}
	f.city.failing.Store(false)
	f.Do(t, a, "urge", f.Supervisor, workflow.Input{Note: "请尽快签收"})
	f.Do(t, a, "sign", f.HandlerA, workflow.Input{})
	f.Do(t, a, "reply", f.HandlerA, workflow.Input{Content: "已联系李四（13912345678），路灯线路老化，已于今日更换完毕。"})
	f.Do(t, a, "approve_reply", f.Operator, workflow.Input{})
	f.Do(t, a, "rate", f.Operator, workflow.Input{Satisfaction: "satisfied", Resolved: ptr(true)})
	for _, other := range []*core.Record{plain, web} {
		f.Do(t, other, "accept", f.Operator, workflow.Input{})
		f.Do(t, other, "dispatch", f.Operator, workflow.Input{Department: f.DeptA.Id})
	}
	f.deliver(t)
	f.deliver(t)

	got := f.city.reports()
	want := []struct{ event, status string }{
		{"accept", "accepted"}, {"dispatch", "dispatched"}, {"sign", "processing"},
		{"reply", "processing"}, {"approve_reply", "replied"}, {"rate", "closed"},
	}
	if len(got) != len(want) {
		for _, r := range got {
			t.Logf("got %s %s %s", r.ExternalID, r.Event, r.Status)
		}
		t.Fatalf("city platform got %d reports, want %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for i, r := range got {
		if r.ExternalID != "SQ12345-20261125-0001" || r.Ticket != a.GetString("ticket") {
			t.Errorf("report %d about %s / %s", i, r.ExternalID, r.Ticket)
		}
		if r.Event != want[i].event || r.Status != want[i].status {
			t.Errorf("report %d: %s → %s, want %s → %s", i, r.Event, r.Status, want[i].event, want[i].status)
		}
		if i > 0 && r.Seq <= got[i-1].Seq {
			t.Errorf("report %d: seq %d after %d", i, r.Seq, got[i-1].Seq)
		}
		if !r.signed(*f.Now) || seen[r.delivery] {
			t.Errorf("report %d: signed %v, delivery %s twice %v", i, r.signed(*f.Now), r.delivery, seen[r.delivery])
		}
		seen[r.delivery] = true
		if !strings.HasSuffix(r.OccurredAt, "+08:00") || !strings.HasSuffix(r.ReceivedAt, "+08:00") {
			t.Errorf("report %d: timestamps %q %q", i, r.OccurredAt, r.ReceivedAt)
		}
		if strings.Contains(r.body, "13912345678") || strings.Contains(r.body, "李四") {
			t.Errorf("report %d carries contact data: %s", i, r.body)
		}
		if (r.Reply != nil) != (r.Event == "approve_reply" || r.Event == "rate") {
			t.Errorf("report %d (%s): reply %v", i, r.Event, r.Reply)
		}
	}
	if got[1].Department != "测试住建局" || got[0].Open311Status != "open" || got[5].Open311Status != "closed" || got[5].ClosedAt == "" {
		t.Errorf("dispatch department %q, statuses %s/%s, closed_at %q", got[1].Department, got[0].Open311Status, got[5].Open311Status, got[5].ClosedAt)
	}
	if r := got[4].Reply; r == nil || !strings.Contains(r.Content, "路灯线路老化") || r.Department != "测试住建局" || !strings.HasSuffix(r.ApprovedAt, "+08:00") {
		t.Errorf("answer report: %+v", r)
	}
	if n := len(f.province.reports()); n != 0 {
		t.Errorf("the other upper platform got %d reports", n)
	}
	// the event webhook keeps its own stream and never gets the reports
	for _, r := range f.events.reports() {
		if r.ExternalID != "" || !strings.Contains(r.body, `"appeal":{`) {
			t.Errorf("event webhook got a progress report: %s", r.body)
		}
	}
	if len(f.events.reports()) == 0 {
		t.Error("event webhook got nothing")
	}
}

// A forwarded case merged into a local one keeps reporting: the merge,
// then the progress and the answer of the case it follows, under its own
// ticket ids, in order.
func TestMergedForwardedCaseReportsTheCaseItFollows(t *testing.T) {
	f := newFixture(t)
	original, _ := f.Submit(t, testenv.SampleSubmission())
	f.Do(t, original, "accept", f.Operator, workflow.Input{})
	dup := f.forward(t, f.upperKey, "SQ12345-0002", "13800001111")
	f.Do(t, dup, "merge", f.Operator, workflow.Input{Target: original.GetString("ticket")})
	f.Do(t, original, "dispatch", f.Operator, workflow.Input{Department: f.DeptA.Id})
	f.Do(t, original, "sign", f.HandlerA, workflow.Input{})
	f.Do(t, original, "reply", f.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"})
	f.Do(t, original, "approve_reply", f.Operator, workflow.Input{})
	f.deliver(t)

	got := byExternal(f.city.reports())["SQ12345-0002"]
	events := []string{}
	for i, r := range got {
		events = append(events, r.Event+":"+r.Status)
		if r.Ticket != dup.GetString("ticket") || r.MergedInto != original.GetString("ticket") || !r.signed(*f.Now) {
			t.Errorf("report %d: ticket %s merged_into %s signed %v", i, r.Ticket, r.MergedInto, r.signed(*f.Now))
		}
		if i > 0 && r.Seq <= got[i-1].Seq {
			t.Errorf("report %d: seq %d after %d", i, r.Seq, got[i-1].Seq)
		}
	}
	if strings.Join(events, " ") != "merge:merged dispatch:dispatched sign:processing reply:processing approve_reply:replied" {
		t.Fatalf("reports: %v", events)
	}
	if r := got[len(got)-1].Reply; r == nil || !strings.Contains(r.Content, "路灯线路老化") {
		t.Fatalf("no answer in the last report: %+v", got[len(got)-1])
	}
}

// An upper-platform endpoint must name an upper-platform key and no
// department; an ordinary webhook names no key.
func TestEndpointValidation(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no key", map[string]any{"kind": "upper_platform"}, "source"},
		{"an Open311 key", map[string]any{"kind": "upper_platform", "source": f.open311ID}, "source"},
		{"with a department", map[string]any{"kind": "upper_platform", "source": f.upperKeyID, "department": f.DeptA.Id}, "department"},
		{"key on an event webhook", map[string]any{"source": f.upperKeyID}, "source"},
	}
	for _, c := range cases {
		body := map[string]any{"name": "测试", "url": "http://127.0.0.1:9/x", "secret": secret, "active": true}
		for k, v := range c.body {
			body[k] = v
		}
		r := f.Call(t, "POST", "/api/collections/webhooks/records", body, f.Admin)
		if r.Status != 400 || !strings.Contains(r.Body, `"`+c.field+`"`) {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
		}
	}
}

func ptr[T any](v T) *T { return &v }
