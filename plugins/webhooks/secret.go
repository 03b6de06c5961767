package webhooks

import (
	"github.com/pocketbase/pocketbase/core"
)

// bindSecretInput lets staff admins set a webhook's secret through the
// record API. The field is hidden (never serialised but to superusers),
// and PocketBase drops hidden fields from what non-superusers submit (also
// from RequestInfo); the collection's rules have already admitted the
// caller (a staff admin) when these hooks run, so the secret is read from
// the (re-readable) body here. An update without a secret keeps the
// stored one.
func bindSecretInput(app core.App) {
	take := func(e *core.RecordRequestEvent) error {
		if e.HasSuperuserAuth() {
			return e.Next() // PocketBase took it already
		}
		var body struct {
			Secret string `json:"secret" form:"secret"`
		}
		if err := e.BindBody(&body); err != nil {
			return e.BadRequestError("请求内容无法解析", err)
		}
		if body.Secret != "" {
			e.Record.Set("secret", body.Secret)
		}
		return e.Next()
	}
	app.OnRecordCreateRequest("webhooks").BindFunc(take)
	app.OnRecordUpdateRequest("webhooks").BindFunc(take)
}
