package webhooks

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/hooks"
)

// isAdmin reports whether auth may replay deliveries: a superuser (the
// dashboard) or a staff account with the admin role.
func isAdmin(auth *core.Record) bool {
	if auth == nil {
		return false
	}
	return auth.IsSuperuser() || (auth.Collection().Name == "staff" && auth.GetString("role") == "admin")
}

// requeue sets a dead row back to pending with a fresh attempt budget, due
// now; its timeline order is kept, so it is delivered before any later
// pending row of the same appeal.
func (p *plugin) requeue(row *core.Record) {
	row.Set("status", "pending")
	row.Set("attempts", 0)
	row.Set("next_attempt_at", p.now())
}

// guardReplay lets the record API change an outbox row in one way only:
// status from dead to pending (a replay from the dashboard). The delivery
// log is otherwise read-only, for superusers too.
func (p *plugin) guardReplay(e *core.RecordRequestEvent) error {
	orig := e.Record.Original()
	for _, f := range e.Record.Collection().Fields {
		name := f.GetName()
		if name == "status" || name == "updated" {
			continue
		}
		if fmt.Sprint(e.Record.Get(name)) != fmt.Sprint(orig.Get(name)) {
			return router.NewBadRequestError("发件箱记录只能把「dead」改为「pending」（重新投递），其他字段不能修改", nil)
		}
	}
	if orig.GetString("status") != "dead" || e.Record.GetString("status") != "pending" {
		return router.NewBadRequestError("只有投递失败（dead）的记录可以改为 pending 重新投递", nil)
	}
	p.requeue(e.Record)
	if err := e.Next(); err != nil {
		return err
	}
	p.auditReplay(e.App, e.Auth, e.Record, e.RealIP())
	return nil
}

// handleReplay is POST /api/webhooks/outbox/{id}/replay.
func (p *plugin) handleReplay(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("请先以管理员身份登录", nil)
	}
	if !isAdmin(e.Auth) {
		return e.ForbiddenError("仅限系统管理员重新投递", nil)
	}
	row, err := e.App.FindRecordById("outbox", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("投递记录不存在", nil)
	}
	if row.GetString("status") != "dead" {
		return router.NewApiError(http.StatusConflict, "只有投递失败（dead）的记录可以重新投递，该记录当前为「"+row.GetString("status")+"」", nil)
	}
	p.requeue(row)
	if err := e.App.Save(row); err != nil {
		return err
	}
	p.auditReplay(e.App, e.Auth, row, e.RealIP())
	return e.JSON(http.StatusOK, map[string]any{
		"id": row.Id, "status": row.GetString("status"), "attempts": row.GetInt("attempts"),
		"next_attempt_at": row.GetDateTime("next_attempt_at"),
		"message":         "已重新排队，将按顺序投递",
	})
}

// auditReplay records who replayed what and starts a delivery pass.
func (p *plugin) auditReplay(app core.App, auth *core.Record, row *core.Record, ip string) {
	err := hooks.Audit(app, hooks.AuditEntry{
		Action: "webhook.replay", Actor: auth, TargetCollection: "outbox", TargetID: row.Id,
		Detail: map[string]any{"webhook": row.GetString("webhook"), "appeal": row.GetString("appeal"), "event": row.GetString("event")},
		IP:     ip,
	})
	if err != nil {
		p.app.Logger().Error("webhooks: audit replay", "outbox", row.Id, "error", err)
	}
	if !p.config.NoNudge {
		p.nudge()
	}
}
