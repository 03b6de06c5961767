package deptapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// liveTaskStatuses are the assignment states a department still works on.
var liveTaskStatuses = []any{"pending", "signed", "replied"}

// openAppealStatuses are the case states in which a department holds a task.
var openAppealStatuses = []any{
	string(workflow.Dispatched), string(workflow.Handling), string(workflow.Suspended), string(workflow.Replied),
}

// handlerActions are the only actions this API performs: the handlers'.
var handlerActions = []string{"sign", "assist_sign", "return", "request_extension", "request_suspension", "reply", "assist_reply"}

// china is the time zone every date of this API is given in.
var china = time.FixedZone("CST", 8*3600)

// handleList runs GET /api/dept/v1/tasks: the department's live tasks (lead
// and assisting) on open cases, most urgent 办结 deadline first. Query:
// page, perPage, role (lead|assist), status (a case status).
func (p *plugin) handleList(e *core.RequestEvent) error {
	dept := keyOf(e).GetString("department")
	q := e.Request.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	perPage, _ := strconv.Atoi(q.Get("perPage"))
	if perPage <= 0 {
		perPage = p.config.PerPage
	}
	perPage = min(perPage, p.config.MaxPerPage)

	where := dbx.And(
		dbx.HashExp{"s.department": dept},
		dbx.In("s.status", liveTaskStatuses...),
		dbx.In("a.status", openAppealStatuses...),
	)
	if r := q.Get("role"); r != "" {
		if r != "lead" && r != "assist" {
			return workflow.FieldError("role", "role 只能是 lead（主办）或 assist（协办）")
		}
		where = dbx.And(where, dbx.HashExp{"s.role": r})
	}
	if st := q.Get("status"); st != "" {
		if _, ok := workflow.StatusLabels[workflow.Status(st)]; !ok {
			return workflow.FieldError("status", "未知的工单状态："+st)
		}
		where = dbx.And(where, dbx.HashExp{"a.status": st})
	}
	base := func() *dbx.SelectQuery {
		return e.App.DB().Select().From("assignments s").InnerJoin("appeals a", dbx.NewExp("a.id = s.appeal")).Where(where)
	}
	var total int
	if err := base().Select("count(*)").Row(&total); err != nil {
		return err
	}
	var ids []struct {
		ID string `db:"id"`
	}
	err := base().Select("s.id").
		OrderBy("(a.due_finish = '') ASC", "a.due_finish ASC", "a.due_sign ASC", "a.created ASC").
		Limit(int64(perPage)).Offset(int64((page - 1) * perPage)).All(&ids)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(ids))
	for _, row := range ids {
		task, err := e.App.FindRecordById("assignments", row.ID)
		if err != nil {
			continue
		}
		appeal, err := e.App.FindRecordById("appeals", task.GetString("appeal"))
		if err != nil {
			continue
		}
		items = append(items, taskView(e.App, appeal, task, dept))
	}
	return e.JSON(http.StatusOK, map[string]any{
		"page": page, "perPage": perPage, "totalItems": total,
		"totalPages": (total + perPage - 1) / perPage, "items": items,
	})
}

// handleGet runs GET /api/dept/v1/tasks/{id} ({id}: appeal id or ticket):
// the case, the department's task, the timeline and, where the department's
// handlers may see it, the resident's contact (audited; ?contact=false
// leaves it out and writes no audit entry).
func (p *plugin) handleGet(e *core.RequestEvent) error {
	appeal, roles, err := findCase(e)
	if err != nil {
		return err
	}
	dept := keyOf(e).GetString("department")
	task := latestTask(e.App, appeal.Id, dept)
	v := taskView(e.App, appeal, task, dept)
	timeline, err := e.App.FindRecordsByFilter("appeal_events", "appeal = {:id}", "created", 0, 0, dbx.Params{"id": appeal.Id})
	if err != nil {
		return err
	}
	events := make([]map[string]any, len(timeline))
	for i, ev := range timeline {
		events[i] = eventView(ev)
	}
	v["timeline"] = events

	v["contact"] = nil
	why := contactRefusal(appeal, roles[0])
	v["contact_note"] = why
	if why == "" && e.Request.URL.Query().Get("contact") != "false" {
		err := hooks.Audit(e.App, hooks.AuditEntry{
			Action: "contact.view", Actor: keyOf(e), TargetCollection: "appeals", TargetID: appeal.Id,
			Detail: map[string]any{"ticket": appeal.GetString("ticket"), "role": string(roles[0]), "via": Via, "department": dept},
			IP:     e.RealIP(),
		})
		if err != nil {
			return err
		}
		v["contact"] = map[string]any{"name": appeal.GetString("contact_name"), "phone": appeal.GetString("contact_phone")}
	}
	return e.JSON(http.StatusOK, v)
}

