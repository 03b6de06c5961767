package deptapi

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"siyang/plugins/deptapi/apikey"
	"siyang/plugins/workflow"
)

// keyStoreName is where the middleware leaves the checked key for handlers.
const keyStoreName = "siyangDeptKey"

// requireDepartmentKey checks X-Api-Key: a missing, unknown or revoked key
// is 401, a key of another kind or of a department that was deactivated 403.
func requireDepartmentKey() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "siyangDeptKey",
		Func: func(e *core.RequestEvent) error {
			secret := e.Request.Header.Get("X-Api-Key")
			if secret == "" {
				return apiError(http.StatusUnauthorized, "缺少接口密钥：请在请求头 X-Api-Key 中提供本单位的接口密钥")
			}
			key, err := apikey.Check(e.App, secret, apikey.Department)
			switch {
			case errors.Is(err, apikey.ErrWrongKind):
				return apiError(http.StatusForbidden, "该密钥不是部门接口密钥，不能访问部门任务")
			case err != nil:
				return apiError(http.StatusUnauthorized, "接口密钥无效或已停用，请联系平台管理员")
			}
			dept, err := e.App.FindRecordById("departments", key.GetString("department"))
			if err != nil || !dept.GetBool("active") {
				return apiError(http.StatusForbidden, "密钥所属单位不存在或已停用")
			}
			e.Set(keyStoreName, key)
			return e.Next()
		},
	}
}

// keyOf answers the request's checked key.
func keyOf(e *core.RequestEvent) *core.Record {
	key, _ := e.Get(keyStoreName).(*core.Record)
	return key
}

// actorOf is the department's system as a workflow actor: it holds exactly
// the rights of that department's handlers.
func actorOf(e *core.RequestEvent) workflow.Actor {
	a := workflow.DepartmentSystem(keyOf(e).GetString("department"), Via)
	a.IP = e.RealIP()
	return a
}
