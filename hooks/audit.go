package hooks

import (
	"github.com/pocketbase/pocketbase/core"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	Action           string         // e.g. "contact.view", "config.update"
	Actor            *core.Record   // staff, superuser or resident record; nil for the system
	TargetCollection string         // collection of the record concerned
	TargetID         string         // id of the record concerned
	Detail           map[string]any // what changed or was seen (never the personal data itself)
	IP               string         // the actor's address
}

// Audit writes e to audit_log with app (pass the transaction's app to make
// the entry part of it).
func Audit(app core.App, e AuditEntry) error {
	collection, err := app.FindCachedCollectionByNameOrId("audit_log")
	if err != nil {
		return err
	}
	r := core.NewRecord(collection)
	r.Set("action", e.Action)
	r.Set("target_collection", e.TargetCollection)
	r.Set("target_id", e.TargetID)
	r.Set("detail", e.Detail)
	r.Set("ip", e.IP)
	if e.Actor != nil {
		r.Set("actor_id", e.Actor.Id)
		r.Set("actor_collection", e.Actor.Collection().Name)
		name := e.Actor.GetString("name")
		if name == "" {
			name = e.Actor.Email()
		}
		r.Set("actor_name", name)
	}
	return app.Save(r)
}

// configCollections hold the rules of the platform; each change is audited.
var configCollections = []string{"departments", "regions", "categories", "sla_policies", "staff"}

func bindConfigAudit(app core.App) {
	audit := func(action string, e *core.RecordRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		detail := map[string]any{}
		for _, f := range e.Record.Collection().Fields {
			if f.GetHidden() || f.Type() == core.FieldTypePassword {
				continue
			}
			detail[f.GetName()] = e.Record.Get(f.GetName())
		}
		return Audit(e.App, AuditEntry{
			Action: action, Actor: e.Auth, TargetCollection: e.Record.Collection().Name,
			TargetID: e.Record.Id, Detail: detail, IP: e.RealIP(),
		})
	}
	app.OnRecordCreateRequest(configCollections...).BindFunc(func(e *core.RecordRequestEvent) error { return audit("config.create", e) })
	app.OnRecordUpdateRequest(configCollections...).BindFunc(func(e *core.RecordRequestEvent) error { return audit("config.update", e) })
	app.OnRecordDeleteRequest(configCollections...).BindFunc(func(e *core.RecordRequestEvent) error { return audit("config.delete", e) })
}
