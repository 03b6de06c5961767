package securitytest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
)

// TestAuditLogCannotBeChanged: no API changes or removes an audit row or a
// timeline row, not the record API (any role, superuser included), not the
// batch API, not the app itself; and the collections that hold cases and
// audit cannot be deleted, truncated, stripped of fields or imported away
// through the collection API.
func TestAuditLogCannotBeChanged(t *testing.T) {
	env := testenv.New(t)
	appeal := env.Reach(t, "handling")
	env.Call(t, "GET", "/api/appeals/"+appeal.Id+"/contact", nil, env.Operator)
	rows, err := env.App.FindRecordsByFilter("audit_log", "action = 'contact.view'", "", 1, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("audit row: %v", err)
	}
	row := rows[0]
	events, _ := env.App.FindRecordsByFilter("appeal_events", "appeal = {:a}", "", 1, 0, map[string]any{"a": appeal.Id})
	event := events[0]
	su := env.Superuser(t)
	total := func() (int64, int64) {
		a, _ := env.App.CountRecords("audit_log")
		e, _ := env.App.CountRecords("appeal_events")
		return a, e
	}
	auditBefore, eventsBefore := total()

	staff := map[string]*core.Record{"supervisor": env.Supervisor, "admin": env.Admin, "superuser": su}
	for _, c := range []struct{ collection, id string }{{"audit_log", row.Id}, {"appeal_events", event.Id}} {
		for name, rec := range staff {
			up := env.Call(t, "PATCH", "/api/collections/"+c.collection+"/records/"+c.id, map[string]any{"action": "tampered", "summary": "tampered"}, rec)
			del := env.Call(t, "DELETE", "/api/collections/"+c.collection+"/records/"+c.id, nil, rec)
			if up.Status < 400 || del.Status < 400 {
				t.Errorf("%s on %s: update %d, delete %d", name, c.collection, up.Status, del.Status)
			}
		}
	}

	// the batch API, switched on by a superuser
	env.App.Settings().Batch.Enabled = true
	batch := map[string]any{"requests": []map[string]any{
		{"method": "PATCH", "url": "/api/collections/audit_log/records/" + row.Id, "body": map[string]any{"action": "tampered"}},
		{"method": "DELETE", "url": "/api/collections/audit_log/records/" + row.Id},
		{"method": "DELETE", "url": "/api/collections/appeal_events/records/" + event.Id},
		{"method": "DELETE", "url": "/api/collections/appeals/records/" + appeal.Id},
	}}
	for _, req := range batch["requests"].([]map[string]any) {
		one := map[string]any{"requests": []map[string]any{req}}
		if res := env.Call(t, "POST", "/api/batch", one, su); res.Status < 400 {
			t.Errorf("batch %v %v: %d %s", req["method"], req["url"], res.Status, res.Body)
		}
	}

	// the app itself (a plugin or a migration)
	if err := env.App.Delete(row); err == nil {
		t.Error("app deleted an audit row")
	}
	row.Set("action", "tampered")
	if err := env.App.Save(row); err == nil {
		t.Error("app changed an audit row")
	}

	// the collection API
	for _, name := range []string{"audit_log", "appeal_events", "appeals"} {
		if res := env.Call(t, "DELETE", "/api/collections/"+name+"/truncate", nil, su); res.Status != 403 {
			t.Errorf("truncate %s: %d %s", name, res.Status, res.Body)
		}
		if res := env.Call(t, "DELETE", "/api/collections/"+name, nil, su); res.Status != 403 {
			t.Errorf("delete collection %s: %d %s", name, res.Status, res.Body)
		}
		c, _ := env.App.FindCollectionByNameOrId(name)
		var raw map[string]any
		data, _ := json.Marshal(c)
		_ = json.Unmarshal(data, &raw)
		fields := raw["fields"].([]any)
		raw["fields"] = fields[:len(fields)-1]
		if res := env.Call(t, "PATCH", "/api/collections/"+name, raw, su); res.Status != 403 {
			t.Errorf("drop a field of %s: %d %s", name, res.Status, clip(res.Body))
		}
	}
	if res := env.Call(t, "PUT", "/api/collections/import", map[string]any{"collections": []any{}, "deleteMissing": true}, su); res.Status != 403 && res.Status != 400 {
		t.Errorf("import without the collections: %d %s", res.Status, clip(res.Body))
	}
	if _, err := env.App.FindCollectionByNameOrId("audit_log"); err != nil {
		t.Fatal("audit_log is gone")
	}

	auditAfter, eventsAfter := total()
	if eventsAfter != eventsBefore || auditAfter < auditBefore {
		t.Errorf("rows: audit %d→%d, events %d→%d", auditBefore, auditAfter, eventsBefore, eventsAfter)
	}
	again, err := env.App.FindRecordById("audit_log", row.Id)
	if err != nil || again.GetString("action") != "contact.view" || strings.Contains(again.GetString("action"), "tampered") {
		t.Errorf("audit row changed: %v %v", again, err)
	}
	if _, err := env.App.FindRecordById("appeals", appeal.Id); err != nil {
		t.Error("appeal deleted")
	}
}
