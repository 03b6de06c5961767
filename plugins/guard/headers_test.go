package guard_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"siyang/internal/testenv"
)

// TestSecurityHeaders: pages get a strict CSP, API answers a deny-all one,
// the dashboard keeps working (no page CSP), and every answer is nosniff.
func TestSecurityHeaders(t *testing.T) {
	env := testenv.New(t)
	cases := []struct {
		path      string
		csp       string // substring the CSP must contain
		notScript bool   // the CSP must not allow inline scripts
	}{
		{"/", "script-src 'self'", true},
		{"/track.html", "frame-ancestors 'self'", true},
		{"/api/workflow", "default-src 'none'", true},
		{"/api/collections/appeals/records", "default-src 'none'", true},
		{"/open311/v2/services.json", "default-src 'none'", true},
		{"/_/", "frame-ancestors 'self'", false},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		env.Handler(t).ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		h := rec.Header()
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", c.path, got)
		}
		if c.csp == "default-src 'none'" && h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", c.path, h.Get("X-Frame-Options"))
		}
		if h.Get("Referrer-Policy") == "" || h.Get("Permissions-Policy") == "" || h.Get("X-Frame-Options") == "" {
			t.Errorf("%s: missing headers %v", c.path, h)
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, c.csp) {
			t.Errorf("%s: CSP %q lacks %q", c.path, csp, c.csp)
		}
		if c.notScript && strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code: %q", c.path, csp)
		}
	}
	// the dashboard is still served (its own inline bootstrap needs no page CSP)
	rec := httptest.NewRecorder()
	env.Handler(t).ServeHTTP(rec, httptest.NewRequest("GET", "/_/", nil))
	if rec.Code != 200 || strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src") {
		t.Errorf("dashboard: %d, CSP %q", rec.Code, rec.Header().Get("Content-Security-Policy"))
	}
}

// TestPagesHaveNoInlineCode: the CSP forbids inline scripts, event handler
// attributes and style attributes; the pages must not need them.
func TestPagesHaveNoInlineCode(t *testing.T) {
	env := testenv.New(t)
	for _, page := range []string{"/", "/submit.html", "/track.html", "/appeals.html", "/appeal.html", "/articles.html",
		"/article.html", "/services.html", "/service.html", "/search.html", "/scorecards.html"} {
		res := env.Call(t, "GET", page, nil, nil)
		if res.Status != 200 {
			t.Errorf("%s: %d", page, res.Status)
			continue
		}
		for _, bad := range inlineCode(res.Body) {
			t.Errorf("%s: inline code the CSP blocks: %s", page, bad)
		}
	}
}
