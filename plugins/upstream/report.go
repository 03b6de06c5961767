package upstream

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// buildReport is the body the upper platform receives: the progress of
// subject after ev, told about target (the case it forwarded: subject
// itself, or a case merged into subject). It carries no contact data: the
// summary and the answer are the masked copies.
func buildReport(tx core.App, ev, subject, target *core.Record, seq int) (map[string]any, error) {
	status := workflow.Status(subject.GetString("status"))
	mapped := Statuses[status]
	label := "提交诉求"
	if a, ok := workflow.Find(ev.GetString("action")); ok {
		label = a.Label
	}
	names := []string{subject.GetString("contact_name"), target.GetString("contact_name")}
	report := map[string]any{
		"external_id":    target.GetString("external_id"),
		"ticket":         target.GetString("ticket"),
		"seq":            seq,
		"event":          ev.GetString("action"),
		"event_label":    label,
		"status":         mapped.Code,
		"status_label":   mapped.Label,
		"open311_status": open311Status(status),
		"local_status":   string(status),
		"summary":        hooks.MaskText(ev.GetString("summary"), names...),
		"department":     departmentName(tx, subject.GetString("lead_department")),
		"merged_into":    nil,
		"reply":          nil,
		"occurred_at":    stamp(ev.GetDateTime("created")),
		"received_at":    stamp(target.GetDateTime("created")),
		"due_finish":     stamp(subject.GetDateTime("due_finish")),
		"closed_at":      stamp(subject.GetDateTime("closed_at")),
	}
	if target.Id != subject.Id {
		report["merged_into"] = subject.GetString("ticket")
	} else if status == workflow.Merged {
		if o, err := tx.FindRecordById("appeals", subject.GetString("duplicate_of")); err == nil {
			report["merged_into"] = o.GetString("ticket")
		}
	}
	if answered[status] {
		reply, err := approvedReply(tx, subject.Id)
		if err != nil {
			return nil, err
		}
		if reply != nil {
			dept := departmentName(tx, reply.GetString("department"))
			if dept == "" {
				dept = "泗阳网络直通车平台"
			}
			report["reply"] = map[string]any{
				"content":     hooks.MaskText(reply.GetString("public_content"), names...),
				"department":  dept,
				"approved_at": stamp(reply.GetDateTime("reviewed_at")),
			}
		}
	}
	return report, nil
}

// approvedReply is the latest approved answer of the lead department or
// the platform (read with the transaction: 审核通过 has just approved it).
func approvedReply(tx core.App, appealID string) (*core.Record, error) {
	var list []*core.Record
	err := tx.RecordQuery("replies").
		Where(dbx.HashExp{"appeal": appealID, "review_status": "approved"}).
		AndWhere(dbx.Not(dbx.HashExp{"role": "assist"})).
		OrderBy("created DESC").Limit(1).All(&list)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

func departmentName(tx core.App, id string) string {
	if id == "" {
		return ""
	}
	d, err := tx.FindRecordById("departments", id)
	if err != nil {
		return ""
	}
	return d.GetString("name")
}

// stamp is RFC 3339 in China time, or "" for no date.
func stamp(d types.DateTime) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().In(hooks.ChinaTime()).Format(time.RFC3339)
}
