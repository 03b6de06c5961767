package securitytest

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
	clients := map[string]*testenv.SSEClient{}
	for _, p := range w.principals() {
		c := testenv.Subscribe(t, nil, server.URL, p.record, topics...)
		defer c.Close()
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
		got := clients[p.name].Drain(300 * time.Millisecond)
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
