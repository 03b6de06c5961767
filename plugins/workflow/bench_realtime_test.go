package workflow_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// The realtime fan-out benchmarks (docs/performance.md, "Realtime fan-out
// and memory"): FANOUT_CLIENTS (default 1,000) real SSE connections over
// loopback HTTP, subscribed the way pb_public/workbench.js subscribes
// (appeals/*, appeal_events/*, assignments/* with the handler's token).
// Nothing here asserts a time; the correctness of the delivery (each target
// client gets exactly its three messages, nobody else anything) is checked.

// fanoutClients is the number of connected clients.
func fanoutClients() int {
	if n, err := strconv.Atoi(os.Getenv("FANOUT_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// handlersPerDept: a department has this many handlers with the
// workbench open, so a dispatch has this many target clients.
const handlersPerDept = 10

// workbenchTopics are the subscriptions of an open 承办单位工作台.
var workbenchTopics = []string{"appeals/*", "appeal_events/*", "assignments/*"}

// fanoutStats collects latencies and reports their percentiles.
type fanoutStats map[string][]time.Duration

func (s fanoutStats) add(name string, d time.Duration) { s[name] = append(s[name], d) }

func (s fanoutStats) report(b *testing.B) {
	for name, ds := range s {
		slices.Sort(ds)
		at := func(q float64) float64 {
			return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) / 1000
		}
		b.ReportMetric(at(0.50), name+"-p50-ms")
		b.ReportMetric(at(0.99), name+"-p99-ms")
		b.ReportMetric(float64(ds[len(ds)-1].Microseconds())/1000, name+"-max-ms")
	}
}

// handlers creates n handlers spread over n/handlersPerDept new
// departments (the password hash is copied: bcrypt for each would take
// a minute and is not what is measured).
func handlers(b *testing.B, env *testenv.Env, n int) (depts []*core.Record, byDept map[string][]*core.Record) {
	hash := env.HandlerA.GetRaw("password").(*core.PasswordFieldValue).Hash
	staff, _ := env.App.FindCollectionByNameOrId("staff")
	byDept = map[string][]*core.Record{}
	for i := 0; i < (n+handlersPerDept-1)/handlersPerDept; i++ {
		d := env.Save(b, "departments", map[string]any{"name": fmt.Sprintf("压测单位%03d", i), "code": fmt.Sprintf("f%03d", i), "kind": "职能部门", "active": true})
		depts = append(depts, d)
	}
	for i := 0; i < n; i++ {
		d := depts[i/handlersPerDept]
		r := core.NewRecord(staff)
		r.Set("name", "承办人")
		r.Set("role", "handler")
		r.Set("department", d.Id)
		r.Set("active", true)
		r.Set("email", fmt.Sprintf("fanout%d@staff.example.com", i))
		r.SetRaw("password", &core.PasswordFieldValue{Hash: hash})
		if err := env.App.Save(r); err != nil {
			b.Fatal(err)
		}
		byDept[d.Id] = append(byDept[d.Id], r)
	}
	return depts, byDept
}

// BenchmarkRealtimeFanout: the operator's 派单 through the HTTP action
// endpoint to one of the departments, in turn; reported: the dispatch
// request's own latency, and for each handler of that department the time
// from the start of the request until its workbench had all three messages
// (the case in appeals/*, the 新派单 event in appeal_events/*, its task in
// assignments/*) — "all" — and until the first of them — "first". With
// clients=0 the same dispatch runs with nobody connected (the baseline of
// the request's latency).
func BenchmarkRealtimeFanout(b *testing.B) {
	for _, n := range []int{0, fanoutClients()} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) { benchFanout(b, n) })
	}
}

