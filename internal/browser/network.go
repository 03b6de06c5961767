package browser

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Serve serves handler on 127.0.0.1 (a random port) until t ends and
// answers the server's URL, e.g. "http://127.0.0.1:41234".
func Serve(t testing.TB, handler http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(func() {
		// Close waits for open requests; a page's long-polling or
		// server-sent events (PocketBase realtime) would never end.
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv.URL
}

// netState is what SetOffline and Throttle asked for.
type netState struct {
	offline bool
	latency time.Duration
	kbps    int
}

// BlockURL makes every later request of the page whose URL matches pattern
// fail as a network error (net::ERR_BLOCKED_BY_CLIENT), as when the server
// is unreachable. In pattern, '*' matches any run of characters and '?' one
// character (so write '\\?' for a query's '?'); e.g.
// "*/api/collections/articles/*". Patterns add up until UnblockAll.
func (p *Page) BlockURL(pattern string) {
	p.t.Helper()
	p.mu.Lock()
	p.blocked = append(p.blocked, pattern)
	patterns := make([]*fetch.RequestPattern, len(p.blocked))
	for i, b := range p.blocked {
		patterns[i] = &fetch.RequestPattern{URLPattern: b}
	}
	p.mu.Unlock()
	// The Fetch domain pauses only the matching requests, which onEvent
	// then fails; Network.setBlockedURLs would need absolute URLPattern
	// syntax instead of the wildcards tests want to write.
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: patterns}); err != nil {
		p.fail("BlockURL(%q): %v", pattern, err)
	}
}

// UnblockAll lets the requests that BlockURL blocked through again.
func (p *Page) UnblockAll() {
	p.t.Helper()
	p.mu.Lock()
	p.blocked = nil
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, fetch.Disable, cdp.Empty{}); err != nil {
		p.fail("UnblockAll: %v", err)
	}
}

// SetOffline cuts the page off the network (every request fails,
// navigator.onLine is false and the page gets an "offline" event) or
// reconnects it.
func (p *Page) SetOffline(offline bool) {
	p.t.Helper()
	p.mu.Lock()
	p.net.offline = offline
	p.mu.Unlock()
	p.applyNetwork("SetOffline")
}

// Throttle slows the page's network down: at least latency before each
// response starts, and at most kbps kilobits per second each way (0: no
// limit). Throttle(0, 0) restores full speed.
func (p *Page) Throttle(latency time.Duration, kbps int) {
	p.t.Helper()
	p.mu.Lock()
	p.net.latency, p.net.kbps = latency, kbps
	p.mu.Unlock()
	p.applyNetwork("Throttle")
}

// applyNetwork sends the network state to the browser: the conditions that
// requests get, and the state navigator.onLine reports.
func (p *Page) applyNetwork(what string) {
	p.t.Helper()
	p.mu.Lock()
	n := p.net
	p.mu.Unlock()
	throughput := -1.0 // no limit
	if n.kbps > 0 {
		throughput = float64(n.kbps) * 1000 / 8
	}
	latency := float64(n.latency) / float64(time.Millisecond)
	rules := []*network.Conditions{}
	if n != (netState{}) {
		rules = append(rules, &network.Conditions{ // no URLPattern: every request
			Offline: n.offline, Latency: latency, DownloadThroughput: throughput, UploadThroughput: throughput,
		})
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules})
	if err == nil {
		_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: n.offline, Latency: latency, DownloadThroughput: throughput, UploadThroughput: throughput,
		})
	}
	if err != nil {
		p.fail("%s: %v", what, err)
	}
}
