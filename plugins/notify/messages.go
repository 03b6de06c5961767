package notify

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// message is one mail to one address, or one text message.
type message struct {
	kind  string
	to    string // e-mail address
	phone string // for SMS
	data  mailData
	files []storedFile // attachments, within the size budget
}

// storedFile is a file of a record in the app's storage.
type storedFile struct{ key, name string }

// handle works out and sends the messages of one event.
func (p *plugin) handle(ev *core.Record, sms smsSetup) {
	appeal, err := p.app.FindRecordById("appeals", ev.GetString("appeal"))
	if err != nil {
		p.app.Logger().Error("notify: appeal of event", "event", ev.Id, "error", err)
		return
	}
	base := p.caseData(appeal)
	base.Summary = ev.GetString("summary")
	base.Note = hooks.MaskText(ev.GetString("note"), appeal.GetString("contact_name"))

	var mails, texts []message
	toDepartments := func(kind string, smsOn bool, files []storedFile, ids ...string) {
		d := base
		d.Link = p.appURL()
		for _, id := range ids {
			dept, err := p.app.FindRecordById("departments", id)
			if err != nil {
				continue
			}
			d.Department = dept.GetString("name")
			if addr := dept.GetString("email"); addr != "" {
				mails = append(mails, message{kind: kind, to: addr, data: d, files: files})
			}
			if phone := mobile(dept.GetString("phone")); smsOn && sms.n != nil && phone != "" {
				texts = append(texts, message{kind: kind, phone: phone, data: d})
			}
		}
	}
	toResident := func(kind string, files []storedFile) {
		d := base
		d.Link = p.trackURL(base.Ticket)
		if addr := p.residentEmail(appeal); addr != "" {
			mails = append(mails, message{kind: kind, to: addr, data: d, files: files})
		}
	}

	lead := appeal.GetString("lead_department")
	switch ev.GetString("action") {
	case "accept":
		toResident(KindReceived, nil)
	case "dispatch", "redispatch":
		var files []storedFile
		// photos the resident sent, unless the case is 保密 or 匿名:
		// those stay on the platform
		if !appeal.GetBool("confidential") && !appeal.GetBool("anonymous") {
			files = filesOf(appeal, "attachments")
		}
		toDepartments(KindNewTask, false, files, append([]string{lead}, appeal.GetStringSlice("assisting_departments")...)...)
	case "urge", "sla_overdue":
		toDepartments(KindUrge, sms.on.Urge, nil, lead)
	case "supervise":
		toDepartments(KindSupervise, sms.on.Supervise, nil, lead)
	case "approve_reply", "direct_answer":
		reply := p.approvedReply(appeal)
		if reply != nil {
			base.Reply = reply.GetString("public_content")
		}
		toResident(KindReplied, filesOf(reply, "attachments"))
		if phone := mobile(appeal.GetString("contact_phone")); sms.on.RateInvite && sms.n != nil && phone != "" {
			texts = append(texts, message{kind: KindRateInvite, phone: phone, data: mailData{Ticket: base.Ticket, Link: p.trackURL(base.Ticket)}})
		}
		m, t := p.mergedResidents(ev, appeal, base.Reply, sms)
		mails, texts = append(mails, m...), append(texts, t...)
	case "sla_warning":
		// the callback stage is running out and the resident has not rated
		if appeal.GetString("sla_stage") == "callback" {
			toResident(KindRateInvite, nil)
		}
	case "merge":
		m, t := p.mergedNotice(ev, appeal, sms)
		mails, texts = append(mails, m...), append(texts, t...)
	}

	if p.app.Settings().SMTP.Enabled {
		for _, m := range mails {
			if err := p.sendMail(m); err != nil {
				p.app.Logger().Error("notify: mail not sent", "kind", m.kind, "ticket", m.data.Ticket, "error", err)
			}
		}
	}
	for _, m := range texts {
		if err := p.sendSMS(sms.n, m); err != nil {
			p.app.Logger().Error("notify: SMS not sent", "kind", m.kind, "ticket", m.data.Ticket, "phone", hooks.MaskPhone(m.phone), "error", err)
		}
	}
}

// caseData is what every mail about appeal shows: no contact data.
func (p *plugin) caseData(appeal *core.Record) mailData {
	d := mailData{
		Brand:  Brand,
		Ticket: appeal.GetString("ticket"),
		Title:  appeal.GetString("public_title"),
		Kind:   workflow.KindLabels[appeal.GetString("kind")],
	}
	if due := appeal.GetDateTime("due_finish"); !due.IsZero() {
		d.Due = due.Time().In(hooks.ChinaTime()).Format("2006-01-02 15:04")
	}
	return d
}

// mobile answers phone normalised when it is a mainland mobile number (a
// landline cannot take a text message), else "".
func mobile(phone string) string {
	n := hooks.NormalizePhone(phone)
	if !hooks.ValidPhone(n) || !strings.HasPrefix(n, "1") {
		return ""
	}
	return n
}

// residentEmail is the address of the appeal's own resident: their
// account's, else the one an Open311 client gave with this appeal.
func (p *plugin) residentEmail(appeal *core.Record) string {
	if id := appeal.GetString("resident"); id != "" {
		if u, err := p.app.FindRecordById("users", id); err == nil && u.Email() != "" {
			return u.Email()
		}
	}
	return appeal.GetString("contact_email")
}

// approvedReply is the reply the resident may read (its public_content is
// masked), or nil.
func (p *plugin) approvedReply(appeal *core.Record) *core.Record {
	// the latest: after 重办 an earlier approved reply may still be there
	rs, err := p.app.FindRecordsByFilter("replies",
		"appeal = {:id} && review_status = 'approved' && role != 'assist'", "-created", 1, 0, dbx.Params{"id": appeal.Id})
	if err != nil || len(rs) == 0 {
		return nil
	}
	return rs[0]
}

// filesOf lists the files of r's field (nil r: none).
func filesOf(r *core.Record, field string) []storedFile {
	if r == nil {
		return nil
	}
	var out []storedFile
	for _, name := range r.GetStringSlice(field) {
		out = append(out, storedFile{key: r.BaseFilesPath() + "/" + name, name: name})
	}
	return out
}

func (p *plugin) appURL() string {
	return strings.TrimRight(p.app.Settings().Meta.AppURL, "/")
}

func (p *plugin) trackURL(ticket string) string {
	base := p.config.TrackURL
	if base == "" {
		base = p.appURL() + "/track.html"
	}
	return base + "?ticket=" + ticket
}
