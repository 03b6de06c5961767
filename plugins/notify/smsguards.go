package notify

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/hooks"
)

// bindSettingsGuards keeps sms_settings one complete row whose secret can
// be written but never read back, audits every change, and reloads the
// driver once a change has committed.
func (p *plugin) bindSettingsGuards() {
	app := p.app
	app.OnRecordValidate(settingsCollection).BindFunc(func(e *core.RecordEvent) error {
		if problems := settingsProblems(e.Record); len(problems) > 0 {
			errs := validation.Errors{}
			for field, msg := range problems {
				errs[field] = validation.NewError("validation_sms_settings", msg)
			}
			return errs
		}
		return e.Next()
	})
	app.OnRecordCreateRequest(settingsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		if n, _ := e.App.CountRecords(settingsCollection); n > 0 {
			return router.NewBadRequestError("短信设置只有一条记录，请修改现有的那一条", nil)
		}
		return p.auditSettings("config.create", e, true)
	})
	app.OnRecordUpdateRequest(settingsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		// the secret is never shown, so a form saved without it keeps it
		orig := e.Record.Original()
		changed := e.Record.GetString("secret") != "" && e.Record.GetString("secret") != orig.GetString("secret")
		if e.Record.GetString("secret") == "" {
			e.Record.Set("secret", orig.GetString("secret"))
		}
		return p.auditSettings("config.update", e, changed)
	})
	app.OnRecordDeleteRequest(settingsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		return router.NewBadRequestError("短信设置不能删除；不发短信请把 driver 设为 off", nil)
	})
	// after the default enrichment, which unhides everything for superusers
	app.OnRecordEnrich(settingsCollection).BindFunc(func(e *core.RecordEnrichEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		e.Record.Hide("secret")
		return nil
	})
	reload := func(e *core.RecordEvent) error {
		p.sms.invalidate()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(settingsCollection).BindFunc(reload)
	app.OnRecordAfterUpdateSuccess(settingsCollection).BindFunc(reload)
	app.OnRecordAfterDeleteSuccess(settingsCollection).BindFunc(reload)
}

// auditSettings saves the change and writes who changed what to audit_log:
// every field but the secret, of which only whether it changed.
// The change and its audit row commit together.
func (p *plugin) auditSettings(action string, e *core.RecordRequestEvent, secretChanged bool) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		detail := map[string]any{"secret_changed": secretChanged}
		for _, f := range e.Record.Collection().Fields {
			if name := f.GetName(); name != "secret" {
				detail[name] = e.Record.Get(name)
			}
		}
		return hooks.Audit(tx, hooks.AuditEntry{
			Action: action, Actor: e.Auth, TargetCollection: settingsCollection,
			TargetID: e.Record.Id, Detail: detail, IP: e.RealIP(),
		})
	})
}