// findCase loads the case and the key's department's roles on it; a case the
// department does not hold answers 404, as for its handlers.
func findCase(e *core.RequestEvent) (*core.Record, []workflow.Role, error) {
	appeal, err := workflow.FindAppeal(e.App, e.Request.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	roles := actorOf(e).RolesFor(appeal)
	if len(roles) == 0 {
		return nil, nil, workflow.NotFound("工单不存在或您无权查看")
	}
	return appeal, roles, nil
}

// contactRefusal says why the department may not see the resident's
// contact ("" when it may): the same rule as the staff contact endpoint.
func contactRefusal(appeal *core.Record, role workflow.Role) string {
	if role != workflow.LeadHandler {
		return "协办单位不能查看诉求人联系方式，请与主办单位联系"
	}
	if appeal.GetBool("anonymous") {
		return "诉求人要求对承办单位匿名，如需联系请通过平台转达"
	}
	switch workflow.Status(appeal.GetString("status")) {
	case workflow.Dispatched, workflow.Handling, workflow.Suspended, workflow.Replied:
		return ""
	}
	return "工单已不在办理中，承办单位不能再查看诉求人联系方式"
}

// latestTask is the department's live assignment on the case, else its latest.
func latestTask(app core.App, appealID, dept string) *core.Record {
	list, err := app.FindRecordsByFilter("assignments", "appeal = {:a} && department = {:d}", "-created", 0, 0,
		dbx.Params{"a": appealID, "d": dept})
	if err != nil || len(list) == 0 {
		return nil
	}
	for _, t := range list {
		switch t.GetString("status") {
		case "pending", "signed", "replied":
			return t
		}
	}
	return list[0]
}

// taskView is one task as a department system reads it: the case as its
// handlers see it (never the contact), its deadlines and SLA state, and
// the actions the department may perform now.
func taskView(app core.App, appeal, task *core.Record, dept string) map[string]any {
	status := workflow.Status(appeal.GetString("status"))
	v := map[string]any{
		"appeal_id":     appeal.Id,
		"ticket":        appeal.GetString("ticket"),
		"kind":          appeal.GetString("kind"),
		"kind_label":    workflow.KindLabels[appeal.GetString("kind")],
		"channel":       appeal.GetString("channel"),
		"title":         appeal.GetString("title"),
		"content":       appeal.GetString("content"),
		"address":       appeal.GetString("address"),
		"status":        status,
		"status_label":  workflow.StatusLabels[status],
		"priority":      appeal.GetString("priority"),
		"anonymous":     appeal.GetBool("anonymous"),
		"created":       isoTime(appeal.GetDateTime("created")),
		"dispatched_at": isoTime(appeal.GetDateTime("dispatched_at")),
		"signed_at":     isoTime(appeal.GetDateTime("signed_at")),
		"due_sign":      isoTime(appeal.GetDateTime("due_sign")),
		"due_finish":    isoTime(appeal.GetDateTime("due_finish")),
		"sla_state":     appeal.GetString("sla_state"),
		"sla_stage":     appeal.GetString("sla_stage"),
		"sla_due_at":    isoTime(appeal.GetDateTime("sla_due_at")),
		"attachments":   appeal.GetStringSlice("attachments"),
		"location":      nil,
		"category":      nil,
		"task":          nil,
	}
	if appeal.GetBool("anonymous") {
		// 匿名 is anonymous towards the departments: they read the masked
		// copies, in which the resident's name and numbers are starred
		v["title"] = appeal.GetString("public_title")
		v["content"] = appeal.GetString("public_content")
	}
	if loc, ok := appeal.Get("location").(types.GeoPoint); ok && (loc.Lat != 0 || loc.Lon != 0) {
		v["location"] = map[string]float64{"lat": loc.Lat, "lon": loc.Lon}
	}
	if c, err := app.FindRecordById("categories", appeal.GetString("category")); err == nil {
		v["category"] = map[string]string{"id": c.Id, "code": c.GetString("code"), "name": c.GetString("name")}
	}
	if task != nil {
		v["task"] = map[string]any{
			"id": task.Id, "role": task.GetString("role"), "status": task.GetString("status"),
			"due_sign": isoTime(task.GetDateTime("due_sign")), "due_return": isoTime(task.GetDateTime("due_return")),
			"due_finish": isoTime(task.GetDateTime("due_finish")), "signed_at": isoTime(task.GetDateTime("signed_at")),
			"replied_at": isoTime(task.GetDateTime("replied_at")),
		}
	}
	v["actions"] = possibleActions(appeal, dept)
	return v
}

// possibleActions lists the handler actions the department's role allows
// from the case's current state (the engine may still refuse one, e.g. a
// second extension).
func possibleActions(appeal *core.Record, dept string) []string {
	roles := workflow.DepartmentSystem(dept, Via).RolesFor(appeal)
	status := workflow.Status(appeal.GetString("status"))
	out := []string{}
	for _, name := range handlerActions {
		a, _ := workflow.Find(name)
		for _, r := range roles {
			if a.AllowsRole(r) && a.AllowsFrom(status) {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// eventView is a timeline entry as the case's handlers see it (notes too).
func eventView(ev *core.Record) map[string]any {
	label := "提交诉求"
	if a, ok := workflow.Find(ev.GetString("action")); ok {
		label = a.Label
	}
	var data map[string]any
	_ = ev.UnmarshalJSONField("data", &data)
	via, _ := data["via"].(string)
	return map[string]any{
		"id": ev.Id, "action": ev.GetString("action"), "label": label,
		"summary": ev.GetString("summary"), "note": ev.GetString("note"),
		"from": ev.GetString("from_status"), "to": ev.GetString("to_status"),
		"actor_role": ev.GetString("actor_role"), "actor_department": ev.GetString("actor_department"),
		"via": via, "public": ev.GetBool("public"), "created": isoTime(ev.GetDateTime("created")),
	}
}

// isoTime is RFC 3339 in China time, or "" when not set.
func isoTime(dt types.DateTime) string {
	if dt.IsZero() {
		return ""
	}
	return dt.Time().In(china).Format(time.RFC3339)
}
