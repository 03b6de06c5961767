package privacy

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
)

// Finished are the states in which a case needs no contact any more.
var Finished = []string{"closed", "rejected", "withdrawn", "merged"}

// anonymized is what stands for a blanked name on the few records whose
// name field is required.
const anonymized = "（已匿名）"

// AnonymizeAppeal removes the resident's personal data from a finished
// appeal in one transaction: name, phone, address, map position, photos
// and the link to their account are blanked; title, content, replies and
// call-back comments keep only their masked text. The timeline
// (append-only) and the case's facts stay, so statistics do not change.
func AnonymizeAppeal(app core.App, appeal *core.Record, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		a, err := tx.FindRecordById("appeals", appeal.Id)
		if err != nil {
			return err
		}
		if !a.GetDateTime("anonymized_at").IsZero() {
			return nil
		}
		name := a.GetString("contact_name")
		a.Set("title", hooks.MaskText(a.GetString("title"), name))
		a.Set("content", hooks.MaskText(a.GetString("content"), name))
		a.Set("contact_name", "")
		a.Set("contact_phone", "")
		a.Set("address", "")
		a.Set("location", types.GeoPoint{})
		a.Set("attachments", []string{})
		a.Set("resident", "")
		a.Set("anonymized_at", now.UTC())
		if err := tx.Save(a); err != nil {
			return fmt.Errorf("anonymize %s: %w", a.GetString("ticket"), err)
		}
		replies, err := tx.FindRecordsByFilter("replies", "appeal = {:a}", "", 0, 0, dbx.Params{"a": a.Id})
		if err != nil {
			return err
		}
		for _, r := range replies {
			r.Set("content", hooks.MaskText(r.GetString("content"), name))
			r.Set("attachments", []string{})
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		callbacks, err := tx.FindRecordsByFilter("callbacks", "appeal = {:a}", "", 0, 0, dbx.Params{"a": a.Id})
		if err != nil {
			return err
		}
		for _, c := range callbacks {
			c.Set("comment", hooks.MaskText(c.GetString("comment"), name))
			if err := tx.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}

// Sweep anonymizes every appeal finished before the retention period, and
// every appointment whose day lies that far back; it answers how many
// records it anonymized.
func (p *Plugin) Sweep() (int, error) {
	if p.config.Retention < 0 {
		return 0, nil
	}
	now := p.config.Now()
	cutoff := now.Add(-p.config.Retention).UTC().Format(types.DefaultDateLayout)
	var ids []string
	err := p.app.DB().Select("id").From("appeals").
		Where(dbx.In("status", toAny(Finished)...)).
		AndWhere(dbx.NewExp("anonymized_at = ''")).
		AndWhere(dbx.NewExp("(CASE WHEN closed_at != '' THEN closed_at ELSE updated END) < {:cutoff}", dbx.Params{"cutoff": cutoff})).
		Limit(1000).Column(&ids)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := AnonymizeAppeal(p.app, &core.Record{Id: id}, now); err != nil {
			return n, err
		}
		n++
	}
	day := now.Add(-p.config.Retention).In(hooks.ChinaTime()).Format("2006-01-02")
	var bookings []string
	err = p.app.DB().Select("appointments.id").From("appointments").
		InnerJoin("appointment_slots", dbx.NewExp("appointment_slots.id = appointments.slot")).
		Where(dbx.NewExp("appointments.anonymized_at = '' AND appointment_slots.date < {:day}", dbx.Params{"day": day})).
		Limit(1000).Column(&bookings)
	if err != nil {
		return n, err
	}
	for _, id := range bookings {
		if err := anonymizeBooking(p.app, id, now); err != nil {
			return n, err
		}
		n++
	}
	if n > 0 {
		err = hooks.Audit(p.app, hooks.AuditEntry{Action: "privacy.retention", Detail: map[string]any{
			"anonymized": n, "finished_before": cutoff,
		}})
	}
	return n, err
}

// anonymizeBooking blanks a past booking's name and phone.
func anonymizeBooking(app core.App, id string, now time.Time) error {
	r, err := app.FindRecordById("appointments", id)
	if err != nil {
		return err
	}
	r.Set("name", anonymized)
	r.Set("phone", "anon-"+r.Id)
	if r.GetString("status") == "booked" {
		r.Set("status", "no_show") // a past booking never marked: its seat is over
	}
	r.Set("anonymized_at", now.UTC())
	return app.Save(r)
}

func toAny(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
