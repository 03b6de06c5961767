// Package notify tells people what they must know about a case: e-mail to
// departments (新工单, 催办, 督办) and to residents with an account (已受理,
// 已答复, 请评价), and optionally text messages through an SMS gateway.
// Messages go out after the action's transaction has committed, in the
// background: a mail server that is down is logged and never blocks or
// undoes the workflow. PocketBase's own auth mails stay with PocketBase.
package notify

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/jordan-wright/email"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// Brand is the platform's name in every subject line.
const Brand = "泗阳网络直通车"

// Config configures the notify plugin. E-mail uses PocketBase's mail
// settings (dashboard → Settings → Mail settings): it is sent only while
// SMTP is enabled there; the sender is the settings' sender name and
// address.
type Config struct {
	// PoolSize is how many SMTP connections are kept open for bursts. Zero
	// means 3.
	PoolSize int

	// SendTimeout bounds waiting for a pooled SMTP connection (a server
	// that is down costs this long per mail, in the background). Zero
	// means 10 seconds.
	SendTimeout time.Duration

	// TrackURL is the residents' track page linked from their mails. Empty
	// means the settings' application URL + "/track.html".
	TrackURL string

	// SMS sends text messages; nil sends none.
	SMS Notifier

	// SMSRatingInvite sends residents the rating invitation by SMS too (to
	// the appeal's contact phone), when the reply is approved.
	SMSRatingInvite bool

	// SMSUrge sends departments 催办 by SMS too (to the department's phone
	// if it is a mobile number).
	SMSUrge bool
}

type plugin struct {
	app    core.App
	config Config
	mailer *mailer

	mu     sync.Mutex // guards config.SMS* and closed
	closed bool
	wg     sync.WaitGroup // messages in flight
}

// Plugin is the registered notify plugin.
type Plugin struct{ p *plugin }

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) *Plugin {
	pl, err := Register(app, config)
	if err != nil {
		panic(err)
	}
	return pl
}

// Register binds the notifications to the timeline: each committed
// appeal_events row may send mails and text messages.
func Register(app core.App, config Config) (*Plugin, error) {
	if config.PoolSize <= 0 {
		config.PoolSize = 3
	}
	if config.SendTimeout <= 0 {
		config.SendTimeout = 10 * time.Second
	}
	p := &plugin{app: app, config: config, mailer: &mailer{size: config.PoolSize, timeout: config.SendTimeout}}
	// after the commit only: a rolled-back action never sends anything
	app.OnRecordAfterCreateSuccess("appeal_events").BindFunc(func(e *core.RecordEvent) error {
		p.onEvent(e.Record)
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		p.mu.Lock()
		p.closed = true
		p.mu.Unlock()
		p.wg.Wait()
		p.mailer.close()
		return e.Next()
	})
	return &Plugin{p: p}, nil
}

// SetSMS replaces the SMS driver and its switches, e.g. once the gateway's
// credentials are known.
func (pl *Plugin) SetSMS(n Notifier, ratingInvite, urge bool) {
	pl.p.mu.Lock()
	defer pl.p.mu.Unlock()
	pl.p.config.SMS, pl.p.config.SMSRatingInvite, pl.p.config.SMSUrge = n, ratingInvite, urge
}

// Wait blocks until the messages of events so far have been sent (or have
// failed and been logged).
func (pl *Plugin) Wait() { pl.p.wg.Wait() }

// onEvent starts sending what ev calls for, in the background.
func (p *plugin) onEvent(ev *core.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || (!p.app.Settings().SMTP.Enabled && p.config.SMS == nil) {
		return
	}
	switch ev.GetString("action") {
	case "accept", "dispatch", "redispatch", "urge", "sla_overdue", "supervise", "approve_reply", "direct_answer", "sla_warning":
	default:
		return
	}
	sms, invite, urge := p.config.SMS, p.config.SMSRatingInvite, p.config.SMSUrge
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.handle(ev, sms, invite, urge)
	}()
}

// message is one mail to one address, or one text message.
type message struct {
	kind  string
	to    string // e-mail address
	phone string // for SMS
	data  mailData
}

