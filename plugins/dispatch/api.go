package dispatch

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/plugins/workflow"
)

func (p *plugin) bindRoutes(e *core.ServeEvent) {
	e.Router.GET("/api/dispatch/suggest/{id}", p.handleSuggest).Bind(workflow.RequireStaff())
}

// handleSuggest runs GET /api/dispatch/suggest/{id}: a fresh analysis of
// an appeal (after the operator changed its category or an admin changed the
// rules), for the platform's staff. Nothing is written.
func (p *plugin) handleSuggest(e *core.RequestEvent) error {
	a, err := workflow.FindAppeal(e.App, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	if e.Auth.GetString("role") == "handler" {
		return &router.ApiError{Status: http.StatusForbidden, Message: "派单建议仅供平台话务员和管理人员使用", Data: map[string]any{}}
	}
	s, err := p.Suggest(e.App, a)
	if err != nil {
		return err
	}
	out := map[string]any{
		"explain":      s.Explain,
		"department":   s.Department,
		"assisting":    s.Assisting,
		"priority":     s.Priority,
		"sla_policy":   s.Policy,
		"urgent":       s.Urgent,
		"urgency":      s.UrgencyWhy,
		"emotion":      s.Emotion,
		"alternatives": s.Alternatives,
		"category":     nil,
		"rule":         nil,
	}
	if s.Category != nil {
		out["category"] = map[string]any{"id": s.Category.Id, "name": s.Category.GetString("name"), "confidence": s.Confidence}
	}
	if s.Rule != nil {
		out["rule"] = map[string]any{"id": s.Rule.Rule.Id, "name": s.Rule.Rule.GetString("name"), "reasons": s.Rule.Reasons,
			"flagged": s.Rule.Rule.GetBool("flagged"), "flag_reason": s.Rule.Rule.GetString("flag_reason")}
	}
	dups := make([]map[string]any, len(s.Duplicates))
	for i, d := range s.Duplicates {
		dups[i] = map[string]any{"id": d.Appeal.Id, "ticket": d.Appeal.Ticket, "title": d.Appeal.Title,
			"status": d.Appeal.Status, "score": d.Score, "same_place": d.Place}
	}
	out["duplicates"] = dups
	return e.JSON(http.StatusOK, out)
}
