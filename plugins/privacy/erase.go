package privacy

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// ConfirmWord is what the resident types to confirm erasure.
const ConfirmWord = "确认删除"

// handleErase runs POST /api/privacy/erase: the resident's own request
// ({"confirm": "确认删除"}) anonymizes all their appeals and bookings and
// deletes their account; an administrator's ({"phone": …}) does the same
// for the appeals and bookings of that phone number. A case still being
// handled needs its contact (the call-back), so erasure waits until every
// case is finished (or withdrawn) and says which ones are open.
func (p *Plugin) handleErase(e *core.RequestEvent) error {
	var body struct {
		Confirm string `json:"confirm"`
		Phone   string `json:"phone"`
	}
	if err := e.BindBody(&body); err != nil {
		return workflow.BodyError(err)
	}
	subject, err := p.subject(e, body.Phone)
	if err != nil {
		return err
	}
	if subject.user != nil && strings.TrimSpace(body.Confirm) != ConfirmWord {
		return workflow.FieldError("confirm", "删除后无法恢复，请输入「"+ConfirmWord+"」确认")
	}
	appeals, err := subject.appeals(e.App)
	if err != nil {
		return err
	}
	var open []string
	for _, a := range appeals {
		if !slices.Contains(Finished, a.GetString("status")) {
			open = append(open, a.GetString("ticket"))
		}
	}
	if len(open) > 0 {
		return workflow.Conflict("以下诉求尚未办结，办理和回访需要联系方式，办结（或撤回）后才能删除个人信息：" + strings.Join(open, "、"))
	}
	bookings, err := subject.bookings(e.App)
	if err != nil {
		return err
	}
	now := p.config.Now()
	err = e.App.RunInTransaction(func(tx core.App) error {
		for _, a := range appeals {
			if err := AnonymizeAppeal(tx, a, now); err != nil {
				return err
			}
		}
		for _, b := range bookings {
			if err := anonymizeBooking(tx, b.Id, now); err != nil {
				return err
			}
		}
		if err := hooks.Audit(tx, hooks.AuditEntry{
			Action: "privacy.erase", Actor: e.Auth, TargetCollection: subject.collection(), TargetID: subject.id(),
			Detail: map[string]any{"appeals": len(appeals), "bookings": len(bookings), "phone": hooks.MaskPhone(subject.phone),
				"account_deleted": subject.user != nil},
			IP: e.RealIP(),
		}); err != nil {
			return err
		}
		if subject.user != nil {
			return tx.Delete(subject.user)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"anonymized_appeals":  len(appeals),
		"anonymized_bookings": len(bookings),
		"account_deleted":     subject.user != nil,
		"message":             "已删除您的个人信息。诉求的办理过程和统计数据依法保留，但不再包含可识别您身份的信息。",
	})
}