// handle works out and sends the messages of one event.
func (p *plugin) handle(ev *core.Record, sms Notifier, invite, urgeSMS bool) {
	appeal, err := p.app.FindRecordById("appeals", ev.GetString("appeal"))
	if err != nil {
		p.app.Logger().Error("notify: appeal of event", "event", ev.Id, "error", err)
		return
	}
	base := mailData{
		Brand:   Brand,
		Ticket:  appeal.GetString("ticket"),
		Title:   appeal.GetString("public_title"),
		Kind:    workflow.KindLabels[appeal.GetString("kind")],
		Summary: ev.GetString("summary"),
		Note:    hooks.MaskText(ev.GetString("note"), appeal.GetString("contact_name")),
	}
	if due := appeal.GetDateTime("due_finish"); !due.IsZero() {
		base.Due = due.Time().In(hooks.ChinaTime()).Format("2006-01-02 15:04")
	}

	var mails, texts []message
	toDepartments := func(kind string, ids ...string) {
		d := base
		d.Link = p.appURL()
		for _, id := range ids {
			dept, err := p.app.FindRecordById("departments", id)
			if err != nil {
				continue
			}
			d.Department = dept.GetString("name")
			if addr := dept.GetString("email"); addr != "" {
				mails = append(mails, message{kind: kind, to: addr, data: d})
			}
			if kind == KindUrge && urgeSMS && sms != nil && hooks.ValidPhone(dept.GetString("phone")) && strings.HasPrefix(hooks.NormalizePhone(dept.GetString("phone")), "1") {
				texts = append(texts, message{kind: kind, phone: hooks.NormalizePhone(dept.GetString("phone")), data: d})
			}
		}
	}
	toResident := func(kind string) {
		d := base
		d.Link = p.trackURL(base.Ticket)
		if addr := p.residentEmail(appeal); addr != "" {
			mails = append(mails, message{kind: kind, to: addr, data: d})
		}
	}

	lead := appeal.GetString("lead_department")
	switch ev.GetString("action") {
	case "accept":
		toResident(KindReceived)
	case "dispatch", "redispatch":
		toDepartments(KindNewTask, append([]string{lead}, appeal.GetStringSlice("assisting_departments")...)...)
	case "urge", "sla_overdue":
		toDepartments(KindUrge, lead)
	case "supervise":
		toDepartments(KindSupervise, lead)
	case "approve_reply", "direct_answer":
		base.Reply = p.approvedReply(appeal)
		toResident(KindReplied)
		if invite && sms != nil && appeal.GetString("contact_phone") != "" {
			texts = append(texts, message{kind: KindRateInvite, phone: appeal.GetString("contact_phone"), data: mailData{Ticket: base.Ticket, Link: p.trackURL(base.Ticket)}})
		}
	case "sla_warning":
		// the callback stage is running out and the resident has not rated
		if appeal.GetString("sla_stage") == "callback" {
			toResident(KindRateInvite)
		}
	}

	if p.app.Settings().SMTP.Enabled {
		for _, m := range mails {
			if err := p.sendMail(m); err != nil {
				p.app.Logger().Error("notify: mail not sent", "kind", m.kind, "ticket", base.Ticket, "error", err)
			}
		}
	}
	for _, m := range texts {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := sms.Send(ctx, SMS{Kind: m.kind, Phone: m.phone, Params: map[string]string{"ticket": m.data.Ticket, "link": m.data.Link}})
		cancel()
		if err != nil {
			p.app.Logger().Error("notify: SMS not sent", "kind", m.kind, "ticket", base.Ticket, "phone", hooks.MaskPhone(m.phone), "error", err)
		}
	}
}

// sendMail renders and sends one mail, HTML and text parts together.
func (p *plugin) sendMail(m message) error {
	subject, text, html, err := render(m.kind, m.data)
	if err != nil {
		return err
	}
	msg := email.NewEmail()
	msg.From = from(p.app)
	msg.To = []string{m.to}
	msg.Subject = subject
	msg.Text = []byte(text)
	msg.HTML = []byte(html)
	return p.mailer.send(p.app, msg)
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

// approvedReply is the masked text of the reply the resident may read.
func (p *plugin) approvedReply(appeal *core.Record) string {
	// the latest: after 重办 an earlier approved reply may still be there
	rs, err := p.app.FindRecordsByFilter("replies",
		"appeal = {:id} && review_status = 'approved' && role != 'assist'", "-created", 1, 0, dbx.Params{"id": appeal.Id})
	if err != nil || len(rs) == 0 {
		return ""
	}
	return rs[0].GetString("public_content")
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
