package webhooks_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/migrations"
	"siyang/plugins/webhooks"
	"siyang/plugins/workflow"
)

const secret = "test-secret-0123456789-abcdef"

// delivery is one request a receiver got.
type delivery struct {
	ID, Event, Appeal string
	Seq               int
	Status            int // what the receiver answered
	SignatureOK       bool
	Body              string
}

// receiver is a department system on 127.0.0.1: mode "ok" answers 204,
// "slow" answers 503 after longer than the platform's timeout, "fail" 500.
type receiver struct {
	mu   sync.Mutex
	got  []delivery
	mode atomic.Value
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var p struct {
		Seq    int `json:"seq"`
		Appeal struct {
			ID string `json:"id"`
		} `json:"appeal"`
	}
	_ = json.Unmarshal(body, &p)
	d := delivery{
		ID: r.Header.Get("X-Siyang-Delivery"), Event: r.Header.Get("X-Siyang-Event"),
		Appeal: p.Appeal.ID, Seq: p.Seq, Body: string(body),
		SignatureOK: webhooks.Sign(secret, r.Header.Get("X-Siyang-Timestamp"), body) == r.Header.Get("X-Siyang-Signature"),
	}
	switch rc.mode.Load() {
	case "slow":
		time.Sleep(1500 * time.Millisecond)
		d.Status = http.StatusServiceUnavailable
	case "fail":
		d.Status = http.StatusInternalServerError
	default:
		d.Status = http.StatusNoContent
	}
	rc.mu.Lock()
	rc.got = append(rc.got, d)
	rc.mu.Unlock()
	w.WriteHeader(d.Status)
}

// accepted answers the deliveries the receiver answered with 2xx.
func (rc *receiver) accepted() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []delivery
	for _, d := range rc.got {
		if d.Status < 300 {
			out = append(out, d)
		}
	}
	return out
}

