package workflow_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestRealtimeRespectsAccessAndHidesContact: while a case runs through the
// loop, a guest and an unrelated department receive nothing about it; the
// lead department receives its updates without any contact field.
func TestRealtimeRespectsAccessAndHidesContact(t *testing.T) {
	env := testenv.New(t)
	server := httptest.NewServer(env.Handler(t))
	defer server.Close()

	topics := []string{"appeals", "assignments", "appeal_events", "replies", "extensions", "callbacks", "public_appeals"}
	guest := testenv.Subscribe(t, nil, server.URL, nil, topics...)
	defer guest.Close()
	unrelated := testenv.Subscribe(t, nil, server.URL, env.HandlerC, topics...)
	defer unrelated.Close()
	lead := testenv.Subscribe(t, nil, server.URL, env.HandlerA, topics...)
	defer lead.Close()

	env.Reach(t, workflow.Closed)

	if got := guest.Drain(500 * time.Millisecond); len(got) > 0 {
		t.Errorf("guest received %d realtime messages, first: %s", len(got), got[0])
	}
	if got := unrelated.Drain(200 * time.Millisecond); len(got) > 0 {
		t.Errorf("unrelated department received %d messages, first: %s", len(got), got[0])
	}
	got := lead.Drain(200 * time.Millisecond)
	if len(got) == 0 {
		t.Fatal("lead department received no realtime messages")
	}
	for _, m := range got {
		if strings.Contains(m, "contact_phone") || strings.Contains(m, "contact_name") || strings.Contains(m, "query_code_hash") {
			t.Errorf("realtime message carries a contact field: %s", m)
		}
	}
}
