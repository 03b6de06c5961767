package notify

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// SMSSwitches says which messages also go by SMS.
type SMSSwitches struct {
	// RateInvite: the resident's rating invitation when a reply is approved.
	RateInvite bool
	// Urge: 催办 and 超时催办 to the lead department's mobile number.
	Urge bool
	// Supervise: 督办 to the lead department's mobile number.
	Supervise bool
	// Merged: residents of merged duplicates, when their appeal is merged
	// and when the appeal it was merged into is answered.
	Merged bool
}

// smsSetup is the driver and switches in force for one event.
type smsSetup struct {
	n  Notifier // nil: no text messages
	on SMSSwitches
}

// settingsCollection is the single-row collection an administrator edits
// in the dashboard (migration 1764700000_sms_settings.go).
const settingsCollection = "sms_settings"

// smsSource answers the SMS setup in force: the programmatic one when set
// (Config.SMS, Plugin.SetSMS), else the sms_settings row, reloaded after
// every committed change, so that a change takes effect without a restart.
type smsSource struct {
	mu       sync.Mutex
	override *smsSetup
	loaded   *smsSetup // nil until read, and again after a change
	client   *http.Client
}

func (s *smsSource) set(o *smsSetup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override = o
}

// invalidate drops the cached row (after a committed change).
func (s *smsSource) invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loaded = nil
}

func (s *smsSource) current(app core.App) smsSetup {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.override != nil {
		return *s.override
	}
	if s.loaded == nil {
		setup := s.read(app)
		s.loaded = &setup
	}
	return *s.loaded
}

// read builds the setup from the row. A missing or unreadable row means no
// SMS; a row that cannot work (validation prevents it, but the database can
// be edited by hand) falls back to the log driver, so that nothing is sent
// to a half-configured gateway.
func (s *smsSource) read(app core.App) smsSetup {
	row, err := app.FindFirstRecordByFilter(settingsCollection, "")
	if err != nil {
		return smsSetup{}
	}
	on := SMSSwitches{
		RateInvite: row.GetBool("rate_invite"),
		Urge:       row.GetBool("urge"),
		Supervise:  row.GetBool("supervise"),
		Merged:     row.GetBool("merged"),
	}
	logDriver := LogNotifier{Logger: app.Logger()}
	switch row.GetString("driver") {
	case "http":
		if len(settingsProblems(row)) > 0 {
			app.Logger().Warn("notify: sms_settings incomplete, SMS only logged")
			return smsSetup{n: logDriver, on: on}
		}
		if s.client == nil {
			s.client = &http.Client{Timeout: 10 * time.Second}
		}
		return smsSetup{on: on, n: &HTTPGateway{
			URL:    row.GetString("gateway_url"),
			AppID:  row.GetString("app_id"),
			Secret: row.GetString("secret"),
			Templates: map[string]string{
				KindRateInvite:    row.GetString("tpl_rate_invite"),
				KindUrge:          row.GetString("tpl_urge"),
				KindSupervise:     row.GetString("tpl_supervise"),
				KindMerged:        row.GetString("tpl_merged"),
				KindMergedReplied: row.GetString("tpl_merged_replied"),
				KindSignInCode:    row.GetString("tpl_sign_in_code"),
			},
			Client: s.client,
		}}
	case "log":
		return smsSetup{n: logDriver, on: on}
	}
	return smsSetup{}
}

// switchTemplates pairs each switch with the template fields it needs.
var switchTemplates = []struct{ on, tpl, label string }{
	{"rate_invite", "tpl_rate_invite", "评价邀请"},
	{"urge", "tpl_urge", "催办"},
	{"supervise", "tpl_supervise", "督办"},
	{"merged", "tpl_merged", "并单告知"},
	{"merged", "tpl_merged_replied", "并单答复告知"},
}

// settingsProblems answers what keeps the row from sending, by field, in
// Chinese for the administrator.
func settingsProblems(row *core.Record) map[string]string {
	problems := map[string]string{}
	if row.GetString("driver") != "http" {
		return problems
	}
	if u, err := url.Parse(row.GetString("gateway_url")); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems["gateway_url"] = "使用短信网关时请填写网关地址（http 或 https）"
	}
	if row.GetString("app_id") == "" {
		problems["app_id"] = "使用短信网关时请填写应用编号"
	}
	if row.GetString("secret") == "" {
		problems["secret"] = "使用短信网关时请填写签名密钥"
	}
	for _, st := range switchTemplates {
		if row.GetBool(st.on) && row.GetString(st.tpl) == "" {
			problems[st.tpl] = "已开启" + st.label + "短信，请填写网关审核通过的模板编号"
		}
	}
	return problems
}
