package workflow

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// RequireStaff lets through staff and superusers only, answering in
// Chinese (PocketBase's own RequireAuth answers in English).
func RequireStaff() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "siyangRequireStaff",
		Func: func(e *core.RequestEvent) error {
			switch {
			case e.Auth == nil:
				return apiError(http.StatusUnauthorized, "请先以工作人员身份登录", nil)
			case e.Auth.Collection().Name != "staff" && !e.Auth.IsSuperuser():
				return apiError(http.StatusForbidden, "仅限工作人员使用", nil)
			}
			return e.Next()
		},
	}
}
