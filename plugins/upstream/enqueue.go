package upstream

import (
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Kind is the webhooks.kind of an upper-platform endpoint.
const Kind = "upper_platform"

// maxMergeDepth bounds how far merge chains are followed (X into Y into
// Z); it only guards against a loop written into the database by hand.
const maxMergeDepth = 8

// reported says whether an event is progress the upper platform hears of
// when its webhook selects no events: a change of state, or an entry the
// resident sees (an approved extension, a supplement). Internal steps — a
// 催办, a request the platform has not decided yet, an assisting
// department's note — are not.
func reported(ev *core.Record) bool {
	return ev.GetString("from_status") != ev.GetString("to_status") || ev.GetBool("public")
}

// enqueue writes, with tx (the transaction of the timeline entry ev), one
// outbox row per upper-platform webhook for the case itself when that
// platform forwarded it, and for every case merged into it that one of
// them forwarded.
func (p *plugin) enqueue(tx core.App, ev *core.Record) error {
	hooks, err := p.endpoints.Get(tx)
	if err != nil {
		return fmt.Errorf("upstream: endpoints: %w", err)
	}
	if len(hooks) == 0 {
		return nil
	}
	subject, err := tx.FindRecordById("appeals", ev.GetString("appeal"))
	if err != nil {
		return fmt.Errorf("upstream: appeal of event %s: %w", ev.Id, err)
	}
	targets := []*core.Record{subject}
	targets = append(targets, mergedInto(tx, subject.Id)...)
	for _, target := range targets {
		source := target.GetString("external_source")
		if source == "" || target.GetString("external_id") == "" {
			continue
		}
		for _, hook := range hooks {
			if hook.GetString("source") != source || !wants(hook, ev) {
				continue
			}
			if err := p.write(tx, hook, ev, subject, target); err != nil {
				return err
			}
		}
	}
	return nil
}

// wants reports whether hook gets ev: the events it selected, or by
// default every reported one.
func wants(hook, ev *core.Record) bool {
	if events := hook.GetStringSlice("events"); len(events) > 0 {
		return slices.Contains(events, ev.GetString("action"))
	}
	return reported(ev)
}

// write saves one outbox row: the report of ev (on subject) to hook, about
// target (subject itself, or a case merged into it).
func (p *plugin) write(tx core.App, hook, ev, subject, target *core.Record) error {
	seq, err := nextSeq(tx, hook, ev, target, subject)
	if err != nil {
		return err
	}
	payload, err := buildReport(tx, ev, subject, target, seq)
	if err != nil {
		return err
	}
	collection, err := tx.FindCachedCollectionByNameOrId("outbox")
	if err != nil {
		return err
	}
	now, _ := types.ParseDateTime(p.now())
	row := core.NewRecord(collection)
	row.Set("webhook", hook.Id)
	row.Set("appeal", target.Id)
	row.Set("event", ev.GetString("action"))
	row.Set("appeal_event", ev.Id)
	row.Set("seq", seq)
	row.Set("payload", payload)
	row.Set("status", "pending")
	row.Set("next_attempt_at", now)
	if err := tx.Save(row); err != nil {
		return fmt.Errorf("upstream: outbox row: %w", err)
	}
	return nil
}

// nextSeq is the report's place in the target's stream. For the case's own
// events it is the entry's place in its timeline (as for every webhook);
// a merged case has no events of its own any more, so its reports from
// the case it follows continue after the last number it was sent.
func nextSeq(tx core.App, hook, ev, target, subject *core.Record) (int, error) {
	var own int
	if err := tx.DB().Select("count(*)").From("appeal_events").
		Where(dbx.HashExp{"appeal": target.Id}).Row(&own); err != nil {
		return 0, fmt.Errorf("upstream: seq: %w", err)
	}
	if target.Id == subject.Id {
		return own, nil
	}
	var last int
	if err := tx.DB().Select("coalesce(max(seq), 0)").From("outbox").
		Where(dbx.HashExp{"webhook": hook.Id, "appeal": target.Id}).Row(&last); err != nil {
		return 0, fmt.Errorf("upstream: seq: %w", err)
	}
	return max(own, last) + 1, nil
}

// mergedInto answers the cases merged into the case with id, directly or
// along a chain.
func mergedInto(tx core.App, id string) []*core.Record {
	var out []*core.Record
	seen := map[string]bool{id: true}
	frontier := []any{id}
	for depth := 0; depth < maxMergeDepth && len(frontier) > 0; depth++ {
		var next []*core.Record
		if err := tx.RecordQuery("appeals").
			Where(dbx.In("duplicate_of", frontier...)).
			AndWhere(dbx.HashExp{"status": "merged"}).
			OrderBy("created", "id").All(&next); err != nil {
			return out
		}
		frontier = frontier[:0]
		for _, r := range next {
			if !seen[r.Id] {
				seen[r.Id] = true
				out = append(out, r)
				frontier = append(frontier, r.Id)
			}
		}
	}
	return out
}

// activeEndpoints loads the active upper-platform webhooks. Every timeline
// entry needs them, so they are cached (p.endpoints, emptied by any change
// of a webhook).
func activeEndpoints(app core.App) ([]*core.Record, error) {
	var hooks []*core.Record
	err := app.RecordQuery("webhooks").Where(dbx.HashExp{"active": true, "kind": Kind}).All(&hooks)
	return hooks, err
}
