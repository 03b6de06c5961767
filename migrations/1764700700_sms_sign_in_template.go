package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Residents sign in with a code sent by SMS (plugins/residents); the gateway
// needs its own approved template for it, entered beside the others.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("sms_settings")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.TextField{Name: "tpl_sign_in_code", Max: 64,
			Help: "登录验证码模板编号（参数 code）；留空则不开通短信验证码登录"})
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("sms_settings")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("tpl_sign_in_code")
		return app.Save(c)
	})
}
