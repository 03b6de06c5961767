package notify

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// maxMergeDepth bounds how far merged-into chains are followed (X into Y
// into Z); a chain is at most as long as the operators made it, this only
// guards against a loop written into the database by hand.
const maxMergeDepth = 8

// mergedNotice tells the resident of an appeal just merged into another
// one which ticket it now follows, and — when that case is answered
// already — the answer. Nothing of the other case's resident is shown: its
// ticket, its masked answer, no title.
//
// Notices go out in the background, so the timeline decides what came
// first: the answer is in this notice only if it was approved before the
// merge (else the resident gets it with the reply notice).
func (p *plugin) mergedNotice(ev, dup *core.Record, sms smsSetup) (mails, texts []message) {
	target, err := p.app.FindRecordById("appeals", dup.GetString("duplicate_of"))
	if err != nil {
		return nil, nil
	}
	d := p.caseData(dup)
	d.Target = target.GetString("ticket")
	d.Link = p.trackURL(d.Ticket)
	if p.happenedBefore(target.Id, []string{"approve_reply", "direct_answer"}, ev.Id) {
		if r := p.approvedReply(target); r != nil {
			d.Reply = hooks.MaskText(r.GetString("public_content"), dup.GetString("contact_name"))
		}
	}
	if addr := p.residentEmail(dup); addr != "" {
		mails = append(mails, message{kind: KindMerged, to: addr, data: d})
	}
	if phone := mobile(dup.GetString("contact_phone")); sms.on.Merged && sms.n != nil && phone != "" {
		texts = append(texts, message{kind: KindMerged, phone: phone, data: d})
	}
	return mails, texts
}

// mergedResidents are the reply notices for the residents of the appeals
// merged into target (directly or along a chain), now that target is
// answered: each gets their own ticket, target's ticket and the masked
// answer — not target's resident's anything. Only cases merged before the
// answer: one merged later got the answer with its merge notice.
func (p *plugin) mergedResidents(ev, target *core.Record, reply string, sms smsSetup) (mails, texts []message) {
	for _, dup := range MergedInto(p.app, target.Id) {
		if !p.happenedBefore(dup.Id, []string{"merge"}, ev.Id) {
			continue
		}
		d := p.caseData(dup)
		d.Target = target.GetString("ticket")
		d.Link = p.trackURL(d.Ticket)
		d.Reply = hooks.MaskText(reply, dup.GetString("contact_name"))
		if addr := p.residentEmail(dup); addr != "" {
			mails = append(mails, message{kind: KindMergedReplied, to: addr, data: d})
		}
		if phone := mobile(dup.GetString("contact_phone")); sms.on.Merged && sms.n != nil && phone != "" {
			texts = append(texts, message{kind: KindMergedReplied, phone: phone, data: d})
		}
	}
	return mails, texts
}

// MergedInto answers the appeals merged into the appeal with id, directly
// or through other merged appeals, in merge order.
func MergedInto(app core.App, id string) []*core.Record {
	var out []*core.Record
	seen := map[string]bool{id: true}
	frontier := []string{id}
	for depth := 0; depth < maxMergeDepth && len(frontier) > 0; depth++ {
		ids := make([]any, len(frontier))
		for i, f := range frontier {
			ids[i] = f
		}
		var next []*core.Record
		err := app.RecordQuery("appeals").
			Where(dbx.In("duplicate_of", ids...)).
			AndWhere(dbx.HashExp{"status": "merged"}).
			OrderBy("created", "id").All(&next)
		if err != nil {
			app.Logger().Error("notify: merged appeals", "appeal", id, "error", err)
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

// happenedBefore reports whether appeal's timeline has one of actions
// written before the entry with id eventID. The timeline is append-only,
// so SQLite's rowid is the order in which entries were committed.
func (p *plugin) happenedBefore(appeal string, actions []string, eventID string) bool {
	list := make([]any, len(actions))
	for i, a := range actions {
		list[i] = a
	}
	var n int
	err := p.app.DB().Select("count(*)").From("appeal_events").
		Where(dbx.HashExp{"appeal": appeal}).
		AndWhere(dbx.In("action", list...)).
		AndWhere(dbx.NewExp("rowid < (SELECT rowid FROM appeal_events WHERE id = {:ev})", dbx.Params{"ev": eventID})).
		Row(&n)
	return err == nil && n > 0
}
