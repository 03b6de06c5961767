package workflow_test

import (
	"net/http/httptest"
	"slices"
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

// topicsOf answers how many messages of each topic arrived about appealID
// (and fails on a message about another case).
func topicsOf(t *testing.T, who string, got []string, appealID string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, m := range got {
		topic, data, _ := strings.Cut(m, "\n")
		if !strings.Contains(data, `"`+appealID+`"`) {
			t.Errorf("%s received a message about another case: %s", who, m)
		}
		if strings.Contains(data, "contact_phone") || strings.Contains(data, "contact_name") {
			t.Errorf("%s received contact data: %s", who, m)
		}
		n[topic]++
	}
	return n
}

// TestRealtimeWorkbenchTopicsByDepartment: the workbench's three topics of
// a handler are delivered per department (one rule check per department):
// every handler of the lead and of the assisting department gets the case,
// its timeline row and the tasks, the same messages for two handlers of one
// department, an unrelated department nothing; after 改派 the former
// departments hear only of their own cancelled task, the new one of the case.
func TestRealtimeWorkbenchTopicsByDepartment(t *testing.T) {
	env := testenv.New(t)
	server := httptest.NewServer(env.Handler(t))
	t.Cleanup(func() { server.CloseClientConnections(); server.Close() })
	appeal := env.Reach(t, workflow.Accepted)

	topics := []string{"appeals/*", "appeal_events/*", "assignments/*"}
	a1 := testenv.Subscribe(t, nil, server.URL, env.HandlerA, topics...)
	a2 := testenv.Subscribe(t, nil, server.URL, env.Staff(t, "handler", env.DeptA.Id), topics...)
	b := testenv.Subscribe(t, nil, server.URL, env.HandlerB, topics...)
	c := testenv.Subscribe(t, nil, server.URL, env.HandlerC, topics...)
	for _, s := range []*testenv.SSEClient{a1, a2, b, c} {
		defer s.Close()
	}

	env.Do(t, appeal, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id, Assisting: []string{env.DeptB.Id}})
	gotA1, gotA2 := a1.Drain(500*time.Millisecond), a2.Drain(100*time.Millisecond)
	want := map[string]int{"appeals/*": 1, "appeal_events/*": 1, "assignments/*": 2} // the lead's and the assistant's task
	for who, got := range map[string][]string{"lead handler": gotA1, "second lead handler": gotA2, "assisting handler": b.Drain(100 * time.Millisecond)} {
		n := topicsOf(t, who, got, appeal.Id)
		for topic, count := range want {
			if n[topic] != count {
				t.Errorf("%s: %d messages of %s after 派单, want %d (all: %v)", who, n[topic], topic, count, n)
			}
		}
	}
	slices.Sort(gotA1)
	slices.Sort(gotA2)
	if !slices.Equal(gotA1, gotA2) {
		t.Errorf("two handlers of one department received different messages:\n%v\n%v", gotA1, gotA2)
	}
	if got := c.Drain(100 * time.Millisecond); len(got) > 0 {
		t.Errorf("unrelated department received %d messages, first: %s", len(got), got[0])
	}

	env.Do(t, appeal, "redispatch", env.Operator, workflow.Input{Department: env.DeptC.Id, Reason: "职责调整"})
	for who, s := range map[string]*testenv.SSEClient{"former lead": a1, "former assistant": b} {
		n := topicsOf(t, who, s.Drain(300*time.Millisecond), appeal.Id)
		if n["appeals/*"] != 0 || n["appeal_events/*"] != 0 || n["assignments/*"] != 1 {
			t.Errorf("%s after 改派: %v, want only its own cancelled task", who, n)
		}
	}
	n := topicsOf(t, "new lead", c.Drain(100*time.Millisecond), appeal.Id)
	if n["appeals/*"] != 1 || n["appeal_events/*"] != 1 || n["assignments/*"] < 1 {
		t.Errorf("new lead after 改派: %v", n)
	}
}
