package guard

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/internal/overload"

	"siyang/hooks"
)

// codeRoutes are the endpoints where a secret (query code, booking code)
// proves who may see a case or booking; each answers 404 for a wrong
// secret, whether or not the ticket exists. The function answers the key
// of the thing being guessed at ("" when the request carries no secret and
// so is not a guess, e.g. a signed-in resident).
var codeRoutes = map[string]func(e *core.RequestEvent) string{
	"POST /api/track": func(e *core.RequestEvent) string {
		var body struct {
			Ticket string `json:"ticket" form:"ticket"`
		}
		_ = e.BindBody(&body)
		return "ticket:" + strings.ToUpper(strings.TrimSpace(body.Ticket))
	},
	"GET /api/sla/appeals/{id}": func(e *core.RequestEvent) string {
		if e.Auth != nil || e.Request.Header.Get("X-Query-Code") == "" {
			return ""
		}
		return "ticket:" + strings.ToUpper(e.Request.PathValue("id"))
	},
	"POST /api/appeals/{id}/actions/{action}": func(e *core.RequestEvent) string {
		if e.Auth != nil {
			return ""
		}
		return "ticket:" + strings.ToUpper(e.Request.PathValue("id"))
	},
	"POST /api/portal/appointments/lookup": bookingKey,
	"POST /api/portal/appointments/cancel": bookingKey,
}

func bookingKey(e *core.RequestEvent) string {
	var body struct {
		Phone string `json:"phone" form:"phone"`
	}
	_ = e.BindBody(&body)
	return "booking:" + hooks.NormalizePhone(body.Phone)
}

// codeLockMiddleware refuses lookups from an address, or of a ticket, that
// failed too often, and counts the failures it sees. It watches the answer's
// status rather than changing the handlers: a 404 to a lookup with a
// secret is a wrong guess (a 403 is a right secret asking for something
// not allowed, and is not counted).
func (p *plugin) codeLockMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "siyangCodeLock",
		Priority: -900, // after the rate limiter, before the handlers
		Func: func(e *core.RequestEvent) error {
			keyOf, ok := codeRoutes[e.Request.Pattern]
			if !ok {
				return e.Next()
			}
			target := keyOf(e)
			if target == "" {
				return e.Next()
			}
			ip := "ip:" + e.RealIP()
			if left := max(p.codeIP.locked(ip), p.codeTicket.locked(target)); left > 0 {
				return tooManyLookups(e, left)
			}
			err := e.Next()
			status := e.Status()
			if err != nil {
				status = router.ToApiError(err).Status
			}
			// a "not found" that is really a busy database (PocketBase's
			// record view answers its query deadline so) is not a guess
			if status == http.StatusNotFound && !overload.Is(err) {
				lockedIP := p.codeIP.fail(ip)
				lockedTarget := p.codeTicket.fail(target)
				if lockedIP || lockedTarget {
					p.auditCodeLock(e, lockedIP, lockedTarget)
				}
			}
			return err
		},
	}
}

// tooManyLookups is the same answer for existing and unknown tickets.
func tooManyLookups(e *core.RequestEvent, left time.Duration) error {
	minutes := int(math.Ceil(left.Minutes()))
	e.Response.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(left.Seconds()))))
	return &router.ApiError{
		Status:  http.StatusTooManyRequests,
		Message: fmt.Sprintf("查询失败次数过多，请 %d 分钟后再试。忘记查询码请拨打 12345 热线。", minutes),
		Data:    map[string]any{},
	}
}

// auditCodeLock notes a lockout (the address and which limit; never the
// guessed codes).
func (p *plugin) auditCodeLock(e *core.RequestEvent, byIP, byTarget bool) {
	err := hooks.Audit(e.App, hooks.AuditEntry{
		Action: "guard.code_lockout",
		Detail: map[string]any{"route": e.Request.Pattern, "by_address": byIP, "by_ticket": byTarget},
		IP:     e.RealIP(),
	})
	if err != nil {
		e.App.Logger().Warn("guard: audit code lockout", "error", err)
	}
}
