// Package residents is the residents' own accounts: sign-in by phone with
// a one-time code sent by SMS (this package's endpoints), by e-mail with
// PocketBase's one-time code (limits and first-time accounts here), or by
// password; and "我的诉求", the cases linked to the signed-in resident. See
// docs/portal.md.
package residents

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Config configures the residents plugin.
type Config struct {
	// SendCode delivers a sign-in code by SMS to a mainland mobile number.
	// It must not log the number unmasked. Nil means LogSender(app): codes
	// are only written to the log, and only in --dev mode.
	SendCode func(ctx context.Context, phone, code string) error

	// Now is the platform's clock; nil means time.Now. Tests inject one.
	Now func() time.Time

	// CodeTTL is how long an SMS code works. Zero means 10 minutes (as
	// the e-mail codes, see the users collection's OTP settings).
	CodeTTL time.Duration

	// ResendAfter is the least time between two codes to the same phone or
	// e-mail address. Zero means 60 seconds.
	ResendAfter time.Duration

	// MaxPerTarget caps the codes one phone or e-mail address gets in an
	// hour. Zero means 5.
	MaxPerTarget int

	// MaxPerIP caps the codes (SMS and e-mail together) requested from one
	// address in an hour. Zero means 20 (a village office shares one).
	MaxPerIP int

	// MaxAttempts is how many wrong entries kill an SMS code. Zero means 5.
	MaxAttempts int

	// LinkWindow: when a resident signs in with a phone code, the earlier
	// appeals no older than this whose contact phone is that number, and
	// that belong to no account, are linked to the account (see
	// docs/decisions.md). Zero means 180 days; negative links none.
	LinkWindow time.Duration
}

type plugin struct {
	app    core.App
	config Config
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register binds the sign-in endpoints, the limits on e-mail codes, the
// guard on the users' phone field and the "my appeals" endpoints.
func Register(app core.App, config Config) error {
	if config.SendCode == nil {
		config.SendCode = LogSender(app)
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	if config.CodeTTL <= 0 {
		config.CodeTTL = 10 * time.Minute
	}
	if config.ResendAfter <= 0 {
		config.ResendAfter = time.Minute
	}
	if config.MaxPerTarget <= 0 {
		config.MaxPerTarget = 5
	}
	if config.MaxPerIP <= 0 {
		config.MaxPerIP = 20
	}
	if config.MaxAttempts <= 0 {
		config.MaxAttempts = 5
	}
	if config.LinkWindow == 0 {
		config.LinkWindow = 180 * 24 * time.Hour
	}
	p := &plugin{app: app, config: config}

	bindPhoneGuard(app)
	app.OnRecordRequestOTPRequest("users").BindFunc(p.onEmailCode)

	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.POST("/api/residents/phone-code", p.handlePhoneCode)
		e.Router.POST("/api/residents/phone-sign-in", p.handlePhoneSignIn)
		e.Router.GET("/api/residents/appeals", p.handleMyAppeals).Bind(RequireResident())
		e.Router.GET("/api/residents/appeals/{id}", p.handleMyAppeal).Bind(RequireResident())
		return e.Next()
	})
	return nil
}

func (p *plugin) now() time.Time { return p.config.Now() }
