package analytics

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

// hotspotsCentralOnly: hotspots gather cases of every department, so only
// the platform (operators, supervisors, admins) sees them.
func hotspotsCentralOnly(e *core.RequestEvent) error {
	if !viewerOf(e).central() {
		return workflow.Forbidden("热点分析仅限平台人员查看")
	}
	return nil
}

// handleHotspots runs GET /api/analytics/hotspots?limit=10: the active
// hotspots, hottest first, and the latest alerts.
func (p *Plugin) handleHotspots(e *core.RequestEvent) error {
	if err := hotspotsCentralOnly(e); err != nil {
		return err
	}
	limit := 10
	if s := e.Request.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return workflow.FieldError("limit", "条数应为 1 到 100")
		}
		limit = n
	}
	hs, err := e.App.FindRecordsByFilter("hotspots", "status = 'active'", "-heat", limit, 0)
	if err != nil {
		return err
	}
	alerts, err := e.App.FindRecordsByFilter("hotspot_alerts", "", "-created", 20, 0)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(hs))
	for _, h := range hs {
		out = append(out, hotspotJSON(h))
	}
	al := make([]map[string]any, 0, len(alerts))
	for _, a := range alerts {
		al = append(al, map[string]any{
			"id": a.Id, "hotspot": a.GetString("hotspot"), "kind": a.GetString("kind"), "message": a.GetString("message"),
			"count": a.GetInt("count"), "recent": a.GetInt("recent"), "created": a.GetDateTime("created"),
		})
	}
	return e.JSON(http.StatusOK, map[string]any{"hotspots": out, "alerts": al})
}

func hotspotJSON(h *core.Record) map[string]any {
	return map[string]any{
		"id": h.Id, "title": h.GetString("title"), "place": h.GetString("place"), "problem": h.GetString("problem"),
		"count": h.GetInt("count"), "residents": h.GetInt("residents"), "heat": h.GetFloat("heat"),
		"recent": h.GetInt("recent"), "usual_weekly": h.GetFloat("usual_weekly"),
		"first_at": h.GetDateTime("first_at"), "last_at": h.GetDateTime("last_at"), "status": h.GetString("status"),
	}
}

// hotspotCase is one case of a hotspot, for the drill-down.
type hotspotCase struct {
	ID         string `db:"id" json:"id"`
	Ticket     string `db:"ticket" json:"ticket"`
	Title      string `db:"title" json:"title"`
	Status     string `db:"status" json:"status"`
	Department string `db:"department" json:"department"`
	Created    string `db:"created" json:"created"`
}

// handleHotspot runs GET /api/analytics/hotspots/{id}: a hotspot with its cases.
func (p *Plugin) handleHotspot(e *core.RequestEvent) error {
	if err := hotspotsCentralOnly(e); err != nil {
		return err
	}
	h, err := e.App.FindRecordById("hotspots", e.Request.PathValue("id"))
	if err != nil {
		return workflow.NotFound("热点不存在")
	}
	var ids []string
	if err := h.UnmarshalJSONField("appeals", &ids); err != nil {
		return err
	}
	in := make([]any, len(ids))
	for i, id := range ids {
		in[i] = id
	}
	cases := []hotspotCase{}
	if len(in) > 0 {
		err = e.App.DB().Select("a.id", "a.ticket", "a.title", "a.status", "COALESCE(d.name, '') AS department", "a.created").
			From("appeals a").LeftJoin("departments d", dbx.NewExp("d.id = a.lead_department")).
			Where(dbx.In("a.id", in...)).OrderBy("a.created").All(&cases)
		if err != nil {
			return err
		}
	}
	out := hotspotJSON(h)
	out["cases"] = cases
	return e.JSON(http.StatusOK, out)
}
