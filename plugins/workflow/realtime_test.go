package workflow_test

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

// sseClient is one realtime connection: the messages it received, as raw
// "event\ndata" strings.
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
	c := &sseClient{messages: make(chan string, 256), close: func() { res.Body.Close() }}
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
					json.Unmarshal([]byte(data), &d)
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

// TestRealtimeRespectsAccessAndHidesContact: while a case runs through the
// loop, a guest and an unrelated department receive nothing about it; the
// lead department receives its updates without any contact field.
func TestRealtimeRespectsAccessAndHidesContact(t *testing.T) {
	env := testenv.New(t)
	server := httptest.NewServer(env.Handler(t))
	defer server.Close()

	topics := []string{"appeals", "assignments", "appeal_events", "replies", "extensions", "callbacks", "public_appeals"}
	guest := subscribe(t, server, nil, topics...)
	defer guest.close()
	unrelated := subscribe(t, server, env.HandlerC, topics...)
	defer unrelated.close()
	lead := subscribe(t, server, env.HandlerA, topics...)
	defer lead.close()

	env.Reach(t, workflow.Closed)

	if got := guest.drain(500 * time.Millisecond); len(got) > 0 {
		t.Errorf("guest received %d realtime messages, first: %s", len(got), got[0])
	}
	if got := unrelated.drain(200 * time.Millisecond); len(got) > 0 {
		t.Errorf("unrelated department received %d messages, first: %s", len(got), got[0])
	}
	got := lead.drain(200 * time.Millisecond)
	if len(got) == 0 {
		t.Fatal("lead department received no realtime messages")
	}
	for _, m := range got {
		if strings.Contains(m, "contact_phone") || strings.Contains(m, "contact_name") || strings.Contains(m, "query_code_hash") {
			t.Errorf("realtime message carries a contact field: %s", m)
		}
	}
}
