package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Progress reports to an upper-level 12345 platform travel through the
// webhooks outbox: a webhook of kind "upper_platform" names the api_keys
// row the platform submits with (appeals.external_source) and receives a
// report, in the platform's terms, of each change of the cases that
// platform forwarded — and of nothing else (plugins/upstream).
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		webhooks, err := app.FindCollectionByNameOrId("webhooks")
		if err != nil {
			return err
		}
		webhooks.Fields.Add(
			&core.SelectField{Name: "kind", MaxSelect: 1, Values: []string{"events", "upper_platform"},
				Help: "events 事件推送（默认）；upper_platform 向上级 12345 平台回传其转办件的办理进度"},
			&core.RelationField{Name: "source", CollectionId: "sy_api_keys", MaxSelect: 1,
				Help: "上级平台的接口密钥（upper_platform 时必填）：只回传通过该密钥转来的工单"},
		)
		webhooks.AddIndex("idx_webhooks_source", false, "source", "")
		return app.Save(webhooks)
	}, nil)
}
