package guard_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"siyang/internal/testenv"
)

// TestRateLimiterOn: the migration switches PocketBase's rate limiter on;
// an address that floods the public intake is refused after 10 requests
// in 10 minutes with a Chinese 429 and Retry-After, nothing is stored, and
// a signed-in operator registering calls is not held by the guest rule.
func TestRateLimiterOn(t *testing.T) {
	env := testenv.New(t)
	if err := env.App.ReloadSettings(); err != nil { // the stored settings, as in production
		t.Fatal(err)
	}
	rl := env.App.Settings().RateLimits
	if !rl.Enabled || len(rl.Rules) < 10 {
		t.Fatalf("rate limiter: %+v", rl)
	}
	for i := 0; i < 10; i++ {
		if res := env.Call(t, "POST", "/api/appeals", `{"kind":"complaint"}`, nil); res.Status != 400 {
			t.Fatalf("request %d: %d %s", i, res.Status, res.Body)
		}
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/appeals", strings.NewReader(`{"kind":"complaint"}`))
	req.Header.Set("Content-Type", "application/json")
	env.Handler(t).ServeHTTP(rec, req)
	if rec.Code != 429 || !strings.Contains(rec.Body.String(), "请求过于频繁") || rec.Header().Get("Retry-After") != "600" {
		t.Fatalf("11th intake: %d %s Retry-After=%q", rec.Code, rec.Body.String(), rec.Header().Get("Retry-After"))
	}
	if n, _ := env.App.CountRecords("appeals"); n != 0 {
		t.Errorf("%d appeals stored", n)
	}
	sub := testenv.SampleSubmission()
	res := env.Call(t, "POST", "/api/appeals", map[string]any{
		"kind": sub.Kind, "title": sub.Title, "content": sub.Content, "contact_name": "王五", "contact_phone": "13800000000",
	}, env.Operator)
	if res.Status != 201 {
		t.Errorf("operator registering a call: %d %s", res.Status, res.Body)
	}
	// sign-in attempts are limited too (20 a minute per address)
	for i := 0; i < 20; i++ {
		signIn(t, env, "users", "flood@example.com", "wrong-password-x")
	}
	if res := signIn(t, env, "users", "flood@example.com", "wrong-password-x"); res.Status != 429 {
		t.Errorf("21st sign-in: %d %s", res.Status, res.Body)
	}
}
