package deptapi

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/hooks"
	"siyang/plugins/deptapi/apikey"
	"siyang/plugins/workflow"
)

func apiError(status int, message string) *router.ApiError {
	return &router.ApiError{Status: status, Message: message, Data: map[string]any{}}
}

// requireAdmin lets through staff admins and superusers (after RequireStaff).
func requireAdmin() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "siyangRequireAdmin",
		Func: func(e *core.RequestEvent) error {
			if !e.Auth.IsSuperuser() && e.Auth.GetString("role") != "admin" {
				return apiError(http.StatusForbidden, "接口密钥只能由系统管理员管理")
			}
			return e.Next()
		},
	}
}

// handleCreateKey runs POST /api/integrations/keys {name, kind, department}:
// the key is in the answer and nowhere else, ever.
func (p *plugin) handleCreateKey(e *core.RequestEvent) error {
	var body struct {
		Name       string `json:"name" form:"name"`
		Kind       string `json:"kind" form:"kind"`
		Department string `json:"department" form:"department"`
	}
	if err := e.BindBody(&body); err != nil {
		return workflow.BodyError(err)
	}
	body.Name = strings.TrimSpace(body.Name)
	errs := &workflow.FieldErrors{}
	if body.Name == "" || utf8.RuneCountInString(body.Name) > 100 {
		errs.Add("name", "请填写密钥用途（不超过 100 字），如「县住建局业务系统」")
	}
	if _, ok := apikey.Kinds[body.Kind]; !ok {
		errs.Add("kind", "密钥类型只能是 department（部门业务系统）、open311（Open311 客户端）或 upper_platform（上级 12345 平台）")
	}
	switch {
	case body.Kind == apikey.Department && body.Department == "":
		errs.Add("department", "部门密钥需要指定所属单位")
	case body.Kind == apikey.Department:
		if d, err := e.App.FindRecordById("departments", body.Department); err != nil || !d.GetBool("active") {
			errs.Add("department", "所属单位不存在或已停用")
		}
	case body.Department != "":
		errs.Add("department", "只有部门密钥可以指定所属单位")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	collection, err := e.App.FindCachedCollectionByNameOrId("api_keys")
	if err != nil {
		return err
	}
	key := core.NewRecord(collection)
	key.Set("name", body.Name)
	key.Set("kind", body.Kind)
	key.Set("department", body.Department)
	key.Set("active", true)
	if e.Auth.Collection().Name == "staff" {
		key.Set("created_by", e.Auth.Id)
	}
	secret := apikey.Generate()
	apikey.SetSecret(key, secret)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(key); err != nil {
			return err
		}
		return audit(tx, e, "apikey.create", key)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusCreated, map[string]any{
		"id": key.Id, "key": secret, "key_prefix": key.GetString("key_prefix"),
		"name": key.GetString("name"), "kind": key.GetString("kind"), "department": key.GetString("department"),
		"message": "密钥只显示这一次，请立即妥善保存；遗失后只能轮换生成新密钥。",
	})
}

// handleRotateKey runs POST /api/integrations/keys/{id}/rotate: a new
// secret for the same key record; the old one stops working at once.
func (p *plugin) handleRotateKey(e *core.RequestEvent) error {
	key, err := e.App.FindRecordById("api_keys", e.Request.PathValue("id"))
	if err != nil {
		return apiError(http.StatusNotFound, "密钥不存在")
	}
	secret := apikey.Generate()
	apikey.SetSecret(key, secret)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(key); err != nil {
			return err
		}
		return audit(tx, e, "apikey.rotate", key)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id": key.Id, "key": secret, "key_prefix": key.GetString("key_prefix"), "active": key.GetBool("active"),
		"message": "已生成新密钥，旧密钥立即失效。新密钥只显示这一次。",
	})
}

// handleRevokeKey runs POST /api/integrations/keys/{id}/revoke (the same as
// setting active = false).
func (p *plugin) handleRevokeKey(e *core.RequestEvent) error {
	key, err := e.App.FindRecordById("api_keys", e.Request.PathValue("id"))
	if err != nil {
		return apiError(http.StatusNotFound, "密钥不存在")
	}
	key.Set("active", false)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(key); err != nil {
			return err
		}
		return audit(tx, e, "apikey.revoke", key)
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"id": key.Id, "active": false, "message": "密钥已停用"})
}

func audit(app core.App, e *core.RequestEvent, action string, key *core.Record) error {
	return hooks.Audit(app, hooks.AuditEntry{
		Action: action, Actor: e.Auth, TargetCollection: "api_keys", TargetID: key.Id,
		Detail: map[string]any{"name": key.GetString("name"), "kind": key.GetString("kind"),
			"department": key.GetString("department"), "key_prefix": key.GetString("key_prefix"), "active": key.GetBool("active")},
		IP: e.RealIP(),
	})
}

// bindKeyGuards keeps the record API (dashboard, PATCH) from changing what
// makes a key a key — its kind, department and visible prefix — and audits
// every change made there (renaming, revoking).
func bindKeyGuards(app core.App) {
	app.OnRecordUpdateRequest("api_keys").BindFunc(func(e *core.RecordRequestEvent) error {
		orig := e.Record.Original()
		for _, f := range []string{"kind", "department", "key_prefix", "key_hash", "created_by"} {
			e.Record.Set(f, orig.Get(f))
		}
		if err := e.Next(); err != nil {
			return err
		}
		return hooks.Audit(e.App, hooks.AuditEntry{
			Action: "apikey.update", Actor: e.Auth, TargetCollection: "api_keys", TargetID: e.Record.Id,
			Detail: map[string]any{"name": e.Record.GetString("name"), "active": e.Record.GetBool("active"),
				"key_prefix": e.Record.GetString("key_prefix")},
			IP: e.RealIP(),
		})
	})
}
