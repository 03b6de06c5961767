package guard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// DefaultPagePolicy lets the pages load scripts, styles, fonts and data
// from the platform itself only: no inline scripts or event handlers, no
// third-party hosts, no framing by other sites. Images may also be data:
// and blob: URLs (the photo previews of the submit page), and the pages may
// read their own blob: URLs (the downloadable receipt).
const DefaultPagePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self' blob:; media-src 'self' blob:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// apiPolicy is for JSON and XML answers, which are never pages.
const apiPolicy = "default-src 'none'; frame-ancestors 'none'"

// headersMiddleware sets the security headers on every answer and turns the
// rate limiter's English 429 into a Chinese one with Retry-After. It runs
// right after PocketBase's own security headers (whose X-Frame-Options it
// refines) and before the rate limiter, so that refusals carry the headers.
func (p *plugin) headersMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "siyangSecurityHeaders",
		Priority: apis.DefaultSecurityHeadersMiddlewarePriority + 5,
		Func: func(e *core.RequestEvent) error {
			h := e.Response.Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			path := e.Request.URL.Path
			switch {
			case strings.HasPrefix(path, "/_/"):
				// PocketBase's dashboard ships its own inline bootstrap;
				// it gets framing protection but not the pages' CSP.
				h.Set("X-Frame-Options", "SAMEORIGIN")
				h.Set("Content-Security-Policy", "frame-ancestors 'self'")
			case strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/open311/"):
				h.Set("X-Frame-Options", "DENY")
				h.Set("Content-Security-Policy", apiPolicy)
			default:
				h.Set("X-Frame-Options", "SAMEORIGIN")
				h.Set("Content-Security-Policy", p.config.ContentSecurityPolicy)
			}
			if e.IsTLS() || e.Request.Header.Get("X-Forwarded-Proto") == "https" {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			err := e.Next()
			if err != nil {
				if apiErr := router.ToApiError(err); apiErr.Status == http.StatusTooManyRequests && !isChinese(apiErr.Message) {
					seconds := retryAfter(e)
					h.Set("Retry-After", fmt.Sprint(seconds))
					return &router.ApiError{
						Status:  http.StatusTooManyRequests,
						Message: fmt.Sprintf("请求过于频繁，请 %d 秒后再试。", seconds),
						Data:    map[string]any{},
					}
				}
			}
			return err
		},
	}
}

// retryAfter is the period of the rate limit rule that matched (its
// tokens refill over that period), or a minute when none is known.
func retryAfter(e *core.RequestEvent) int64 {
	labels := []string{e.Request.Method + " " + e.Request.URL.Path, e.Request.URL.Path}
	if rule, ok := e.App.Settings().RateLimits.FindRateLimitRule(labels); ok && rule.Duration > 0 {
		return rule.Duration
	}
	return 60
}

func isChinese(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
