// Command siyang runs 泗阳网络直通车: the county's appeal platform on PocketBase.
package main

import (
	"log"
	"os"

	"github.com/pocketbase/pocketbase"

	"siyang/hooks"
	"siyang/internal/dbtune"
	_ "siyang/migrations"
	pbpublic "siyang/pb_public"
	"siyang/plugins/analytics"
	"siyang/plugins/demo"
	"siyang/plugins/deptapi"
	"siyang/plugins/dispatch"
	"siyang/plugins/guard"
	"siyang/plugins/loadgen"
	"siyang/plugins/notify"
	"siyang/plugins/open311"
	"siyang/plugins/portal"
	"siyang/plugins/privacy"
	"siyang/plugins/residents"
	"siyang/plugins/sla"
	"siyang/plugins/upstream"
	"siyang/plugins/webhooks"
	"siyang/plugins/workflow"
)

func main() {
	// Dev mode (SQL echo) only with --dev, also under "go run".
	// SQLite connections, page cache and Go heap sized for a small server
	db := dbtune.Defaults()
	app := pocketbase.NewWithConfig(pocketbase.Config{
		DefaultDev:       false,
		DataMaxOpenConns: dbtune.DataMaxOpenConns,
		DataMaxIdleConns: dbtune.DataMaxIdleConns,
		DBConnect:        db.Connect,
	})
	db.BindFlags(app.RootCmd.PersistentFlags())
	db.Register(app)

	var demoData bool
	app.RootCmd.PersistentFlags().BoolVar(&demoData, "demo", true,
		"seed sample departments, townships and demo staff accounts into a fresh data folder")
	var mfaRoles []string
	app.RootCmd.PersistentFlags().StringSliceVar(&mfaRoles, "staff-mfa", []string{"admin", "supervisor"},
		"staff roles that must enter an emailed one-time code after the password (needs SMTP; empty: none)")
	_ = app.RootCmd.ParseFlags(os.Args[1:])
	db.ApplyMemoryLimit(os.Getenv)

	hooks.Register(app)
	// client-filtered record lists may hold half the read connections
	guard.MustRegister(app, guard.Config{MFARoles: mfaRoles, ListReads: max(1, db.MaxConns/2)})
	clock := sla.NewClock()
	engine := workflow.MustRegister(app, workflow.Config{Clock: clock})
	sla.MustRegister(app, sla.Config{Clock: clock, Actions: engine})
	dispatch.MustRegister(app, app.RootCmd, dispatch.Config{Actions: engine})
	demo.MustRegister(app, demo.Config{Enabled: demoData})
	portal.MustRegister(app, portal.Config{WarmPublicCount: true})
	deptapi.MustRegister(app, deptapi.Config{Actions: engine})
	open311.MustRegister(app, open311.Config{Intake: engine})
	webhooks.MustRegister(app, webhooks.Config{})
	upstream.MustRegister(app, upstream.Config{})
	// SMS follows the sms_settings row an administrator edits in the
	// dashboard (driver off / log / http gateway), reloaded on each change
	texts := notify.MustRegister(app, notify.Config{})
	residents.MustRegister(app, residents.Config{
		// phone sign-in codes by the gateway's 登录验证码 template; without
		// one only logged, and only under --dev
		SendCode: texts.CodeSender(residents.LogSender(app)),
	})
	analytics.MustRegister(app, app.RootCmd, analytics.Config{})
	privacy.MustRegister(app, privacy.Config{})
	// `siyang seed --appeals N`: generated load for the benchmarks, on a
	// fresh folder after the demo reference data
	loadgen.MustRegister(app, app.RootCmd, loadgen.Config{Seed: demo.SeedAndPrint})

	pbpublic.Register(app)

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
