// Command siyang runs 泗阳网络直通车: the county's appeal platform on PocketBase.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
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
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDev: false})

	var demoData bool
	app.RootCmd.PersistentFlags().BoolVar(&demoData, "demo", true,
		"seed sample departments, townships and demo staff accounts into a fresh data folder")
	var mfaRoles string
	app.RootCmd.PersistentFlags().StringVar(&mfaRoles, "staff-mfa", "admin,supervisor",
		"staff roles that must enter an emailed one-time code after the password (needs SMTP; empty: none)")
	_ = app.RootCmd.ParseFlags(os.Args[1:])

	hooks.Register(app)
	guard.MustRegister(app, guard.Config{MFARoles: splitList(mfaRoles)})
	clock := sla.NewClock()
	engine := workflow.MustRegister(app, workflow.Config{Clock: clock})
	sla.MustRegister(app, sla.Config{Clock: clock, Actions: engine})
	dispatch.MustRegister(app, app.RootCmd, dispatch.Config{Actions: engine})
	demo.MustRegister(app, demo.Config{Enabled: demoData})
	portal.MustRegister(app, portal.Config{})
	deptapi.MustRegister(app, deptapi.Config{Actions: engine})
	open311.MustRegister(app, open311.Config{Intake: engine})
	webhooks.MustRegister(app, webhooks.Config{})
	upstream.MustRegister(app, upstream.Config{})
	// SMS follows the sms_settings row an administrator edits in the
	// dashboard (driver off / log / http gateway), reloaded on each change
	texts := notify.MustRegister(app, notify.Config{})
	residents.MustRegister(app, residents.Config{SendCode: signInCodes(app, texts)})
	analytics.MustRegister(app, app.RootCmd, analytics.Config{})
	privacy.MustRegister(app, privacy.Config{})
	// `siyang seed --appeals N`: generated load for the benchmarks, on a
	// fresh folder after the demo reference data
	loadgen.MustRegister(app, app.RootCmd, loadgen.Config{Seed: demoAccounts})

	pbpublic.Register(app)

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// demoAccounts writes the demo reference data and staff into a fresh
// folder and prints the accounts, as the demo plugin does on serve.
func demoAccounts(app core.App) error {
	return app.RunInTransaction(func(tx core.App) error {
		accounts, err := demo.Seed(tx)
		for _, a := range accounts {
			fmt.Printf("demo account: %s %s / %s\n", a.Role, a.Email, a.Password)
		}
		return err
	})
}

// signInCodes sends residents' sign-in codes through the SMS gateway set in
// sms_settings (with a 登录验证码 template), or without one through
// residents.LogSender (--dev only, phone masked).
func signInCodes(app *pocketbase.PocketBase, texts *notify.Plugin) func(context.Context, string, string) error {
	noGateway := residents.LogSender(app)
	return func(ctx context.Context, phone, code string) error {
		sms := texts.Texter(notify.KindSignInCode)
		if sms == nil {
			return noGateway(ctx, phone, code)
		}
		return sms.Send(ctx, notify.SMS{Kind: notify.KindSignInCode, Phone: phone, Params: map[string]string{"code": code}})
	}
}

// splitList reads a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
