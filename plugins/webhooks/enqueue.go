package webhooks

import (
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// enqueue writes one outbox row per active webhook that wants ev, with tx,
// the transaction that writes ev: the rows exist if and only if the event
// does.
func (p *plugin) enqueue(tx core.App, ev *core.Record) error {
	action := ev.GetString("action")
	subs, err := p.receivers.Get(tx)
	if err != nil {
		return fmt.Errorf("webhooks: active webhooks: %w", err)
	}
	if len(subs) == 0 {
		return nil
	}
	appeal, err := tx.FindRecordById("appeals", ev.GetString("appeal"))
	if err != nil {
		return fmt.Errorf("webhooks: appeal of event %s: %w", ev.Id, err)
	}
	// seq is the entry's place in the appeal's timeline: the same for every
	// webhook, and increasing, because timeline writes are serialised.
	var seq int
	if err := tx.DB().Select("count(*)").From("appeal_events").
		Where(dbx.HashExp{"appeal": appeal.Id}).Row(&seq); err != nil {
		return fmt.Errorf("webhooks: seq: %w", err)
	}
	collection, err := tx.FindCachedCollectionByNameOrId("outbox")
	if err != nil {
		return err
	}
	payload := buildPayload(ev, appeal, seq)
	now, _ := types.ParseDateTime(p.now())
	for _, w := range subs {
		if !wants(w, action) || !sees(w, appeal, ev) {
			continue
		}
		row := core.NewRecord(collection)
		row.Set("webhook", w.Id)
		row.Set("appeal", appeal.Id)
		row.Set("event", action)
		row.Set("appeal_event", ev.Id)
		row.Set("seq", seq)
		row.Set("payload", payload)
		row.Set("status", "pending")
		row.Set("next_attempt_at", now)
		if err := tx.Save(row); err != nil {
			return fmt.Errorf("webhooks: outbox row: %w", err)
		}
	}
	return nil
}

// wants reports whether w subscribes to action (no selection: everything).
func wants(w *core.Record, action string) bool {
	events := w.GetStringSlice("events")
	return len(events) == 0 || slices.Contains(events, action)
}

// sees reports whether w may hear about the appeal: a department's webhook
// only while its department leads or assists the case (after the event),
// or for what its own department did — the same cases its handlers see.
func sees(w *core.Record, appeal, ev *core.Record) bool {
	dept := w.GetString("department")
	if dept == "" {
		return true
	}
	return appeal.GetString("lead_department") == dept ||
		slices.Contains(appeal.GetStringSlice("assisting_departments"), dept) ||
		ev.GetString("actor_department") == dept
}

// buildPayload is what every receiver gets. It never carries contact data:
// no name, phone or e-mail, no resident account, and only masked text (the
// public title and the note with phone numbers, IDs and the resident's name
// starred); receivers fetch the full case through the department API,
// which checks who may see what.
func buildPayload(ev, appeal *core.Record, seq int) map[string]any {
	action := ev.GetString("action")
	label := "提交诉求"
	if a, ok := workflow.Find(action); ok {
		label = a.Label
	}
	var data any = map[string]any{}
	if raw := ev.Get("data"); raw != nil {
		if d, ok := raw.(types.JSONRaw); !ok || len(d) > 0 && string(d) != "null" {
			data = raw
		}
	}
	date := func(field string) string { return appeal.GetDateTime(field).String() }
	return map[string]any{
		"event":       action,
		"event_label": label,
		"event_id":    ev.Id,
		"seq":         seq,
		"occurred_at": ev.GetDateTime("created").String(),
		"from_status": ev.GetString("from_status"),
		"to_status":   ev.GetString("to_status"),
		"summary":     ev.GetString("summary"),
		"note":        hooks.MaskText(ev.GetString("note"), appeal.GetString("contact_name")),
		"public":      ev.GetBool("public"),
		"actor": map[string]any{
			"role":       ev.GetString("actor_role"),
			"department": ev.GetString("actor_department"),
		},
		"data": data,
		"appeal": map[string]any{
			"id":                    appeal.Id,
			"ticket":                appeal.GetString("ticket"),
			"status":                appeal.GetString("status"),
			"status_label":          workflow.StatusLabels[workflow.Status(appeal.GetString("status"))],
			"kind":                  appeal.GetString("kind"),
			"title":                 appeal.GetString("public_title"),
			"category":              appeal.GetString("category"),
			"region":                appeal.GetString("region"),
			"priority":              appeal.GetString("priority"),
			"confidential":          appeal.GetBool("confidential"),
			"lead_department":       appeal.GetString("lead_department"),
			"assisting_departments": appeal.GetStringSlice("assisting_departments"),
			"sla_state":             appeal.GetString("sla_state"),
			"due_accept":            date("due_accept"),
			"due_sign":              date("due_sign"),
			"due_finish":            date("due_finish"),
			"due_callback":          date("due_callback"),
		},
	}
}

// activeReceivers loads the webhooks of the event stream: the active ones,
// except upper-platform endpoints (kind upper_platform), which get their own
// reports, written by plugins/upstream. Every timeline entry needs them, so
// they are cached (p.receivers, emptied by any change of a webhook).
func activeReceivers(app core.App) ([]*core.Record, error) {
	var subs []*core.Record
	err := app.RecordQuery("webhooks").Where(dbx.HashExp{"active": true}).
		AndWhere(dbx.NewExp("kind != 'upper_platform'")).All(&subs)
	return subs, err
}
