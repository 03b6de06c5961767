package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The SMS gateway is configured in one place, a single-row collection that
// only superusers reach (no API rules), in the dashboard next to
// PocketBase's own mail settings. plugins/notify reads it on each change,
// keeps the secret out of every API answer (write-only), refuses a second
// row and deletion, and audits each change.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		c := core.NewBaseCollection("sms_settings", "sy_sms_settings")
		// nil rules: superusers only
		c.Fields.Add(
			&core.SelectField{Name: "driver", Required: true, MaxSelect: 1, Values: []string{"off", "log", "http"},
				Help: "off 不发短信；log 只记日志（开发测试用，号码打码）；http 通过短信网关发送"},
			&core.URLField{Name: "gateway_url", Help: "短信网关发送接口地址（http 时必填）"},
			&core.TextField{Name: "app_id", Max: 100, Help: "在短信网关开通的应用编号（X-App-Id）"},
			// Hidden, and also stripped for superusers by plugins/notify:
			// it can be set, never read back. Leaving it empty on save keeps
			// the stored one.
			&core.TextField{Name: "secret", Hidden: true, Max: 200,
				Help: "网关签名密钥（只写不读：保存后不再显示，留空保存则保留原密钥）"},
			&core.BoolField{Name: "rate_invite", Help: "答复审核通过后，短信邀请群众评价"},
			&core.BoolField{Name: "urge", Help: "催办、超时催办短信发给主办单位的手机号"},
			&core.BoolField{Name: "supervise", Help: "督办短信发给主办单位的手机号"},
			&core.BoolField{Name: "merged", Help: "并单及并入工单答复时，短信告知被并单的群众"},
			&core.TextField{Name: "tpl_rate_invite", Max: 64, Help: "评价邀请模板编号（参数 ticket、link）"},
			&core.TextField{Name: "tpl_urge", Max: 64, Help: "催办模板编号（参数 ticket、link）"},
			&core.TextField{Name: "tpl_supervise", Max: 64, Help: "督办模板编号（参数 ticket、link）"},
			&core.TextField{Name: "tpl_merged", Max: 64, Help: "并单告知模板编号（参数 ticket、target、link）"},
			&core.TextField{Name: "tpl_merged_replied", Max: 64, Help: "所并入工单已答复模板编号（参数 ticket、target、link）"},
		)
		timestamps(c)
		if err := app.Save(c); err != nil {
			return err
		}
		// the one row: log only until an administrator enters a gateway
		row := core.NewRecord(c)
		row.Load(map[string]any{"driver": "log", "rate_invite": true, "urge": true, "supervise": true, "merged": true})
		return app.Save(row)
	}, nil)
}
