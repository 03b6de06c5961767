package testenv

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// SSEMessage is one realtime message as a client received it.
type SSEMessage struct {
	Event string // the subscription it answers, e.g. "appeals/*"
	Data  string
	At    time.Time // when the client read it
}

// String is "event\ndata", the form the tests match on.
func (m SSEMessage) String() string { return m.Event + "\n" + m.Data }

// SSEClient is one real realtime connection to /api/realtime, the way the
// JS SDK opens it: a GET that streams events, then a POST with the client
// id, the topics and the auth token.
type SSEClient struct {
	// Messages receives every message but PB_CONNECT, in order.
	Messages chan SSEMessage
	res      *http.Response
}

// Subscribe opens /api/realtime on baseURL (a test server) as who (nil:
// a guest) and subscribes to topics. client may be nil (http.DefaultClient).
func Subscribe(t testing.TB, client *http.Client, baseURL string, who *core.Record, topics ...string) *SSEClient {
	t.Helper()
	if client == nil {
		client = http.DefaultClient
	}
	req, _ := http.NewRequest("GET", baseURL+"/api/realtime", nil)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	c := &SSEClient{Messages: make(chan SSEMessage, 1024), res: res}
	connected := make(chan string, 1)
	go func() {
		defer close(c.Messages)
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
					c.Messages <- SSEMessage{Event: event, Data: data, At: time.Now()}
				}
				event, data = "", ""
			}
		}
	}()
	var clientID string
	select {
	case clientID = <-connected:
	case <-time.After(10 * time.Second):
		res.Body.Close()
		t.Fatal("no PB_CONNECT")
	}
	body, _ := json.Marshal(map[string]any{"clientId": clientID, "subscriptions": topics})
	sub, _ := http.NewRequest("POST", baseURL+"/api/realtime", strings.NewReader(string(body)))
	sub.Header.Set("Content-Type", "application/json")
	if who != nil {
		sub.Header.Set("Authorization", Token(t, who))
	}
	subRes, err := client.Do(sub)
	if err != nil {
		res.Body.Close()
		t.Fatalf("subscribe: %v", err)
	}
	subRes.Body.Close()
	if subRes.StatusCode != http.StatusNoContent {
		res.Body.Close()
		t.Fatalf("subscribe: status %d", subRes.StatusCode)
	}
	return c
}

// Close ends the connection.
func (c *SSEClient) Close() { c.res.Body.Close() }

// Drain answers what arrived until nothing more came for quiet, as
// "event\ndata" strings.
func (c *SSEClient) Drain(quiet time.Duration) []string {
	var got []string
	for {
		select {
		case m, ok := <-c.Messages:
			if !ok {
				return got
			}
			got = append(got, m.String())
		case <-time.After(quiet):
			return got
		}
	}
}
