package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// WebhookEvents are the timeline actions a webhook may subscribe to: every
// action of plugins/workflow/table.go plus "submit" (the first line of
// every timeline). A test checks that the list still covers the table.
var WebhookEvents = []string{
	"submit", "accept", "reject", "merge", "direct_answer", "dispatch", "revoke_dispatch",
	"redispatch", "sign", "assist_sign", "return", "request_extension", "request_suspension",
	"approve_extension", "approve_suspension", "deny_request", "resume", "reply", "assist_reply",
	"approve_reply", "send_back", "rate", "archive", "urge", "supervise", "sla_warning",
	"sla_overdue", "supplement", "withdraw",
}

// Webhooks tell the departments' own systems (and the platform's other
// systems) about every change of a case. Deliveries go through a
// transactional outbox: a row is written in the same transaction as the
// timeline entry, so no event is lost and none is announced that did not
// happen; a background deliverer sends the rows in order, with retries.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		webhooks := core.NewBaseCollection("webhooks", "sy_webhooks")
		webhooks.ListRule = rule(isAdmin)
		webhooks.ViewRule = rule(isAdmin)
		webhooks.CreateRule = rule(isAdmin)
		webhooks.UpdateRule = rule(isAdmin)
		webhooks.DeleteRule = rule(isAdmin)
		webhooks.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true, Help: "接收方，如「县住建局业务系统」"},
			&core.URLField{Name: "url", Required: true, Help: "接收地址（http 或 https），平台以 POST JSON 推送"},
			// Hidden: never serialised to anyone but superusers; the admin
			// who sets it hands it to the receiver's IT once.
			&core.TextField{Name: "secret", Required: true, Hidden: true, Min: 24, Max: 200,
				Help: "签名密钥（至少 24 个字符）：X-Siyang-Signature = sha256=HMAC-SHA256(密钥, 时间戳 + \".\" + 请求体)"},
			&core.RelationField{Name: "department", CollectionId: "sy_departments", MaxSelect: 1,
				Help: "只推送该单位主办或协办的工单（空为全部工单）"},
			&core.SelectField{Name: "events", MaxSelect: len(WebhookEvents), Values: WebhookEvents,
				Help: "订阅的事件（空为全部事件）"},
			&core.BoolField{Name: "active", Help: "停用后新事件不再写入发件箱，已排队的暂停投递"},
		)
		timestamps(webhooks)
		if err := app.Save(webhooks); err != nil {
			return err
		}

		outbox := core.NewBaseCollection("outbox", "sy_outbox")
		// The outbox is the delivery log: administrators read it; the only
		// change they may make is to set a dead row back to pending
		// (replay), which a hook in plugins/webhooks enforces.
		outbox.ListRule = rule(isAdmin)
		outbox.ViewRule = rule(isAdmin)
		outbox.UpdateRule = rule(isAdmin)
		outbox.Fields.Add(
			&core.RelationField{Name: "webhook", CollectionId: "sy_webhooks", Required: true, MaxSelect: 1, CascadeDelete: true},
			relation("appeal", "sy_appeals", true, 1),
			&core.TextField{Name: "event", Required: true, Max: 40, Presentable: true, Help: "事件（流转记录的 action）"},
			relation("appeal_event", "sy_appeal_events", false, 1),
			&core.NumberField{Name: "seq", Required: true, OnlyInt: true, Help: "该工单的事件序号（按序投递）"},
			&core.JSONField{Name: "payload", MaxSize: 1 << 16, Help: "推送内容（不含联系人信息）"},
			selectOne("status", true, "pending", "delivered", "dead"),
			&core.NumberField{Name: "attempts", OnlyInt: true, Help: "已尝试次数"},
			&core.DateField{Name: "next_attempt_at", Help: "下次尝试时间"},
			&core.NumberField{Name: "last_status", OnlyInt: true, Help: "最近一次的 HTTP 状态码（0 为未连通）"},
			text("last_error", false, 1000),
			date("delivered_at"),
		)
		timestamps(outbox)
		outbox.AddIndex("idx_outbox_status_next", false, "status, next_attempt_at", "")
		outbox.AddIndex("idx_outbox_appeal_seq", false, "appeal, seq", "")
		outbox.AddIndex("idx_outbox_webhook", false, "webhook", "")
		return app.Save(outbox)
	}, nil)
}
