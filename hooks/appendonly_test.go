package hooks_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/hooks"
)

// newHookedApp is newApp with every data rule of the package bound.
func newHookedApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app := newApp(t)
	hooks.Register(app)
	return app
}

func saveNew(t *testing.T, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Load(data)
	if err := app.Save(r); err != nil {
		t.Fatalf("save %s: %v", collection, err)
	}
	return r
}

func newAppeal(t *testing.T, app core.App) *core.Record {
	t.Helper()
	return saveNew(t, app, "appeals", map[string]any{
		"channel": "web", "kind": "complaint", "status": "submitted", "priority": "normal",
		"title":        "幸福小区路灯不亮",
		"content":      "我是王小明，电话138 1234 5678，北门路灯坏了一个月。",
		"contact_name": "王小明", "contact_phone": "+86 138 1234 5678",
	})
}

func countRows(t *testing.T, app core.App, collection string) int {
	t.Helper()
	n, err := app.CountRecords(collection)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestAppealCreateHooks(t *testing.T) {
	app := newHookedApp(t)
	a := newAppeal(t, app)
	if ticket := a.GetString("ticket"); !regexp.MustCompile(`^SY\d{6}0001$`).MatchString(ticket) {
		t.Errorf("ticket = %q, want the day's first number", ticket)
	}
	if got := a.GetString("contact_phone"); got != "13812345678" {
		t.Errorf("contact_phone stored as %q, want it normalized", got)
	}
	if got, want := a.GetString("public_content"), "我是王**，电话138 **** 5678，北门路灯坏了一个月。"; got != want {
		t.Errorf("public_content = %q, want %q", got, want)
	}
}

func TestAppendOnlyCollections(t *testing.T) {
	app := newHookedApp(t)
	appeal := newAppeal(t, app)

	event := saveNew(t, app, "appeal_events", map[string]any{
		"appeal": appeal.Id, "action": "submit", "actor_role": "resident",
		"to_status": "submitted", "summary": "居民提交诉求", "public": true,
	})
	if err := hooks.Audit(app, hooks.AuditEntry{Action: "contact.view", TargetCollection: "appeals", TargetID: appeal.Id}); err != nil {
		t.Fatalf("Audit: %v", err)
	}
	audit, err := app.FindFirstRecordByData("audit_log", "target_id", appeal.Id)
	if err != nil {
		t.Fatal(err)
	}

	for _, r := range []*core.Record{event, audit} {
		name := r.Collection().Name
		t.Run(name, func(t *testing.T) {
			fresh, err := app.FindRecordById(name, r.Id)
			if err != nil {
				t.Fatal(err)
			}
			fresh.Set("action", "tampered")
			if err := app.Save(fresh); !errors.Is(err, hooks.ErrAppendOnly) {
				t.Errorf("Save of a changed %s record = %v, want ErrAppendOnly", name, err)
			}
			if err := app.SaveNoValidate(fresh); !errors.Is(err, hooks.ErrAppendOnly) {
				t.Errorf("SaveNoValidate of a changed %s record = %v, want ErrAppendOnly", name, err)
			}
			if err := app.RunInTransaction(func(txApp core.App) error { return txApp.Save(fresh) }); !errors.Is(err, hooks.ErrAppendOnly) {
				t.Errorf("Save of a changed %s record in a transaction = %v, want ErrAppendOnly", name, err)
			}
			if err := app.Delete(fresh); !errors.Is(err, hooks.ErrAppendOnly) {
				t.Errorf("Delete of a %s record = %v, want ErrAppendOnly", name, err)
			}

			stored, err := app.FindRecordById(name, r.Id)
			if err != nil {
				t.Fatalf("%s record is gone: %v", name, err)
			}
			if got, want := stored.GetString("action"), r.GetString("action"); got != want {
				t.Errorf("%s action is now %q, want %q", name, got, want)
			}
		})
	}

	// Growing stays allowed.
	saveNew(t, app, "appeal_events", map[string]any{
		"appeal": appeal.Id, "action": "accept", "actor_role": "operator",
		"from_status": "submitted", "to_status": "accepted",
	})
	if n := countRows(t, app, "appeal_events"); n != 2 {
		t.Errorf("%d appeal_events, want 2", n)
	}
}

func TestAuditWritesRow(t *testing.T) {
	app := newHookedApp(t)
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	resident := core.NewRecord(users)
	resident.SetEmail("resident@example.com")
	resident.SetPassword("1234567890")
	resident.Set("name", "王小明")
	if err := app.Save(resident); err != nil {
		t.Fatal(err)
	}

	err = hooks.Audit(app, hooks.AuditEntry{
		Action: "contact.view", Actor: resident, TargetCollection: "appeals", TargetID: "abc123",
		Detail: map[string]any{"field": "contact_phone"}, IP: "10.0.0.8",
	})
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	// Without an actor: the system.
	if err := hooks.Audit(app, hooks.AuditEntry{Action: "sla.overdue", TargetCollection: "appeals", TargetID: "abc123"}); err != nil {
		t.Fatalf("Audit without actor: %v", err)
	}

	rows, err := app.FindRecordsByFilter("audit_log", "target_id = {:id}", "action", 0, 0, dbx.Params{"id": "abc123"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d audit rows, want 2", len(rows))
	}
	view, system := rows[0], rows[1] // "contact.view" < "sla.overdue"
	for field, want := range map[string]string{
		"action": "contact.view", "actor_id": resident.Id, "actor_collection": "users",
		"actor_name": "王小明", "target_collection": "appeals", "target_id": "abc123", "ip": "10.0.0.8",
	} {
		if got := view.GetString(field); got != want {
			t.Errorf("audit %s = %q, want %q", field, got, want)
		}
	}
	if got := view.GetString("detail"); got != `{"field":"contact_phone"}` {
		t.Errorf("audit detail = %s", got)
	}
	if view.GetDateTime("created").IsZero() {
		t.Error("audit row has no created time")
	}
	if system.GetString("actor_id") != "" || system.GetString("actor_name") != "" {
		t.Errorf("system audit row names an actor: %v", system.FieldsData())
	}

	// An actor without a name is recorded by e-mail.
	resident.Set("name", "")
	if err := hooks.Audit(app, hooks.AuditEntry{Action: "contact.view", Actor: resident, TargetID: "noname"}); err != nil {
		t.Fatal(err)
	}
	if r, err := app.FindFirstRecordByData("audit_log", "target_id", "noname"); err != nil || r.GetString("actor_name") != "resident@example.com" {
		t.Errorf("actor_name of a nameless actor = %v (%v), want the e-mail", r, err)
	}
}

func TestAuditRollsBackWithItsTransaction(t *testing.T) {
	app := newHookedApp(t)
	before := countRows(t, app, "audit_log")
	errRollback := errors.New("the change failed")
	err := app.RunInTransaction(func(txApp core.App) error {
		if err := hooks.Audit(txApp, hooks.AuditEntry{Action: "config.update", TargetCollection: "departments", TargetID: "x"}); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTransaction = %v", err)
	}
	if after := countRows(t, app, "audit_log"); after != before {
		t.Errorf("audit rows %d → %d after a rolled-back transaction", before, after)
	}
}
