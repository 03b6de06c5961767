package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Retention (个人信息保护法): an appeal finished longer ago than the
// retention period keeps its case and timeline but loses the resident's
// personal data; anonymized_at says when (plugins/privacy).
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		for _, name := range []string{"appeals", "appointments"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.Add(&core.DateField{Name: "anonymized_at", Help: "个人信息匿名化的时间（超过保存期限或本人申请删除）"})
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
