package privacy

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// handleExport runs GET /api/privacy/export: a signed-in resident gets
// everything the platform holds about them (their account, their appeals
// with their own contact data, the public timeline, the accepted replies
// and their ratings) as one JSON document; an administrator gets the same
// for the appeals and bookings of a phone number (?phone=, for a resident
// who asks at the window). Every export is audited.
func (p *Plugin) handleExport(e *core.RequestEvent) error {
	subject, err := p.subject(e, e.Request.URL.Query().Get("phone"))
	if err != nil {
		return err
	}
	doc := map[string]any{
		"说明":       "泗阳网络直通车依《个人信息保护法》向本人提供的个人信息副本",
		"exported": p.config.Now().UTC(),
		"appeals":  []any{},
		"bookings": []any{},
		"account":  nil,
	}
	if subject.user != nil {
		doc["account"] = map[string]any{
			"id": subject.user.Id, "email": subject.user.Email(), "name": subject.user.GetString("name"),
			"phone": subject.user.GetString("phone"), "created": subject.user.GetDateTime("created"),
		}
	}
	appeals, err := subject.appeals(e.App)
	if err != nil {
		return err
	}
	list := make([]any, 0, len(appeals))
	for _, a := range appeals {
		v, err := workflow.ResidentView(e.App, a)
		if err != nil {
			return err
		}
		v["contact_name"] = a.GetString("contact_name")
		v["contact_phone"] = a.GetString("contact_phone")
		v["anonymized_at"] = a.GetDateTime("anonymized_at")
		callbacks, err := e.App.FindRecordsByFilter("callbacks", "appeal = {:a} && status = 'done'", "created", 0, 0, dbx.Params{"a": a.Id})
		if err != nil {
			return err
		}
		ratings := make([]any, 0, len(callbacks))
		for _, c := range callbacks {
			ratings = append(ratings, map[string]any{
				"satisfaction": workflow.SatisfactionLabels[c.GetString("satisfaction")], "resolved": c.GetBool("resolved"),
				"comment": c.GetString("comment"), "done_at": c.GetDateTime("done_at"),
			})
		}
		v["ratings"] = ratings
		list = append(list, v)
	}
	doc["appeals"] = list
	bookings, err := subject.bookings(e.App)
	if err != nil {
		return err
	}
	items := make([]any, 0, len(bookings))
	for _, b := range bookings {
		items = append(items, map[string]any{
			"id": b.Id, "name": b.GetString("name"), "phone": b.GetString("phone"), "status": b.GetString("status"),
			"created": b.GetDateTime("created"),
		})
	}
	doc["bookings"] = items
	if err := hooks.Audit(e.App, hooks.AuditEntry{
		Action: "privacy.export", Actor: e.Auth, TargetCollection: subject.collection(), TargetID: subject.id(),
		Detail: map[string]any{"appeals": len(list), "bookings": len(items), "phone": hooks.MaskPhone(subject.phone)},
		IP:     e.RealIP(),
	}); err != nil {
		return err
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="personal-data.json"`)
	return e.JSON(http.StatusOK, doc)
}
