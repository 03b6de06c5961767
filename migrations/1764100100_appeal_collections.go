package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Rule fragments for records that belong to an appeal.
const (
	// handlerOwnsAppeal: the handler's department leads or assists the case.
	handlerOwnsAppeal = `(lead_department = @request.auth.department || assisting_departments.id ?= @request.auth.department)`
	// handlerOwnsParent: the same, for records with an "appeal" relation.
	handlerOwnsParent = `(appeal.lead_department = @request.auth.department || appeal.assisting_departments.id ?= @request.auth.department)`

	appealReadRule = `(` + isResident + ` && resident = @request.auth.id) || (` + isCentral + `) || (` + isStaff + ` && @request.auth.role = "handler" && ` + handlerOwnsAppeal + `)`
	childStaffRule = `(` + isCentral + `) || (` + isStaff + ` && @request.auth.role = "handler" && ` + handlerOwnsParent + `)`
)

// AppealStatuses lists every state of the closed loop (see plugins/workflow/table.go).
var appealStatuses = []string{
	"submitted", "accepted", "dispatched", "handling", "suspended", "replied",
	"callback", "closed", "rejected", "withdrawn", "merged",
}

// The appeal (工单) and everything recorded while it moves through the loop.
// No collection here can be created or changed through the plain record API:
// every change goes through the workflow endpoints.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		appeals := core.NewBaseCollection("appeals", "sy_appeals")
		appeals.ListRule = rule(appealReadRule)
		appeals.ViewRule = rule(appealReadRule)
		appeals.Fields.Add(
			&core.TextField{Name: "ticket", Required: true, Max: 20, Presentable: true, Help: "受理编号"},
			&core.TextField{Name: "query_code_hash", Hidden: true, Max: 64, Help: "查询码的 SHA-256 摘要"},
			selectOne("channel", true, "web", "phone", "letter", "window", "open311", "api"),
			selectOne("kind", true, "consult", "complaint", "help", "suggestion", "report"),
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "content", Required: true, Max: 5000},
			relation("category", "sy_categories", false, 1),
			relation("region", "sy_regions", false, 1),
			text("address", false, 200),
			&core.GeoPointField{Name: "location"},
			attachments("attachments", 9),
			&core.TextField{Name: "contact_name", Hidden: true, Max: 40, Help: "联系人（仅经审计的查看接口可见）"},
			&core.TextField{Name: "contact_phone", Hidden: true, Max: 20, Help: "联系电话（仅经审计的查看接口可见）"},
			relation("resident", "_pb_users_auth_", false, 1),
			relation("registered_by", "sy_staff", false, 1),
			&core.BoolField{Name: "public_consent", Help: "同意公开"},
			&core.BoolField{Name: "confidential", Help: "保密"},
			&core.BoolField{Name: "anonymous", Help: "匿名（不向承办单位显示联系人）"},
			&core.TextField{Name: "public_title", Max: 100, Help: "脱敏后的公开标题"},
			&core.TextField{Name: "public_content", Max: 5000, Help: "脱敏后的公开内容"},
			selectOne("status", true, appealStatuses...),
			selectOne("priority", true, "normal", "urgent"),
			relation("sla_policy", "sy_sla_policies", false, 1),
			relation("lead_department", "sy_departments", false, 1),
			relation("assisting_departments", "sy_departments", false, 20),
			date("due_accept"),
			date("due_sign"),
			date("due_finish"),
			date("due_callback"),
			selectOne("sla_state", false, "normal", "warning", "overdue"),
			&core.SelectField{Name: "sla_stage", MaxSelect: 1, Values: []string{"accept", "sign", "finish", "callback"}, Help: "正在计时的环节（空为不计时）"},
			&core.DateField{Name: "sla_start", Help: "本环节开始计时的时间"},
			&core.DateField{Name: "sla_warn_at", Help: "本环节的预警时间"},
			&core.DateField{Name: "sla_due_at", Help: "本环节的期限"},
			&core.DateField{Name: "next_sla_at", Help: "计时器下一次需要处理的时间"},
			&core.NumberField{Name: "sla_escalations", OnlyInt: true, Help: "本环节超时后的自动督办次数"},
			&core.NumberField{Name: "remaining_seconds", OnlyInt: true, Help: "挂起时剩余的办理时间（秒）"},
			&core.NumberField{Name: "reopen_count", OnlyInt: true, Help: "回访不满意重办次数"},
			&core.NumberField{Name: "redo_count", OnlyInt: true, Help: "审核退回重办次数"},
			&core.NumberField{Name: "urge_count", OnlyInt: true, Help: "催办次数"},
			&core.NumberField{Name: "supervise_count", OnlyInt: true, Help: "督办次数"},
			&core.NumberField{Name: "extension_count", OnlyInt: true, Help: "已批准的延期次数"},
			selectOne("reject_reason", false, "emergency_hotline", "legal_channel", "explained", "duplicate", "incomplete", "harassment", "out_of_scope"),
			selectOne("close_reason", false, "resolved", "explained", "emergency_hotline", "legal_channel", "unreachable", "confirmed"),
			selectOne("satisfaction", false, "very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"),
			boolean("resolved"),
			date("accepted_at"),
			date("dispatched_at"),
			date("signed_at"),
			date("replied_at"),
			date("closed_at"),
		)
		timestamps(appeals)
		appeals.AddIndex("idx_appeals_ticket", true, "ticket", "")
		appeals.AddIndex("idx_appeals_status_created", false, "status, created", "")
		appeals.AddIndex("idx_appeals_lead_status_due", false, "lead_department, status, due_finish", "")
		appeals.AddIndex("idx_appeals_resident", false, "resident, created", "")
		appeals.AddIndex("idx_appeals_category", false, "category, created", "")
		appeals.AddIndex("idx_appeals_region", false, "region, created", "")
		appeals.AddIndex("idx_appeals_created", false, "created", "")
		appeals.AddIndex("idx_appeals_next_sla_at", false, "next_sla_at", "next_sla_at != ''")
		appeals.AddIndex("idx_appeals_sla_state", false, "sla_state, lead_department", "sla_state != 'normal'")
		duplicateOf := &core.RelationField{Name: "duplicate_of", CollectionId: "sy_appeals", MaxSelect: 1, Help: "并单：所并入的原工单"}
		if err := saveWithSelfRelation(app, appeals, duplicateOf); err != nil {
			return err
		}

		assignments := core.NewBaseCollection("assignments", "sy_assignments")
		assignments.ListRule = rule(childStaffRule)
		assignments.ViewRule = rule(childStaffRule)
		assignments.Fields.Add(
			relation("appeal", "sy_appeals", true, 1),
			relation("department", "sy_departments", true, 1),
			selectOne("role", true, "lead", "assist"),
			selectOne("status", true, "pending", "signed", "replied", "returned", "cancelled", "done"),
			date("due_sign"),
			date("due_return"),
			date("due_finish"),
			date("signed_at"),
			relation("signed_by", "sy_staff", false, 1),
			date("replied_at"),
			date("returned_at"),
			text("return_reason", false, 1000),
		)
		timestamps(assignments)
		assignments.AddIndex("idx_assignments_appeal", false, "appeal", "")
		assignments.AddIndex("idx_assignments_dept_status", false, "department, status, due_sign", "")
		if err := app.Save(assignments); err != nil {
			return err
		}

		events := core.NewBaseCollection("appeal_events", "sy_appeal_events")
		events.ListRule = rule(`(` + isResident + ` && appeal.resident = @request.auth.id && public = true) || ` + childStaffRule)
		events.ViewRule = events.ListRule
		events.Fields.Add(
			relation("appeal", "sy_appeals", true, 1),
			&core.TextField{Name: "action", Required: true, Max: 40, Presentable: true},
			selectOne("actor_role", true, "resident", "operator", "handler", "supervisor", "admin", "system"),
			relation("actor_staff", "sy_staff", false, 1),
			relation("actor_department", "sy_departments", false, 1),
			text("from_status", false, 20),
			text("to_status", false, 20),
			&core.TextField{Name: "summary", Max: 500, Help: "给居民看的一句话说明"},
			text("note", false, 10000),
			&core.BoolField{Name: "public", Help: "居民可见"},
			jsonField("data"),
			attachments("attachments", 9),
		)
		events.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
		events.AddIndex("idx_appeal_events_appeal", false, "appeal, created", "")
		if err := app.Save(events); err != nil {
			return err
		}

		replies := core.NewBaseCollection("replies", "sy_replies")
		replies.ListRule = rule(`(` + isResident + ` && appeal.resident = @request.auth.id && review_status = "approved" && role = "lead") || ` + childStaffRule)
		replies.ViewRule = replies.ListRule
		replies.Fields.Add(
			relation("appeal", "sy_appeals", true, 1),
			relation("assignment", "sy_assignments", false, 1),
			relation("department", "sy_departments", false, 1),
			relation("author", "sy_staff", false, 1),
			selectOne("role", true, "lead", "assist", "direct"),
			&core.TextField{Name: "content", Required: true, Max: 10000},
			&core.TextField{Name: "public_content", Max: 10000, Help: "脱敏后的公开答复"},
			attachments("attachments", 9),
			selectOne("review_status", true, "pending", "approved", "returned", "none"),
			text("review_note", false, 2000),
			relation("reviewed_by", "sy_staff", false, 1),
			date("reviewed_at"),
		)
		timestamps(replies)
		replies.AddIndex("idx_replies_appeal", false, "appeal, created", "")
		if err := app.Save(replies); err != nil {
			return err
		}

		extensions := core.NewBaseCollection("extensions", "sy_extensions")
		extensions.ListRule = rule(`(` + isCentral + `) || (` + isStaff + ` && department = @request.auth.department)`)
		extensions.ViewRule = extensions.ListRule
		extensions.Fields.Add(
			relation("appeal", "sy_appeals", true, 1),
			relation("department", "sy_departments", true, 1),
			relation("requested_by", "sy_staff", false, 1),
			selectOne("kind", true, "extend", "suspend"),
			&core.NumberField{Name: "days", Help: "申请延长的工作日数（延期）"},
			&core.TextField{Name: "reason", Required: true, Max: 2000},
			selectOne("status", true, "pending", "approved", "denied"),
			relation("decided_by", "sy_staff", false, 1),
			date("decided_at"),
			text("decision_note", false, 2000),
		)
		timestamps(extensions)
		extensions.AddIndex("idx_extensions_appeal_status", false, "appeal, status", "")
		extensions.AddIndex("idx_extensions_status", false, "status", "")
		if err := app.Save(extensions); err != nil {
			return err
		}

		callbacks := core.NewBaseCollection("callbacks", "sy_callbacks")
		callbacks.ListRule = rule(`(` + isResident + ` && appeal.resident = @request.auth.id) || (` + isCentral + `)`)
		callbacks.ViewRule = callbacks.ListRule
		callbacks.Fields.Add(
			relation("appeal", "sy_appeals", true, 1),
			selectOne("status", true, "pending", "done", "cancelled"),
			date("due"),
			selectOne("channel", false, "phone", "web", "sms"),
			selectOne("satisfaction", false, "very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"),
			boolean("resolved"),
			text("comment", false, 2000),
			relation("operator", "sy_staff", false, 1),
			date("done_at"),
		)
		timestamps(callbacks)
		callbacks.AddIndex("idx_callbacks_appeal", false, "appeal", "")
		callbacks.AddIndex("idx_callbacks_status_due", false, "status, due", "")
		if err := app.Save(callbacks); err != nil {
			return err
		}

		audit := core.NewBaseCollection("audit_log", "sy_audit_log")
		audit.ListRule = rule(isSuper)
		audit.ViewRule = rule(isSuper)
		audit.Fields.Add(
			&core.TextField{Name: "action", Required: true, Max: 60, Presentable: true},
			text("actor_id", false, 40),
			text("actor_collection", false, 40),
			text("actor_name", false, 100),
			text("target_collection", false, 60),
			text("target_id", false, 40),
			jsonField("detail"),
			text("ip", false, 64),
		)
		audit.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
		audit.AddIndex("idx_audit_log_target", false, "target_collection, target_id", "")
		audit.AddIndex("idx_audit_log_created", false, "created", "")
		if err := app.Save(audit); err != nil {
			return err
		}

		counters := core.NewBaseCollection("ticket_counters", "sy_ticket_counters")
		counters.Fields.Add(
			text("day", true, 8),
			&core.NumberField{Name: "last", OnlyInt: true},
		)
		counters.AddIndex("idx_ticket_counters_day", true, "day", "")
		if err := app.Save(counters); err != nil {
			return err
		}

		// The only anonymous window on appeals: masked text of cases whose
		// resident consented to publication and that are not 保密, once an
		// operator has accepted them (unreviewed submissions never show).
		public := core.NewViewCollection("public_appeals", "sy_public_appeals")
		public.ListRule = rule("")
		public.ViewRule = rule("")
		public.ViewQuery = `
SELECT a.id, a.ticket, a.kind, a.category, a.region, a.lead_department,
       a.public_title AS title, a.public_content AS content, a.status,
       a.created, a.replied_at, a.closed_at,
       (SELECT r.public_content FROM replies r
         WHERE r.appeal = a.id AND r.review_status = 'approved' AND r.role != 'assist'
         ORDER BY r.created DESC LIMIT 1) AS reply
  FROM appeals a
 WHERE a.public_consent = 1 AND a.confidential = 0
   AND a.status IN ('accepted','dispatched','handling','suspended','replied','callback','closed')`
		return app.Save(public)
	}, nil)
}
