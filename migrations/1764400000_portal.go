package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Rule fragments of the residents' portal (docs/portal.md).
const (
	// isEditor matches the staff who maintain the portal's content: the
	// platform's operators and admins.
	isEditor = isStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "operator")`
	// articlePublic: published, with a publication time that has come.
	articlePublic = `status = "published" && published_at != "" && published_at <= @now`
)

// articleFileTypes are the files an article may carry: documents and images.
var articleFileTypes = []string{
	"application/pdf",
	"application/msword",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.ms-excel",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"image/jpeg", "image/png", "image/gif", "image/webp",
}

// The residents' portal: 政务公开 (articles), 办事服务 (service items,
// appointment slots and appointments) and the 知识库 (knowledge) that answers
// questions before they become appeals.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		articles := core.NewBaseCollection("articles", "sy_articles")
		articles.ListRule = rule(articlePublic + ` || (` + isStaff + `)`)
		articles.ViewRule = articles.ListRule
		articles.CreateRule = rule(isEditor)
		articles.UpdateRule = rule(isEditor)
		articles.DeleteRule = rule(isAdmin)
		articles.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1,
				Values: []string{"news", "policy", "interpretation", "guide", "notice"},
				Help:   "栏目：news 工作动态、policy 政策文件、interpretation 政策解读、guide 办事指南、notice 通知公告"},
			&core.TextField{Name: "summary", Max: 500, Help: "摘要（纯文本，列表页显示）"},
			&core.EditorField{Name: "body", MaxSize: 1 << 20, Help: "正文；保存时自动清理脚本、样式和不安全的链接"},
			&core.FileField{Name: "attachments", MaxSelect: 10, MaxSize: 20 << 20, MimeTypes: articleFileTypes,
				Help: "公开附件（PDF、Word、Excel、图片）"},
			&core.FileField{Name: "cover", MaxSelect: 1, MaxSize: 5 << 20,
				MimeTypes: []string{"image/jpeg", "image/png", "image/webp"}, Thumbs: []string{"480x270"},
				Help: "封面图（可选）"},
			&core.RelationField{Name: "department", CollectionId: "sy_departments", MaxSelect: 1, Help: "发布单位"},
			&core.DateField{Name: "published_at", Help: "发布时间；早于此时间不对外显示（发布时为空则取当前时间）"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"draft", "published"},
				Help: "draft 草稿、published 已发布"},
			&core.BoolField{Name: "pinned", Help: "置顶"},
		)
		timestamps(articles)
		articles.AddIndex("idx_articles_kind_published", false, "kind, published_at", "")
		articles.AddIndex("idx_articles_status_published", false, "status, published_at", "")
		if err := app.Save(articles); err != nil {
			return err
		}

		items := core.NewBaseCollection("service_items", "sy_service_items")
		items.ListRule = rule(`active = true || (` + isStaff + `)`)
		items.ViewRule = items.ListRule
		items.CreateRule = rule(isEditor)
		items.UpdateRule = rule(isEditor)
		items.DeleteRule = rule(isAdmin)
		items.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
			relation("department", "sy_departments", true, 1),
			&core.TextField{Name: "category", Max: 60, Help: "事项分类，如 户籍办理、社保医保"},
			&core.TextField{Name: "conditions", Max: 5000, Help: "办理条件"},
			&core.TextField{Name: "materials", Max: 5000, Help: "申请材料"},
			&core.TextField{Name: "process", Max: 5000, Help: "办理流程"},
			&core.TextField{Name: "time_limit", Max: 100, Help: "办理时限，如 即办、5 个工作日"},
			&core.TextField{Name: "fees", Max: 200, Help: "收费标准，如 不收费"},
			&core.TextField{Name: "location", Max: 200, Help: "办理地点"},
			&core.TextField{Name: "phone", Max: 40, Help: "咨询电话"},
			&core.TextField{Name: "hours", Max: 200, Help: "办公时间"},
			&core.BoolField{Name: "online_booking", Help: "可网上预约"},
			boolean("active"),
			number("sort", true),
		)
		timestamps(items)
		items.AddIndex("idx_service_items_department", false, "department", "")
		items.AddIndex("idx_service_items_category", false, "active, category, sort", "")
		if err := app.Save(items); err != nil {
			return err
		}

		slots := core.NewBaseCollection("appointment_slots", "sy_appointment_slots")
		slots.ListRule = rule("")
		slots.ViewRule = rule("")
		slots.CreateRule = rule(isEditor)
		slots.UpdateRule = rule(isEditor)
		slots.DeleteRule = rule(isEditor)
		slots.Fields.Add(
			relation("service_item", "sy_service_items", true, 1),
			&core.TextField{Name: "date", Required: true, Pattern: `^\d{4}-\d{2}-\d{2}$`, Presentable: true, Help: "日期，如 2026-11-27"},
			&core.TextField{Name: "start", Required: true, Pattern: `^([01]\d|2[0-3]):[0-5]\d$`, Help: "开始时间，如 09:00（北京时间）"},
			&core.TextField{Name: "end", Required: true, Pattern: `^([01]\d|2[0-3]):[0-5]\d$`, Help: "结束时间，如 09:30"},
			&core.NumberField{Name: "capacity", Required: true, OnlyInt: true, Min: types.Pointer(1.0), Help: "可预约人数"},
			&core.NumberField{Name: "booked", OnlyInt: true, Min: types.Pointer(0.0), Help: "已预约人数（由预约接口维护，手工修改无效）"},
		)
		timestamps(slots)
		slots.AddIndex("idx_appointment_slots_item_date_start", true, "service_item, date, start", "")
		slots.AddIndex("idx_appointment_slots_date", false, "date", "")
		if err := app.Save(slots); err != nil {
			return err
		}

		// Appointments carry a resident's name and phone: hidden fields, no
		// public access at all, and no record-API writes (the portal plugin
		// refuses them; bookings go through /api/portal/appointments).
		staffOfItem := `(` + isCentral + `) || (` + isStaff + ` && @request.auth.role = "handler" && service_item.department = @request.auth.department)`
		appointments := core.NewBaseCollection("appointments", "sy_appointments")
		appointments.ListRule = rule(staffOfItem)
		appointments.ViewRule = rule(staffOfItem)
		appointments.Fields.Add(
			relation("slot", "sy_appointment_slots", true, 1),
			relation("service_item", "sy_service_items", true, 1),
			&core.TextField{Name: "name", Required: true, Hidden: true, Max: 40, Help: "预约人姓名（仅经审计的接口可见）"},
			&core.TextField{Name: "phone", Required: true, Hidden: true, Max: 20, Help: "预约人手机号（仅经审计的接口可见）"},
			&core.TextField{Name: "code_hash", Required: true, Hidden: true, Max: 64, Help: "预约码的 SHA-256 摘要"},
			selectOne("status", true, "booked", "cancelled", "done", "no_show"),
			date("cancelled_at"),
			relation("marked_by", "sy_staff", false, 1),
		)
		timestamps(appointments)
		// one live booking per phone and slot, enforced by the database too
		appointments.AddIndex("idx_appointments_slot_phone", true, "slot, phone", "status = 'booked'")
		appointments.AddIndex("idx_appointments_slot", false, "slot, status", "")
		appointments.AddIndex("idx_appointments_code_hash", false, "code_hash", "")
		if err := app.Save(appointments); err != nil {
			return err
		}

		knowledge := core.NewBaseCollection("knowledge", "sy_knowledge")
		knowledge.ListRule = rule(`public = true || (` + isStaff + `)`)
		knowledge.ViewRule = knowledge.ListRule
		knowledge.CreateRule = rule(isEditor)
		knowledge.UpdateRule = rule(isEditor)
		knowledge.DeleteRule = rule(isEditor)
		knowledge.Fields.Add(
			&core.TextField{Name: "question", Required: true, Max: 500, Presentable: true},
			&core.TextField{Name: "answer", Required: true, Max: 10000, Help: "答案（纯文本）"},
			relation("category", "sy_categories", false, 1),
			&core.TextField{Name: "keywords", Max: 500, Help: "关键词，以空格或逗号分隔（参与相似问题匹配）"},
			&core.BoolField{Name: "public", Help: "对居民公开"},
			&core.NumberField{Name: "hits", OnlyInt: true, Help: "居民查看次数"},
		)
		timestamps(knowledge)
		knowledge.AddIndex("idx_knowledge_public_category", false, "public, category", "")
		if err := app.Save(knowledge); err != nil {
			return err
		}

		// The portal's public statistics count appeals by the month they were
		// accepted and closed (plugins/portal/stats.go).
		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		appeals.AddIndex("idx_appeals_accepted_at", false, "accepted_at", "")
		appeals.AddIndex("idx_appeals_closed_at", false, "closed_at", "")
		return app.Save(appeals)
	}, nil)
}
