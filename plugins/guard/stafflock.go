package guard

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/hooks"
)

// guardStaffPassword locks a staff (or superuser) account's password sign-in after too
// many wrong passwords. The key is the identity as typed (lower-cased), so
// unknown addresses lock the same way and the answer never tells whether
// an account exists. Each lockout is a row in audit_log.
func (p *plugin) guardStaffPassword(e *core.RecordAuthWithPasswordRequestEvent) error {
	key := e.Collection.Name + ":" + strings.ToLower(strings.TrimSpace(e.Identity))
	if left := p.staff.locked(key); left > 0 {
		minutes := int(math.Ceil(left.Minutes()))
		e.Response.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(left.Seconds()))))
		return &router.ApiError{
			Status:  http.StatusTooManyRequests,
			Message: fmt.Sprintf("密码错误次数过多，账号已临时锁定，请 %d 分钟后再试，或联系系统管理员。", minutes),
			Data:    map[string]any{},
		}
	}
	err := e.Next()
	if err == nil {
		p.staff.reset(key)
		return nil
	}
	if router.ToApiError(err).Status != http.StatusBadRequest {
		return err
	}
	if p.staff.fail(key) {
		entry := hooks.AuditEntry{
			Action:           "guard.staff_lockout",
			TargetCollection: e.Collection.Name,
			Detail:           map[string]any{"minutes": int(p.config.StaffLockout.Minutes()), "failures": p.config.StaffFailures},
			IP:               e.RealIP(),
		}
		if e.Record != nil {
			entry.TargetID = e.Record.Id
		}
		if aerr := hooks.Audit(e.App, entry); aerr != nil {
			e.App.Logger().Warn("guard: audit staff lockout", "error", aerr)
		}
	}
	return err
}
