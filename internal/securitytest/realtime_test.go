package securitytest

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestRealtimeMatrix: every principal subscribes to every collection of a
// case; when case X moves (the operator records the 回访 rating), exactly
// those who may view X's records hear of it, and no message carries
// contact data.
func TestRealtimeMatrix(t *testing.T) {
	w := newWorld(t)
	server := httptest.NewServer(w.Handler(t))
	defer server.Close()
	topics := []string{"appeals", "assignments", "appeal_events", "replies", "extensions", "callbacks", "public_appeals", "audit_log", "outbox"}
	clients := map[string]*sseClient{}
	for _, p := range w.principals() {
		c := subscribe(t, server, p.record, topics...)
		defer c.close()
		clients[p.name] = c
	}
	yes := true
	w.Do(t, w.X, "rate", w.Operator, workflow.Input{Satisfaction: "satisfied", Resolved: &yes})

	// who hears about X's appeal record and its new timeline row
	hears := map[string]string{
		"appeals":       "res hA hB " + central,
		"appeal_events": "res hA hB " + central,
		"outbox":        admins,
	}
	for _, p := range w.principals() {
		got := clients[p.name].drain(300 * time.Millisecond)
		seen := map[string]bool{}
		for _, m := range got {
			topic, _, _ := strings.Cut(m, "\n")
			seen[topic] = true
			for _, marker := range []string{nameX, phoneX, nameY, phoneY, nameZ, phoneZ, "contact_phone", "query_code_hash"} {
				if p.name != "su" && strings.Contains(m, marker) {
					t.Errorf("LEAK: %s hears %q over realtime: %s", p.name, marker, clip(m))
				}
			}
		}
		for topic, who := range hears {
			if seen[topic] != set(who)[p.name] {
				t.Errorf("%s heard %s: %v, want %v", p.name, topic, seen[topic], set(who)[p.name])
			}
		}
		for topic := range seen {
			if _, ok := hears[topic]; !ok && topic != "callbacks" && topic != "public_appeals" && topic != "audit_log" {
				t.Errorf("%s heard unexpected %s", p.name, topic)
			}
		}
		if seen["callbacks"] && !set("res " + central)[p.name] {
			t.Errorf("%s heard callbacks", p.name)
		}
		if seen["audit_log"] && !set("sup adm su")[p.name] {
			t.Errorf("%s heard audit_log", p.name)
		}
	}
	matrixCases.Add(int64(len(principals) * len(topics)))
}

// sseClient is one realtime connection.
type sseClient struct {
	messages chan string
	close    func()
}

// subscribe opens /api/realtime as who and subscribes to topics.
func subscribe(t *testing.T, server *httptest.Server, who *core.Record, topics ...string) *sseClient {
	t.Helper()
	req, _ := http.NewRequest("GET", server.URL+"/api/realtime", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	c := &sseClient{messages: make(chan string, 1024), close: func() { res.Body.Close() }}
	connected := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(res.Body)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		var event, data string
		for scanner.Scan() {
			line := scanner.Text()
			switch {
			case strings.HasPrefix(line, "event:"):
				event = strings.TrimSpace(line[6:])
			case strings.HasPrefix(line, "data:"):
				data = strings.TrimSpace(line[5:])
			case line == "":
				if event == "PB_CONNECT" {
					var d struct {
						ClientID string `json:"clientId"`
					}
					_ = json.Unmarshal([]byte(data), &d)
					connected <- d.ClientID
				} else if event != "" {
					c.messages <- event + "\n" + data
				}
				event, data = "", ""
			}
		}
	}()
	var clientID string
	select {
	case clientID = <-connected:
	case <-time.After(5 * time.Second):
		t.Fatal("no PB_CONNECT")
	}
	body, _ := json.Marshal(map[string]any{"clientId": clientID, "subscriptions": topics})
	sub, _ := http.NewRequest("POST", server.URL+"/api/realtime", strings.NewReader(string(body)))
	sub.Header.Set("Content-Type", "application/json")
	if who != nil {
		sub.Header.Set("Authorization", testenv.Token(t, who))
	}
	subRes, err := http.DefaultClient.Do(sub)
	if err != nil || subRes.StatusCode != http.StatusNoContent {
		t.Fatalf("subscribe: %v %v", err, subRes)
	}
	return c
}

// drain collects what arrived until quiet for the given time.
func (c *sseClient) drain(quiet time.Duration) []string {
	var got []string
	for {
		select {
		case m := <-c.messages:
			got = append(got, m)
		case <-time.After(quiet):
			return got
		}
	}
}