func newReceiver(t *testing.T, mode string) (*receiver, *httptest.Server) {
	rc := &receiver{}
	rc.mode.Store(mode)
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func addWebhook(t *testing.T, env *testenv.Env, url, department string, events ...string) *core.Record {
	t.Helper()
	return env.Save(t, "webhooks", map[string]any{
		"name": "测试接收方", "url": url, "secret": secret, "department": department,
		"events": events, "active": true,
	})
}

func outbox(t *testing.T, app core.App) []*core.Record {
	t.Helper()
	rows, err := app.FindRecordsByFilter("outbox", "", "appeal,seq", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func countStatus(rows []*core.Record, status string) int {
	n := 0
	for _, r := range rows {
		if r.GetString("status") == status {
			n++
		}
	}
	return n
}

// later moves the Env's clock past any backoff the test config allows (8 s).
func later(env *testenv.Env) { env.SetNow(env.Now.Add(10 * time.Second)) }

// The receiver is down, then too slow, then back, with a restart of the
// platform in between: every event arrives once with a 2xx, in timeline
// order per appeal, signed, and without contact data.
func TestDeliveryThroughOutageSlownessAndRestart(t *testing.T) {
	env := testenv.New(t)

	// a port with nothing listening: connection refused
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	addWebhook(t, env, "http://"+addr+"/hook", "")

	a1 := env.Reach(t, workflow.Handling)   // submit, accept, dispatch, sign
	a2 := env.Reach(t, workflow.Dispatched) // submit, accept, dispatch
	env.Webhooks.Wait()                     // the nudges after each commit failed
	rows := outbox(t, env.App)
	if len(rows) != 7 || countStatus(rows, "pending") != 7 {
		t.Fatalf("outbox after an outage: %d rows, %d pending; want 7 pending", len(rows), countStatus(rows, "pending"))
	}
	for _, r := range rows {
		if r.GetInt("seq") == 1 && (r.GetInt("attempts") < 1 || r.GetInt("last_status") != 0) {
			t.Fatalf("head row %s: attempts %d, last_status %d; want a refused attempt", r.Id, r.GetInt("attempts"), r.GetInt("last_status"))
		}
		if r.GetInt("seq") > 1 && r.GetInt("attempts") != 0 {
			t.Fatalf("row seq %d was attempted before seq 1 was delivered", r.GetInt("seq"))
		}
	}

	// the receiver comes up on the same address, but answers too slowly
	rc := &receiver{}
	rc.mode.Store("slow")
	l2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port %s was taken meanwhile: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(rc)
	srv.Listener.Close()
	srv.Listener = l2
	srv.Start()
	t.Cleanup(srv.Close)
	later(env)
	res, err := env.Webhooks.DeliverDue()
	if err != nil || res.Delivered != 0 || res.Failed != 2 {
		t.Fatalf("slow receiver: %+v, %v; want the 2 heads failed", res, err)
	}

	// restart on the same data; the receiver is healthy again
	rc.mode.Store("ok")
	restarted := testenv.Reopen(t, env.App.DataDir())
	restarted.SetNow(env.Now.Add(20 * time.Second))
	res, err = restarted.Webhooks.DeliverDue()
	if err != nil || res.Delivered != 7 {
		t.Fatalf("after restart: %+v, %v; want 7 delivered", res, err)
	}
	// a new event after the restart goes out right after its commit
	if _, err := restarted.Engine.Perform(restarted.App, workflow.Request{
		Appeal: a1.Id, Action: "reply", Actor: workflow.ActorFromAuth(env.HandlerA),
		Input: workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"},
	}); err != nil {
		t.Fatal(err)
	}
	restarted.Webhooks.Wait()
	// nothing is left, and another pass sends nothing again
	if res, _ := restarted.Webhooks.DeliverDue(); res.Delivered != 0 {
		t.Fatalf("second pass delivered %d again", res.Delivered)
	}

	got := rc.accepted()
	if len(got) != 8 {
		t.Fatalf("receiver accepted %d deliveries, want 8", len(got))
	}
	seen := map[string]bool{}
	lastSeq := map[string]int{}
	for _, d := range got {
		if seen[d.ID] {
			t.Errorf("delivery %s accepted twice", d.ID)
		}
		seen[d.ID] = true
		if !d.SignatureOK {
			t.Errorf("delivery %s: signature does not verify", d.ID)
		}
		if d.Seq != lastSeq[d.Appeal]+1 {
			t.Errorf("appeal %s: seq %d after %d", d.Appeal, d.Seq, lastSeq[d.Appeal])
		}
		lastSeq[d.Appeal] = d.Seq
		assertNoContact(t, env, d.Body)
	}
	if lastSeq[a1.Id] != 5 || lastSeq[a2.Id] != 3 {
		t.Errorf("last seq per appeal: %v", lastSeq)
	}
	rows = outbox(t, restarted.App)
	if countStatus(rows, "delivered") != 8 {
		t.Errorf("%d rows delivered, want 8", countStatus(rows, "delivered"))
	}
}

func assertNoContact(t *testing.T, env *testenv.Env, body string) {
	t.Helper()
	sub := testenv.SampleSubmission()
	for _, secretish := range []string{sub.ContactPhone, sub.ContactName, env.Resident.Email(), "contact", "query_code"} {
		if strings.Contains(body, secretish) {
			t.Errorf("payload contains %q: %s", secretish, body)
		}
	}
}

// A receiver that keeps failing gets the row dead-lettered after the
// limit; an admin replays it and it is delivered; nobody else may.
func TestDeadLetterAndReplay(t *testing.T) {
	env := testenv.New(t)
	rc, srv := newReceiver(t, "fail")
	addWebhook(t, env, srv.URL, "", "submit")
	env.Submit(t, testenv.SampleSubmission())
	env.Webhooks.Wait()

	var row *core.Record
	for i := 0; i < 10; i++ {
		later(env)
		if _, err := env.Webhooks.DeliverDue(); err != nil {
			t.Fatal(err)
		}
		row = outbox(t, env.App)[0]
		if row.GetString("status") != "pending" {
			break
		}
	}
	if row.GetString("status") != "dead" || row.GetInt("attempts") != 5 || row.GetInt("last_status") != 500 {
		t.Fatalf("row: status %s, attempts %d, last_status %d; want dead after 5 with 500",
			row.GetString("status"), row.GetInt("attempts"), row.GetInt("last_status"))
	}
	later(env)
	if res, _ := env.Webhooks.DeliverDue(); res.Delivered+res.Failed+res.Dead != 0 {
		t.Fatalf("a dead row was attempted again: %+v", res)
	}

	url := "/api/webhooks/outbox/" + row.Id + "/replay"
	if r := env.Call(t, "POST", url, nil, env.HandlerA); r.Status != http.StatusForbidden {
		t.Fatalf("handler replay: %d %s", r.Status, r.Body)
	}
	// the record API cannot change anything but dead → pending
	patch := "/api/collections/outbox/records/" + row.Id
	if r := env.Call(t, "PATCH", patch, map[string]any{"payload": map[string]any{"x": 1}}, env.Admin); r.Status != http.StatusBadRequest {
		t.Fatalf("payload edit: %d %s", r.Status, r.Body)
	}

	rc.mode.Store("ok")
	if r := env.Call(t, "POST", url, nil, env.Admin); r.Status != http.StatusOK {
		t.Fatalf("admin replay: %d %s", r.Status, r.Body)
	}
	env.Webhooks.Wait()
	env.Webhooks.DeliverDue()
	row, _ = env.App.FindRecordById("outbox", row.Id)
	if row.GetString("status") != "delivered" || len(rc.accepted()) != 1 {
		t.Fatalf("after replay: %s, %d accepted", row.GetString("status"), len(rc.accepted()))
	}
	if r := env.Call(t, "POST", url, nil, env.Admin); r.Status != http.StatusConflict {
		t.Fatalf("replay of a delivered row: %d %s", r.Status, r.Body)
	}
	if _, err := env.App.FindFirstRecordByFilter("audit_log", "action = 'webhook.replay' && target_id = {:id}", map[string]any{"id": row.Id}); err != nil {
		t.Fatalf("replay not audited: %v", err)
	}
}

// A department's webhook hears only of cases its department leads or
// assists; a webhook subscribed to some events gets only those.
func TestDepartmentWebhookSeesOnlyItsCases(t *testing.T) {
	env := testenv.New(t)
	rcA, srvA := newReceiver(t, "ok")
	rcC, srvC := newReceiver(t, "ok")
	rcD, srvD := newReceiver(t, "ok")
	addWebhook(t, env, srvA.URL, env.DeptA.Id)
	addWebhook(t, env, srvC.URL, env.DeptC.Id)
	addWebhook(t, env, srvD.URL, "", "dispatch")
	a := env.Reach(t, workflow.Handling) // A leads, B assists
	env.Webhooks.Wait()
	env.Webhooks.DeliverDue()

	if got := rcC.accepted(); len(got) != 0 {
		t.Fatalf("department C received %d events of another department's case", len(got))
	}
	var events []string
	for _, d := range rcA.accepted() {
		if d.Appeal != a.Id {
			t.Fatalf("department A received appeal %s", d.Appeal)
		}
		events = append(events, d.Event)
	}
	if !slices.Equal(events, []string{"dispatch", "sign"}) {
		t.Fatalf("department A received %v, want the events since dispatch", events)
	}
	if got := rcD.accepted(); len(got) != 1 || got[0].Event != "dispatch" {
		t.Fatalf("dispatch-only webhook received %+v", got)
	}
}

// Every action of the workflow table can be subscribed to.
func TestEventListCoversWorkflowTable(t *testing.T) {
	for _, a := range workflow.Table {
		if !slices.Contains(migrations.WebhookEvents, a.Name) {
			t.Errorf("action %s missing from migrations.WebhookEvents", a.Name)
		}
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	ts := "1800000000"
	body := []byte(`{"event":"dispatch"}`)
	sig := webhooks.Sign(secret, ts, body)
	if !webhooks.Verify(secret, ts, sig, body, now.Add(time.Minute), 5*time.Minute) {
		t.Fatal("a fresh, intact request does not verify")
	}
	if webhooks.Verify(secret, ts, sig, []byte(`{"event":"sign"}`), now, 5*time.Minute) {
		t.Fatal("an altered body verifies")
	}
	if webhooks.Verify(secret, ts, sig, body, now.Add(time.Hour), 5*time.Minute) {
		t.Fatal("an old request verifies")
	}
	if webhooks.Verify("other-secret-0123456789-xyz", ts, sig, body, now, 5*time.Minute) {
		t.Fatal("another secret verifies")
	}
}

// A staff admin registers a webhook with its secret through the record
// API (the field is hidden, so PocketBase alone would drop it); the secret
// is never answered back, a save without it keeps it, a new one replaces
// it; a handler may not register webhooks.
func TestAdminSetsTheSecretThroughTheRecordAPI(t *testing.T) {
	env := testenv.New(t)
	body := map[string]any{"name": "县住建局业务系统", "url": "http://127.0.0.1:9/hook", "secret": secret, "active": true}
	r := env.Call(t, "POST", "/api/collections/webhooks/records", body, env.Admin)
	if r.Status != 200 || strings.Contains(r.Body, secret) {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var rec struct{ ID string }
	r.JSON(t, &rec)
	stored := func() string {
		w, err := env.App.FindRecordById("webhooks", rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		return w.GetString("secret")
	}
	if stored() != secret {
		t.Fatalf("stored secret %q", stored())
	}
	if r := env.Call(t, "PATCH", "/api/collections/webhooks/records/"+rec.ID, map[string]any{"name": "改名"}, env.Admin); r.Status != 200 || stored() != secret {
		t.Fatalf("rename: %d %s, secret %q", r.Status, r.Body, stored())
	}
	if r := env.Call(t, "PATCH", "/api/collections/webhooks/records/"+rec.ID, map[string]any{"secret": "another-secret-0123456789-xyz"}, env.Admin); r.Status != 200 || stored() != "another-secret-0123456789-xyz" {
		t.Fatalf("new secret: %d %s, secret %q", r.Status, r.Body, stored())
	}
	if r := env.Call(t, "PATCH", "/api/collections/webhooks/records/"+rec.ID, map[string]any{"secret": "short"}, env.Admin); r.Status != 400 {
		t.Fatalf("short secret: %d %s", r.Status, r.Body)
	}
	if r := env.Call(t, "POST", "/api/collections/webhooks/records", body, env.HandlerA); r.Status < 400 {
		t.Fatalf("handler created a webhook: %d", r.Status)
	}
}
