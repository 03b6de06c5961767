package crashtest

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	kills   = flag.Int("kills", 10, "how many times the server is killed with SIGKILL (release runs: 200)")
	workers = flag.Int("workers", 4, "concurrent submitters")
)

// acked is a submission the server answered 201 with a ticket number.
type acked struct {
	ID, Ticket, QueryCode, Title string
}

// TestCrashSafety: every submission acknowledged with a ticket number
// survives SIGKILLs at random moments, complete with its first timeline
// entry and its webhook outbox row; nothing is half-written; tickets are
// unique and without gaps.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)
	dataDir := filepath.Join(tmp, "pb_data")
	logFile, err := os.Create(filepath.Join(tmp, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()

	const suEmail, suPassword = "root@example.com", "crash-test-password-1"
	if out, err := exec.Command(bin, "superuser", "upsert", suEmail, suPassword, "--dir", dataDir).CombinedOutput(); err != nil {
		t.Fatalf("superuser: %v %s", err, out)
	}
	var delivered atomic.Int64
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		delivered.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	srv := &server{bin: bin, dataDir: dataDir, addr: freePort(t), log: logFile}
	srv.start(t)
	configure(t, srv, suEmail, suPassword, receiver.URL)

	client := &http.Client{Timeout: 10 * time.Second}
	var (
		mu       sync.Mutex
		got      []acked
		failures atomic.Int64 // connection errors and 5xx while the server died
		wrong    []string     // answers that are neither 201 nor a dying server's
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				title := fmt.Sprintf("崩溃测试诉求 %d-%d", w, i)
				body := map[string]any{
					"kind": "complaint", "title": title,
					"content":      "小区门口路灯不亮已经一个月了，请尽快修复。编号 " + title,
					"address":      "众兴街道幸福小区",
					"contact_name": "测试居民", "contact_phone": fmt.Sprintf("139%08d", w*10_000_000+i%10_000_000),
				}
				var res struct {
					ID        string `json:"id"`
					Ticket    string `json:"ticket"`
					QueryCode string `json:"query_code"`
				}
				status, err := call(client, "POST", srv.url("/api/appeals"), "", body, &res)
				switch {
				case err != nil || status >= 500:
					failures.Add(1)
					time.Sleep(5 * time.Millisecond)
				case status == 201 && res.Ticket != "":
					mu.Lock()
					got = append(got, acked{ID: res.ID, Ticket: res.Ticket, QueryCode: res.QueryCode, Title: title})
					mu.Unlock()
				default:
					mu.Lock()
					wrong = append(wrong, fmt.Sprintf("%d %+v", status, res))
					mu.Unlock()
				}
			}
		}(w)
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for k := 0; k < *kills; k++ {
		time.Sleep(time.Duration(150+rng.IntN(1200)) * time.Millisecond)
		srv.kill(t)
		time.Sleep(time.Duration(rng.IntN(100)) * time.Millisecond)
		srv.start(t)
	}
	time.Sleep(300 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	srv.stop()

	if len(wrong) > 0 {
		t.Errorf("%d unexpected answers, first: %s", len(wrong), wrong[0])
	}
	if len(got) < 10*(*kills) {
		t.Fatalf("only %d submissions acknowledged; the load did not run", len(got))
	}
	report := verify(t, dataDir, got)
	t.Logf("kills survived: %d; acknowledged: %d; appeals in the database: %d; unanswered requests (server dead): %d; "+
		"timeline rows checked: %d; outbox rows checked: %d; webhook deliveries received: %d",
		*kills, len(got), report.appeals, failures.Load(), report.events, report.outbox, delivered.Load())
}

// configure excludes loopback from the rate limiter (the load comes from
// one address) and registers one webhook, so that every timeline entry
// also writes an outbox row.
func configure(t *testing.T, srv *server, email, password, receiver string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	var auth struct{ Token string }
	if status, err := call(client, "POST", srv.url("/api/collections/_superusers/auth-with-password"), "",
		map[string]any{"identity": email, "password": password}, &auth); err != nil || status != 200 {
		t.Fatalf("superuser sign-in: %d %v", status, err)
	}
	if status, err := call(client, "PATCH", srv.url("/api/settings"), auth.Token,
		map[string]any{"rateLimits": map[string]any{"excludedIPs": []string{"127.0.0.1"}}}, nil); err != nil || status != 200 {
		t.Fatalf("settings: %d %v", status, err)
	}
	var hook map[string]any
	if status, err := call(client, "POST", srv.url("/api/collections/webhooks/records"), auth.Token, map[string]any{
		"name": "崩溃测试接收方", "url": receiver, "secret": "crash-test-secret-0123456789", "active": true,
	}, &hook); err != nil || status != 200 {
		t.Fatalf("webhook: %d %v %v", status, err, hook)
	}
}
