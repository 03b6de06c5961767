package workflow

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/internal/sqlstmt"
)

// The resident's view of a case (track, 我的诉求, the privacy export) reads
// only the columns it shows, in two statements prepared once per
// connection (internal/sqlstmt): the case with its department, category
// and accepted reply, then its public timeline. Loading the appeal as a
// PocketBase record (80 fields) and running one statement per name cost
// several times more than the reads themselves (docs/performance.md).
//
// Parameters are written CAST(? AS TEXT) (and a LIMIT CAST(? AS INTEGER)):
// SQLite, built with STAT4, plans a comparison of an indexed column with a
// bare parameter, and a LIMIT with a bare parameter, from the bound value,
// and so marks the statement to be prepared again each time that parameter
// is bound — which would undo the prepared statement (measured at 100k
// appeals: a queue walk 1.0 ms of CPU with bare parameters, 0.5 ms cast;
// docs/performance.md). A cast value is planned once, from the table's
// statistics.

// residentCaseColumns are the columns of ResidentCase, in its scan order.
const residentCaseColumns = `SELECT a.id, a.ticket, a.resident, a.query_code_hash, a.kind, a.channel, a.title,
	a.content, a.address, a.status, a.created, a.closed_at, a.due_finish, a.contact_name, a.contact_phone,
	a.public_consent, a.confidential, a.satisfaction, a.attachments, COALESCE(a.attachment_names, ''), a.duplicate_of,
	COALESCE(d.name, ''), COALESCE(c.name, ''),
	COALESCE(r.id, ''), COALESCE(r.content, ''), COALESCE(r.created, ''), COALESCE(r.department, ''),
	COALESCE(r.attachments, ''), COALESCE(r.attachment_names, ''), COALESCE(rd.name, '')
	FROM appeals a
	LEFT JOIN departments d ON d.id = a.lead_department
	LEFT JOIN categories c ON c.id = a.category
	LEFT JOIN replies r ON r.id = (SELECT id FROM replies
		WHERE appeal = a.id AND review_status = 'approved' AND role != 'assist'
		ORDER BY created DESC LIMIT 1)
	LEFT JOIN departments rd ON rd.id = r.department`

var (
	residentCaseByTicket = sqlstmt.New(residentCaseColumns + ` WHERE a.ticket = CAST(? AS TEXT)`)
	residentCaseByID     = sqlstmt.New(residentCaseColumns + ` WHERE a.id = CAST(? AS TEXT)`)
	// the entries the resident may see, oldest first (the index on
	// (appeal, created) gives the order)
	residentTimeline = sqlstmt.New(`SELECT id, action, summary, from_status, to_status, created, note, actor_role,
		attachments, COALESCE(attachment_names, '')
		FROM appeal_events WHERE appeal = CAST(? AS TEXT) AND public = 1 ORDER BY created ASC`)
)

// ResidentCase is what the resident's view shows of a case, read in one
// statement.
type ResidentCase struct {
	ID, Ticket, Resident, queryCodeHash        string
	kind, channel, title, content, address     string
	status                                     Status
	created, closedAt, dueFinish               types.DateTime
	contactName, contactPhone                  string
	public, confidential                       bool
	satisfaction, attachments, attachmentNames string
	duplicateOf, departmentName, categoryName  string
	replyID, replyContent, replyDept           string
	replyCreated                               types.DateTime
	replyAttachments, replyAttachmentNames     string
	replyDeptName                              string
}

// FindResidentCase reads the case with id for the resident's view;
// sql.ErrNoRows if there is none.
func FindResidentCase(ctx context.Context, app core.App, id string) (*ResidentCase, error) {
	return scanResidentCase(residentCaseByID.QueryRow(ctx, app, id))
}

// findResidentCaseByTicket is FindResidentCase by ticket number.
func findResidentCaseByTicket(ctx context.Context, app core.App, ticket string) (*ResidentCase, error) {
	return scanResidentCase(residentCaseByTicket.QueryRow(ctx, app, ticket))
}

func scanResidentCase(row interface{ Scan(...any) error }) (*ResidentCase, error) {
	c := &ResidentCase{}
	var status string
	err := row.Scan(&c.ID, &c.Ticket, &c.Resident, &c.queryCodeHash, &c.kind, &c.channel, &c.title,
		&c.content, &c.address, &status, &c.created, &c.closedAt, &c.dueFinish, &c.contactName, &c.contactPhone,
		&c.public, &c.confidential, &c.satisfaction, &c.attachments, &c.attachmentNames, &c.duplicateOf,
		&c.departmentName, &c.categoryName,
		&c.replyID, &c.replyContent, &c.replyCreated, &c.replyDept,
		&c.replyAttachments, &c.replyAttachmentNames, &c.replyDeptName)
	if err != nil {
		return nil, err
	}
	c.status = Status(status)
	return c, nil
}

