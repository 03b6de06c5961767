package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Keys of the systems that talk to the platform without a person: the
// departments' own IT systems (deptapi), Open311 clients and the upper-level
// 12345 platform (open311). Only a SHA-256 digest of each key is stored; the
// key itself is shown once, by POST /api/integrations/keys.
//
// Appeals learn where an integration got them from: the key that submitted
// them and, for the upper-level platform, its own ticket id, unique per key
// so that a resent ticket is refused instead of registered twice.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		keys := core.NewBaseCollection("api_keys", "sy_api_keys")
		keys.ListRule = rule(isAdmin)
		keys.ViewRule = rule(isAdmin)
		// No create rule: a key is created by the endpoint that generates
		// it (a key typed in by hand would not be random). Update is for
		// renaming and revoking (active = false).
		keys.UpdateRule = rule(isAdmin)
		keys.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true, Help: "用途，如「县住建局业务系统」"},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"department", "open311", "upper_platform"},
				Help: "department 部门业务系统（X-Api-Key）、open311 Open311 客户端、upper_platform 上级 12345 平台（均用 api_key 参数）"},
			&core.RelationField{Name: "department", CollectionId: "sy_departments", MaxSelect: 1, Help: "部门密钥所属单位"},
			&core.TextField{Name: "key_prefix", Max: 16, Help: "密钥前 8 位，便于辨认（完整密钥只在创建或轮换时显示一次）"},
			&core.TextField{Name: "key_hash", Hidden: true, Max: 64, Help: "密钥的 SHA-256 摘要"},
			&core.BoolField{Name: "active", Help: "停用后立即失效"},
			&core.DateField{Name: "last_used_at", Help: "最近使用时间（每分钟最多记录一次）"},
			&core.RelationField{Name: "created_by", CollectionId: "sy_staff", MaxSelect: 1},
		)
		timestamps(keys)
		keys.AddIndex("idx_api_keys_key_hash", true, "key_hash", "key_hash != ''")
		keys.AddIndex("idx_api_keys_department", false, "department", "")
		if err := app.Save(keys); err != nil {
			return err
		}

		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		appeals.Fields.Add(
			&core.TextField{Name: "external_source", Max: 40, Help: "提交该诉求的接口密钥（api_keys 的 id）"},
			&core.TextField{Name: "external_id", Max: 64, Help: "上级平台的工单编号"},
			&core.URLField{Name: "media_url", Help: "Open311 提交的图片链接"},
			&core.TextField{Name: "contact_email", Hidden: true, Max: 200, Help: "联系邮箱（Open311 提交，不公开）"},
			&core.JSONField{Name: "attributes", MaxSize: 1 << 16, Help: "分类附加表单项的取值（Open311 attribute）"},
		)
		appeals.AddIndex("idx_appeals_external", true, "external_source, external_id", "external_id != ''")
		return app.Save(appeals)
	}, nil)
}
