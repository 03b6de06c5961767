package workflow

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// handleAction runs POST /api/appeals/{id}/actions/{action}. {id} may be
// the record id or the ticket number; an anonymous resident adds the query
// code (field query_code or header X-Query-Code).
func (p *plugin) handleAction(e *core.RequestEvent) error {
	var in Input
	if err := e.BindBody(&in); err != nil {
		return BodyError(err)
	}
	files, err := uploadedFiles(e)
	if err != nil {
		return err
	}
	in.Files = files

	actor := ActorFromAuth(e.Auth)
	actor.IP = e.RealIP()
	actor.QueryCode = in.QueryCode
	if actor.QueryCode == "" {
		actor.QueryCode = e.Request.Header.Get("X-Query-Code")
	}

	res, err := p.engine.Perform(e.App, Request{
		Appeal: e.Request.PathValue("id"),
		Action: e.Request.PathValue("action"),
		Actor:  actor,
		Input:  in,
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"appeal": appealState(res.Appeal),
		"event":  eventView(res.Event, true),
	})
}

// handleTable answers GET /api/workflow: the declared table with labels, so
// that pages and department systems know what is possible.
func (p *plugin) handleTable(e *core.RequestEvent) error {
	type actionView struct {
		Name   string   `json:"name"`
		Label  string   `json:"label"`
		From   []Status `json:"from"`
		To     []Status `json:"to"`
		Roles  []Role   `json:"roles"`
		Public bool     `json:"public"`
	}
	actions := make([]actionView, len(Table))
	for i, a := range Table {
		actions[i] = actionView{a.Name, a.Label, a.From, a.To, a.Roles, a.Public}
		if actions[i].To == nil {
			actions[i].To = []Status{}
		}
	}
	statuses := make([]map[string]string, len(AllStatuses))
	for i, s := range AllStatuses {
		statuses[i] = map[string]string{"code": string(s), "label": StatusLabels[s]}
	}
	return e.JSON(http.StatusOK, map[string]any{
		"statuses":       statuses,
		"actions":        actions,
		"roles":          RoleLabels,
		"kinds":          KindLabels,
		"channels":       ChannelLabels,
		"satisfaction":   SatisfactionLabels,
		"rejectReasons":  RejectReasons,
		"archiveReasons": ArchiveReasons,
	})
}

// appealState is what an action answers: the new state and deadlines.
func appealState(a *core.Record) map[string]any {
	status := Status(a.GetString("status"))
	return map[string]any{
		"id":                    a.Id,
		"ticket":                a.GetString("ticket"),
		"status":                status,
		"status_label":          StatusLabels[status],
		"priority":              a.GetString("priority"),
		"lead_department":       a.GetString("lead_department"),
		"assisting_departments": a.GetStringSlice("assisting_departments"),
		"due_accept":            a.GetDateTime("due_accept"),
		"due_sign":              a.GetDateTime("due_sign"),
		"due_finish":            a.GetDateTime("due_finish"),
		"due_callback":          a.GetDateTime("due_callback"),
		"reopen_count":          a.GetInt("reopen_count"),
		"redo_count":            a.GetInt("redo_count"),
		"updated":               a.GetDateTime("updated"),
	}
}

// eventLabel is how the timeline names an entry's action.
func eventLabel(action string) string {
	if action == "submit" {
		return "提交诉求"
	}
	a, _ := Find(action)
	return a.Label
}

// eventView is a timeline entry; internal notes only for staff.
func eventView(ev *core.Record, internal bool) map[string]any {
	v := map[string]any{
		"id":      ev.Id,
		"action":  ev.GetString("action"),
		"label":   eventLabel(ev.GetString("action")),
		"summary": ev.GetString("summary"),
		"from":    ev.GetString("from_status"),
		"to":      ev.GetString("to_status"),
		"created": ev.GetDateTime("created"),
	}
	if internal {
		v["note"] = ev.GetString("note")
		v["actor_role"] = ev.GetString("actor_role")
		v["public"] = ev.GetBool("public")
	}
	return v
}
