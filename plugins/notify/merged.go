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
func (p *plugin) mergedNotice(dup *core.Record, sms smsSetup) (mails, texts []message) {
	target, err := p.app.FindRecordById("appeals", dup.GetString("duplicate_of"))
	if err != nil {
		return nil, nil
	}
	d := p.caseData(dup)
	d.Target = target.GetString("ticket")
	d.Link = p.trackURL(d.Ticket)
	if r := p.approvedReply(target); r != nil {
		d.Reply = hooks.MaskText(r.GetString("public_content"), dup.GetString("contact_name"))
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
// answer — not target's resident's anything.
func (p *plugin) mergedResidents(target *core.Record, reply string, sms smsSetup) (mails, texts []message) {
	for _, dup := range MergedInto(p.app, target.Id) {
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
