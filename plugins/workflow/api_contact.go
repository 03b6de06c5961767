package workflow

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// handleContact runs GET /api/appeals/{id}/contact: the resident's name and
// phone for staff entitled to them — the platform's operators, supervisors
// and admins, and the lead department unless the resident asked to stay
// anonymous. Every reveal is written to the audit log.
func (p *plugin) handleContact(e *core.RequestEvent) error {
	appeal, err := FindAppeal(e.App, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	actor := ActorFromAuth(e.Auth)
	roles := actor.RolesFor(appeal)
	if len(roles) == 0 {
		return NotFound("工单不存在或您无权查看")
	}
	switch roles[0] {
	case Operator, Supervisor, Admin:
	case LeadHandler:
		if appeal.GetBool("anonymous") {
			return Forbidden("诉求人要求对承办单位匿名，如需联系请通过平台转达")
		}
		if s := Status(appeal.GetString("status")); s != Dispatched && s != Handling && s != Suspended && s != Replied {
			return Forbidden("工单已不在办理中，承办单位不能再查看诉求人联系方式")
		}
	default:
		return Forbidden("协办单位不能查看诉求人联系方式，请与主办单位联系")
	}
	err = hooks.Audit(e.App, hooks.AuditEntry{
		Action: "contact.view", Actor: e.Auth, TargetCollection: "appeals", TargetID: appeal.Id,
		Detail: map[string]any{"ticket": appeal.GetString("ticket"), "role": string(roles[0])},
		IP:     e.RealIP(),
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"ticket":        appeal.GetString("ticket"),
		"contact_name":  appeal.GetString("contact_name"),
		"contact_phone": appeal.GetString("contact_phone"),
	})
}
