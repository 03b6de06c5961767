package residents

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/plugins/workflow"
)

// bindPhoneGuard keeps the users' phone field for numbers proven by an SMS
// code: the phone sign-in finds the account by it, so a number typed into
// the record API would hand its owner's sign-in to someone else's account.
// Superusers (the dashboard) may still correct it.
func bindPhoneGuard(app core.App) {
	refuse := workflow.FieldError("phone", "手机号只能通过短信验证码登录绑定，不能直接填写")
	app.OnRecordCreateRequest("users").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Record.GetString("phone") != "" && !e.HasSuperuserAuth() {
			return refuse
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("users").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Record.GetString("phone") != e.Record.Original().GetString("phone") && !e.HasSuperuserAuth() {
			return refuse
		}
		return e.Next()
	})
}

// RequireResident lets through signed-in residents only, answering in
// Chinese.
func RequireResident() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "siyangRequireResident",
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil || e.Auth.Collection().Name != "users" {
				return &router.ApiError{Status: http.StatusUnauthorized, Message: "请先登录", Data: map[string]any{}}
			}
			return e.Next()
		},
	}
}
