// Package notify tells people what they must know about a case: e-mail to
// departments (新工单, 催办, 督办) and to residents (已受理, 已答复, 请评价,
// 已并单), and text messages through an SMS gateway configured in the
// dashboard (sms_settings). Messages go out after the action's transaction
// has committed, in the background: a mail server or gateway that is down
// is logged and never blocks or undoes the workflow. PocketBase's own auth
// mails stay with PocketBase.
package notify

import (
	"context"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Brand is the platform's name in every subject line.
const Brand = "泗阳网络直通车"

// Config configures the notify plugin. E-mail uses PocketBase's mail
// settings (dashboard → Settings → Mail settings): it is sent only while
// SMTP is enabled there; the sender is the settings' sender name and
// address. Text messages follow the sms_settings row unless SMS is set.
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

	// MaxAttachmentBytes bounds the files attached to one mail (a new
	// task's photos, an answer's documents); files beyond it are left out
	// and the mail says how many. Zero means 8 MB; negative attaches none.
	MaxAttachmentBytes int64

	// SMS, when set, sends text messages with SMSSwitches instead of the
	// driver an administrator configures in the sms_settings collection
	// (for tests and custom builds).
	SMS Notifier

	// SMSSwitches says which messages go by SMS when SMS is set.
	SMSSwitches SMSSwitches
}

type plugin struct {
	app    core.App
	config Config
	mailer *mailer
	sms    *smsSource

	mu     sync.Mutex // guards closed
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

// Register binds the notifications to the timeline (each committed
// appeal_events row may send mails and text messages) and the rules of the
// sms_settings collection.
func Register(app core.App, config Config) (*Plugin, error) {
	if config.PoolSize <= 0 {
		config.PoolSize = 3
	}
	if config.SendTimeout <= 0 {
		config.SendTimeout = 10 * time.Second
	}
	if config.MaxAttachmentBytes == 0 {
		config.MaxAttachmentBytes = 8 << 20
	}
	p := &plugin{app: app, config: config, sms: &smsSource{},
		mailer: &mailer{size: config.PoolSize, timeout: config.SendTimeout}}
	if config.SMS != nil {
		p.sms.set(&smsSetup{n: config.SMS, on: config.SMSSwitches})
	}
	p.bindSettingsGuards()
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

// SetSMS sends text messages with n and the given switches from now on,
// whatever the sms_settings row says (n nil: none).
func (pl *Plugin) SetSMS(n Notifier, on SMSSwitches) {
	pl.p.sms.set(&smsSetup{n: n, on: on})
}

// Texter answers the driver that really sends text messages of the given
// kind — the gateway in force, when it has a template for that kind — or
// nil (SMS off, only logged, or no template). Other plugins that send
// their own messages (residents' sign-in codes) use it, so that the
// gateway is configured in one place and changes apply without a restart.
func (pl *Plugin) Texter(kind string) Notifier {
	switch n := pl.p.sms.current(pl.p.app).n.(type) {
	case nil, LogNotifier:
		return nil
	case *HTTPGateway:
		if n.Templates[kind] == "" {
			return nil
		}
		return n
	default: // a driver set in code (Config.SMS, SetSMS)
		return n
	}
}

// CodeSender sends one-time sign-in codes (KindSignInCode, parameter
// "code") through the gateway in force when it has that template, else
// through fallback — looked up for every code, so that a gateway entered
// in the dashboard applies without a restart.
func (pl *Plugin) CodeSender(fallback func(ctx context.Context, phone, code string) error) func(ctx context.Context, phone, code string) error {
	return func(ctx context.Context, phone, code string) error {
		sms := pl.Texter(KindSignInCode)
		if sms == nil {
			return fallback(ctx, phone, code)
		}
		return sms.Send(ctx, SMS{Kind: KindSignInCode, Phone: phone, Params: map[string]string{"code": code}})
	}
}

// UseSMSSettings goes back to the driver of the sms_settings row.
func (pl *Plugin) UseSMSSettings() { pl.p.sms.set(nil) }

// Wait blocks until the messages of events so far have been sent (or have
// failed and been logged).
func (pl *Plugin) Wait() { pl.p.wg.Wait() }

// noticeActions are the timeline actions that may send something.
var noticeActions = map[string]bool{
	"accept": true, "dispatch": true, "redispatch": true, "urge": true, "sla_overdue": true,
	"supervise": true, "approve_reply": true, "direct_answer": true, "sla_warning": true, "merge": true,
}

// onEvent starts sending what ev calls for, in the background, with the
// SMS setup in force when the event committed.
func (p *plugin) onEvent(ev *core.Record) {
	if !noticeActions[ev.GetString("action")] {
		return
	}
	sms := p.sms.current(p.app)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || (!p.app.Settings().SMTP.Enabled && sms.n == nil) {
		return
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.handle(ev, sms)
	}()
}