func benchFanout(b *testing.B, n int) {
	env := testenv.New(b)
	server := httptest.NewServer(env.Handler(b))
	b.Cleanup(func() { server.CloseClientConnections(); server.Close() })
	sse := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	api := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

	depts, byDept := handlers(b, env, max(n, handlersPerDept))
	clients := map[string]*testenv.SSEClient{} // staff id → its connection
	for _, hs := range byDept {
		for _, h := range hs {
			if len(clients) == n {
				break
			}
			clients[h.Id] = testenv.Subscribe(b, sse, server.URL, h, workbenchTopics...)
		}
	}
	b.Cleanup(func() {
		for _, c := range clients {
			c.Close()
		}
	})
	token := testenv.Token(b, env.Operator)
	op := workflow.ActorFromAuth(env.Operator)
	sub := testenv.SampleSubmission()
	stats := fanoutStats{}

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		appeal, _ := env.Submit(b, sub)
		if _, err := env.Engine.Perform(env.App, workflow.Request{Appeal: appeal.Id, Action: "accept", Actor: op}); err != nil {
			b.Fatal(err)
		}
		dept := depts[i%len(depts)]
		body, _ := json.Marshal(map[string]any{"department": dept.Id})
		req, _ := http.NewRequest("POST", server.URL+"/api/appeals/"+appeal.Id+"/actions/dispatch", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", token)
		b.StartTimer()

		start := time.Now()
		res, err := api.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		stats.add("dispatch", time.Since(start))
		if res.StatusCode != http.StatusOK {
			b.Fatalf("dispatch: status %d", res.StatusCode)
		}
		for _, h := range byDept[dept.Id] {
			c := clients[h.Id]
			if c == nil {
				continue
			}
			first, last := waitWorkbench(b, c, appeal.Id, start)
			stats.add("first", first)
			stats.add("all", last)
		}
	}
	b.StopTimer()
	if n > 0 {
		// every message has been read by its target; anything left in a
		// channel after a pause went where it should not have
		time.Sleep(time.Second)
		stray := 0
		for _, c := range clients {
			stray += len(c.Messages)
		}
		b.ReportMetric(float64(stray), "stray-messages")
		if stray > 0 {
			b.Fatalf("%d realtime messages reached clients that were not a target or more than once", stray)
		}
	}
	stats.report(b)
}

// waitWorkbench reads the three messages a department's workbench gets for
// a dispatch of appealID and answers the times from start to the first
// and to the last of them.
func waitWorkbench(b *testing.B, c *testenv.SSEClient, appealID string, start time.Time) (first, last time.Duration) {
	want := map[string]bool{"appeals/*": true, "appeal_events/*": true, "assignments/*": true}
	timeout := time.After(30 * time.Second)
	for len(want) > 0 {
		select {
		case m := <-c.Messages:
			if !want[m.Event] || !strings.Contains(m.Data, `"`+appealID+`"`) {
				b.Fatalf("unexpected message for a dispatch of %s: %s", appealID, m)
			}
			delete(want, m.Event)
			d := m.At.Sub(start)
			if first == 0 {
				first = d
			}
			last = d
		case <-timeout:
			b.Fatalf("no %v for %s within 30 s", want, appealID)
		}
	}
	return first, last
}

// BenchmarkRealtimeFanoutBare is the same fan-out in bare PocketBase:
// FANOUT_CLIENTS guests subscribed to bare/* of a plain collection with
// open rules (no per-client rule query), a record created through the
// record API; reported: the create request's latency and the time until
// each client had its message.
func BenchmarkRealtimeFanoutBare(b *testing.B) {
	n := fanoutClients()
	env := testenv.New(b)
	c := core.NewBaseCollection("bare")
	c.ListRule, c.ViewRule, c.CreateRule = types.Pointer(""), types.Pointer(""), types.Pointer("")
	c.Fields.Add(&core.TextField{Name: "title"}, &core.TextField{Name: "department"})
	if err := env.App.Save(c); err != nil {
		b.Fatal(err)
	}
	server := httptest.NewServer(env.Handler(b))
	b.Cleanup(func() { server.CloseClientConnections(); server.Close() })
	sse := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	api := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	clients := make([]*testenv.SSEClient, n)
	for i := range clients {
		clients[i] = testenv.Subscribe(b, sse, server.URL, nil, "bare/*")
	}
	b.Cleanup(func() {
		for _, c := range clients {
			c.Close()
		}
	})
	stats := fanoutStats{}
	body := `{"title":"幸福小区门口路灯不亮","department":"a"}`

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := api.Post(server.URL+"/api/collections/bare/records", "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		var created struct{ ID string }
		_ = json.NewDecoder(res.Body).Decode(&created)
		res.Body.Close()
		stats.add("create", time.Since(start))
		for _, c := range clients {
			select {
			case m := <-c.Messages:
				if !strings.Contains(m.Data, created.ID) {
					b.Fatalf("unexpected message: %s", m)
				}
				stats.add("event", m.At.Sub(start))
			case <-time.After(30 * time.Second):
				b.Fatal("no event within 30 s")
			}
		}
	}
	b.StopTimer()
	stats.report(b)
}