// View is the case as its own resident sees it (ResidentView).
func (c *ResidentCase) View(ctx context.Context, app core.App) (map[string]any, error) {
	status := c.status
	v := map[string]any{
		"id":             c.ID,
		"ticket":         c.Ticket,
		"kind":           c.kind,
		"kind_label":     KindLabels[c.kind],
		"channel_label":  ChannelLabels[c.channel],
		"title":          c.title,
		"content":        c.content,
		"address":        c.address,
		"status":         status,
		"status_label":   StatusLabels[status],
		"created":        c.created,
		"closed_at":      c.closedAt,
		"due_finish":     c.dueFinish,
		"contact_name":   hooks.MaskName(c.contactName),
		"contact_phone":  hooks.MaskPhone(c.contactPhone),
		"public":         c.public,
		"confidential":   c.confidential,
		"satisfaction":   c.satisfaction,
		"can_rate":       status == Callback,
		"can_withdraw":   mayStart("withdraw", status),
		"can_supplement": mayStart("supplement", status),
		"attachments":    attachmentLinks("appeals", c.ID, c.attachments, c.attachmentNames),
	}
	timeline, err := residentTimelineOf(ctx, app, c.ID)
	if err != nil {
		return nil, err
	}
	v["timeline"] = timeline
	if c.departmentName != "" {
		v["department"] = c.departmentName
	}
	if c.categoryName != "" {
		v["category"] = c.categoryName
	}
	v["reply"] = nil
	if r := c.replyView(); r != nil {
		v["reply"] = r
	}
	if c.duplicateOf != "" && status == Merged {
		o, err := FindResidentCase(ctx, app, c.duplicateOf)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		if o != nil {
			merged := map[string]any{"ticket": o.Ticket, "status": o.status, "status_label": StatusLabels[o.status], "reply": nil}
			if r := o.replyView(); r != nil {
				merged["reply"] = r
			}
			v["merged_into"] = merged
		}
	}
	return v, nil
}

// replyView is the accepted reply as the resident reads it, or nil.
func (c *ResidentCase) replyView() map[string]any {
	if c.replyID == "" {
		return nil
	}
	v := map[string]any{
		"content":     c.replyContent,
		"created":     c.replyCreated,
		"attachments": attachmentLinks("replies", c.replyID, c.replyAttachments, c.replyAttachmentNames),
	}
	if c.replyDept != "" {
		if c.replyDeptName != "" {
			v["department"] = c.replyDeptName
		}
	} else {
		v["department"] = "泗阳网络直通车平台"
	}
	return v
}

// residentTimelineOf lists the entries the resident may see, oldest first.
// Notes are shown only where the resident wrote them or they explain a
// refusal; internal remarks between offices stay internal.
func residentTimelineOf(ctx context.Context, app core.App, appealID string) ([]map[string]any, error) {
	rows, err := residentTimeline.Query(ctx, app, appealID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []map[string]any{}
	for rows.Next() {
		var id, action, summary, from, to, note, actorRole, attachments, names string
		var created types.DateTime
		if err := rows.Scan(&id, &action, &summary, &from, &to, &created, &note, &actorRole, &attachments, &names); err != nil {
			return nil, err
		}
		item := map[string]any{
			"id":      id,
			"action":  action,
			"label":   eventLabel(action),
			"summary": summary,
			"from":    from,
			"to":      to,
			"created": created,
		}
		// the resident's own words: supplements, their rating comment, withdrawal reason
		if action == "supplement" || (actorRole == "resident" && (action == "rate" || action == "withdraw")) {
			item["note"] = note
		}
		item["attachments"] = attachmentLinks("appeal_events", id, attachments, names)
		out = append(out, item)
	}
	return out, rows.Err()
}

// attachmentLinks is attachmentViews for a row read without its record:
// the stored file names (the field's JSON) and their original names.
func attachmentLinks(collection, id, stored, namesJSON string) []map[string]any {
	files := list.ToUniqueStringSlice(stored)
	names := map[string]string{}
	if len(files) > 0 {
		_ = json.Unmarshal([]byte(namesJSON), &names)
	}
	return signedLinks(collection, id, files, func(file string) string {
		if n := names[file]; n != "" {
			return n
		}
		return file
	})
}
