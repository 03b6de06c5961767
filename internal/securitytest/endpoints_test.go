package securitytest

import (
	"strings"
	"testing"
)

// endpoint is one row of the declared matrix of custom routes: who gets
// past access control, and who reads the resident's contact (name and
// phone of case X) in the answer.
type endpoint struct {
	name, method, path string
	body               any
	allowed            string
	contact            string
	contactY           string // who reads Y's contact (Y's own resident, in their export)
}

func (w *world) endpoints() []endpoint {
	x, y := w.X.Id, w.Y.Id
	ticket := w.X.GetString("ticket")
	return []endpoint{
		{"workflow table", "GET", "/api/workflow", nil, everyone, "", ""},
		{"track with code", "POST", "/api/track", map[string]any{"ticket": ticket, "query_code": w.codeX}, everyone, "", ""},
		// wrong code: 404, and after 10 tries from this address 429 (the lockout)
		{"track without code", "POST", "/api/track", map[string]any{"ticket": ticket, "query_code": "ZZZZZZ"}, "", "", ""},
		// contact: central staff, and the lead department while it handles
		// the case (audited), never the assisting one
		{"contact of X (answered)", "GET", "/api/appeals/" + x + "/contact", nil, central, central, ""},
		{"contact of Y", "GET", "/api/appeals/" + y + "/contact", nil, central, "", ""},
		{"contact of Z (handling)", "GET", "/api/appeals/" + w.Z.Id + "/contact", nil, "hA " + central, "", ""},
		{"SLA clock of X", "GET", "/api/sla/appeals/" + x, nil, "res hA hB " + central, "", ""},
		{"SLA board", "GET", "/api/sla/board", nil, allStaff, "", ""},
		{"dispatch suggestion", "GET", "/api/dispatch/suggest/" + x, nil, central, "", ""},
		{"department tasks", "GET", "/api/dept/v1/tasks", nil, "keyA", "", ""},
		{"department task X (answered)", "GET", "/api/dept/v1/tasks/" + x, nil, "keyA", "", ""},
		{"department task Z (handling)", "GET", "/api/dept/v1/tasks/" + w.Z.Id, nil, "keyA", "", ""},
		{"department task Y", "GET", "/api/dept/v1/tasks/" + y, nil, "", "", ""},
		{"issue a key", "POST", "/api/integrations/keys", map[string]any{"name": "矩阵新密钥", "kind": "open311"}, admins, "", ""},
		{"replay a delivered row", "POST", "/api/webhooks/outbox/" + w.own["outbox"].Id + "/replay", nil, admins, "", ""},
		{"appointments of the day (A)", "GET", "/api/portal/appointments/day?date=2026-12-01&service=" + w.own["service_items"].Id, nil, "hA " + central, "hA " + central, ""},
		{"appointments of the day (C)", "GET", "/api/portal/appointments/day?date=2026-12-01&service=" + w.other["service_items"].Id, nil, "hC " + central, "", ""},
		{"public stats", "GET", "/api/portal/stats", nil, everyone, "", ""},
		{"Open311 requests", "GET", "/open311/v2/requests.json", nil, everyone, "", ""},
		{"Open311 request X", "GET", "/open311/v2/requests/" + ticket + ".json", nil, everyone, "", ""},
		// residents' own cases after sign-in: only their own, no contact data
		{"my appeals", "GET", "/api/residents/appeals", nil, "res res2", "", ""},
		{"my appeal X", "GET", "/api/residents/appeals/" + x, nil, "res", "", ""},
		{"my appeal Y", "GET", "/api/residents/appeals/" + y, nil, "res2", "", ""},
		// analytics: staff; a department only its own figures; hotspots for the platform
		{"metrics", "GET", "/api/analytics/metrics", nil, allStaff, "", ""},
		{"metrics of A", "GET", "/api/analytics/metrics?department=" + w.DeptA.Id, nil, "hA " + central, "", ""},
		{"hotspots", "GET", "/api/analytics/hotspots", nil, central, "", ""},
		{"reply quality of a draft for X", "POST", "/api/analytics/reply-quality",
			map[string]any{"appeal": x, "content": "经现场核查，已于11月26日更换路灯。"}, "hA hB " + central, "", ""},
		{"monthly report of A", "GET", "/api/analytics/reports/monthly?month=2026-11&department=" + w.DeptA.Id, nil, "hA " + central, "", ""},
		// the resident's own data export; an administrator's needs a phone number (400 without)
		{name: "privacy export", method: "GET", path: "/api/privacy/export", allowed: "res res2 adm su", contact: "res", contactY: "res2"},
	}
}

// TestEndpointMatrix: every custom route × every principal.
func TestEndpointMatrix(t *testing.T) {
	w := newWorld(t)
	cases := 0
	for _, ep := range w.endpoints() {
		allowed, contact := set(ep.allowed), set(ep.contact)
		for _, p := range w.principals() {
			res := w.call(t, p, ep.method, ep.path, ep.body)
			cases++
			passed := res.Status != 401 && res.Status != 403 && res.Status != 404 && res.Status != 429
			if res.Status >= 500 {
				t.Errorf("%s as %s: %d %s", ep.name, p.name, res.Status, clip(res.Body))
			}
			// a replay of a delivered row is refused for its state (409), after access control
			if passed != allowed[p.name] {
				t.Errorf("%s as %s: %d (allowed=%v) %s", ep.name, p.name, res.Status, allowed[p.name], clip(res.Body))
			}
			hasX := strings.Contains(res.Body, nameX) || strings.Contains(res.Body, phoneX)
			if hasX != contact[p.name] {
				t.Errorf("%s as %s: contact of X in the answer=%v, entitled=%v: %s", ep.name, p.name, hasX, contact[p.name], clip(res.Body))
			}
			hasZ := strings.Contains(res.Body, nameZ) || strings.Contains(res.Body, phoneZ)
			if wantZ := (strings.Contains(ep.name, "Z (handling)") && allowed[p.name]) || (ep.name == "privacy export" && p.name == "res"); hasZ != wantZ {
				t.Errorf("%s as %s: contact of Z in the answer=%v, entitled=%v: %s", ep.name, p.name, hasZ, wantZ, clip(res.Body))
			}
			if !strings.Contains(ep.name, "(C)") && !strings.Contains(ep.name, "of Y") && !set(ep.contactY)[p.name] &&
				(strings.Contains(res.Body, nameY) || strings.Contains(res.Body, phoneY)) {
				t.Errorf("LEAK: %s as %s shows Y's contact: %s", ep.name, p.name, clip(res.Body))
			}
		}
	}
	t.Logf("endpoint matrix: %d routes × %d principals = %d requests checked", len(w.endpoints()), len(principals), cases)
	matrixCases.Add(int64(cases))
}
