package workflow

import (
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// handleTrack runs POST /api/track: ticket number + query code show the
// resident their case and its public timeline, without an account. The code
// travels in the body so that it never lands in access logs.
func (p *plugin) handleTrack(e *core.RequestEvent) error {
	var body struct {
		Ticket    string `json:"ticket" form:"ticket"`
		QueryCode string `json:"query_code" form:"query_code"`
	}
	if err := e.BindBody(&body); err != nil {
		return BodyError(err)
	}
	errs := &FieldErrors{}
	if strings.TrimSpace(body.Ticket) == "" {
		errs.Add("ticket", "请输入受理编号")
	}
	if strings.TrimSpace(body.QueryCode) == "" {
		errs.Add("query_code", "请输入查询码")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	appeal, err := e.App.FindFirstRecordByData("appeals", "ticket", strings.ToUpper(strings.TrimSpace(body.Ticket)))
	if err != nil || !CheckQueryCode(appeal, body.QueryCode) {
		return NotFound("受理编号或查询码不正确，请核对后重试")
	}
	view, err := ResidentView(e.App, appeal)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, view)
}

// ResidentView is the case as its own resident sees it: their own text,
// masked contact data, the public timeline and the accepted reply, with
// signed links to their attachments (filelinks.go). A merged case also
// shows the case it follows.
func ResidentView(app core.App, appeal *core.Record) (map[string]any, error) {
	status := Status(appeal.GetString("status"))
	v := map[string]any{
		"id":             appeal.Id,
		"ticket":         appeal.GetString("ticket"),
		"kind":           appeal.GetString("kind"),
		"kind_label":     KindLabels[appeal.GetString("kind")],
		"channel_label":  ChannelLabels[appeal.GetString("channel")],
		"title":          appeal.GetString("title"),
		"content":        appeal.GetString("content"),
		"address":        appeal.GetString("address"),
		"status":         status,
		"status_label":   StatusLabels[status],
		"created":        appeal.GetDateTime("created"),
		"closed_at":      appeal.GetDateTime("closed_at"),
		"due_finish":     appeal.GetDateTime("due_finish"),
		"contact_name":   hooks.MaskName(appeal.GetString("contact_name")),
		"contact_phone":  hooks.MaskPhone(appeal.GetString("contact_phone")),
		"public":         appeal.GetBool("public_consent"),
		"confidential":   appeal.GetBool("confidential"),
		"satisfaction":   appeal.GetString("satisfaction"),
		"can_rate":       status == Callback,
		"can_withdraw":   mayStart("withdraw", status),
		"can_supplement": mayStart("supplement", status),
		"attachments":    attachmentViews(appeal),
	}
	timeline, err := publicTimeline(app, appeal.Id)
	if err != nil {
		return nil, err
	}
	v["timeline"] = timeline
	reply, replyDept := approvedReplyRecord(app, appeal.Id)
	// the three names in one statement (a track is 4 statements in all:
	// case, timeline, reply, names)
	var names struct {
		Department string `db:"department"`
		Category   string `db:"category"`
		ReplyDept  string `db:"reply_department"`
	}
	err = app.DB().NewQuery(`SELECT
		COALESCE((SELECT name FROM departments WHERE id = {:d}), '') AS department,
		COALESCE((SELECT name FROM categories WHERE id = {:c}), '') AS category,
		COALESCE((SELECT name FROM departments WHERE id = {:r}), '') AS reply_department`).
		Bind(dbx.Params{"d": appeal.GetString("lead_department"), "c": appeal.GetString("category"), "r": replyDept}).One(&names)
	if err != nil {
		return nil, err
	}
	if names.Department != "" {
		v["department"] = names.Department
	}
	if names.Category != "" {
		v["category"] = names.Category
	}
	v["reply"] = nil
	if reply != nil {
		v["reply"] = replyView(reply, names.ReplyDept)
	}

	if orig := appeal.GetString("duplicate_of"); orig != "" && status == Merged {
		if o, err := app.FindRecordById("appeals", orig); err == nil {
			os := Status(o.GetString("status"))
			merged := map[string]any{"ticket": o.GetString("ticket"), "status": os, "status_label": StatusLabels[os], "reply": nil}
			if r := approvedReply(app, o.Id); r != nil {
				merged["reply"] = r
			}
			v["merged_into"] = merged
		}
	}
	return v, nil
}

func mayStart(action string, s Status) bool {
	a, ok := Find(action)
	return ok && a.AllowsFrom(s)
}

// publicTimeline lists the entries the resident may see, oldest first.
// Notes are shown only where the resident wrote them or they explain a
// refusal; internal remarks between offices stay internal.
func publicTimeline(app core.App, appealID string) ([]map[string]any, error) {
	var events []*core.Record
	err := app.RecordQuery("appeal_events").
		AndWhere(dbx.HashExp{"appeal": appealID, "public": true}).
		OrderBy("created ASC").All(&events)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(events))
	for _, ev := range events {
		item := eventView(ev, false)
		// the resident's own words: supplements, their rating comment, withdrawal reason
		if a := ev.GetString("action"); a == "supplement" || (ev.GetString("actor_role") == "resident" && (a == "rate" || a == "withdraw")) {
			item["note"] = ev.GetString("note")
		}
		item["attachments"] = attachmentViews(ev)
		out = append(out, item)
	}
	return out, nil
}

// approvedReplyRecord is the latest accepted answer (lead department or
// direct) and its department's id ("" for the platform's own), or nil.
func approvedReplyRecord(app core.App, appealID string) (*core.Record, string) {
	r := &core.Record{}
	err := app.RecordQuery("replies").
		AndWhere(dbx.HashExp{"appeal": appealID, "review_status": "approved"}).
		AndWhere(dbx.NewExp("role != 'assist'")).
		OrderBy("created DESC").Limit(1).One(r)
	if err != nil {
		return nil, ""
	}
	return r, r.GetString("department")
}

// replyView is the reply as the resident reads it.
func replyView(r *core.Record, department string) map[string]any {
	v := map[string]any{"content": r.GetString("content"), "created": r.GetDateTime("created"), "attachments": attachmentViews(r)}
	if r.GetString("department") != "" {
		if department != "" {
			v["department"] = department
		}
	} else {
		v["department"] = "泗阳网络直通车平台"
	}
	return v
}

// approvedReply is the latest accepted answer as the resident reads it.
func approvedReply(app core.App, appealID string) map[string]any {
	r, dept := approvedReplyRecord(app, appealID)
	if r == nil {
		return nil
	}
	name := ""
	if dept != "" {
		if d, err := app.FindRecordById("departments", dept); err == nil {
			name = d.GetString("name")
		}
	}
	return replyView(r, name)
}
