// Package guard protects the platform against abuse: security headers on
// every answer, Chinese answers (with Retry-After) from PocketBase's own
// rate limiter, 503 系统繁忙 (with Retry-After) instead of PocketBase's 400
// when the database cannot answer in time, turns for the record lists,
// lockout of addresses and tickets after failed query-code lookups, lockout
// of staff accounts after failed passwords, and the staff MFA switch. The
// rate limiter's rules and the session lifetimes live in the settings
// (migrations/1764900000_security_settings.go).
package guard

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Config configures the guard plugin. Zero values mean the defaults.
type Config struct {
	// CodeFailuresPerIP is how many failed lookups with a ticket and query
	// code (or a booking code and phone) one address may make within
	// CodeWindow before its lookups are refused for CodeLockout. Zero means 10.
	CodeFailuresPerIP int

	// CodeFailuresPerTicket is how many failed lookups of one ticket (or one
	// booking phone), from any addresses, lock that ticket's lookups, so
	// that guessing from many addresses is stopped too. Zero means 20.
	CodeFailuresPerTicket int

	// CodeWindow is the period over which failed lookups are counted. Zero
	// means 15 minutes.
	CodeWindow time.Duration

	// CodeLockout is how long lookups stay refused. Zero means 15 minutes.
	CodeLockout time.Duration

	// StaffFailures is how many wrong passwords for one staff account
	// within StaffWindow lock the account's password sign-in for
	// StaffLockout. Zero means 5.
	StaffFailures int

	// StaffWindow is the period over which wrong passwords are counted.
	// Zero means 15 minutes.
	StaffWindow time.Duration

	// StaffLockout is how long a staff account's password sign-in stays
	// locked. Zero means 15 minutes.
	StaffLockout time.Duration

	// MFARoles are the staff roles that must enter a one-time code sent by
	// email after their password (PocketBase's MFA with OTP). Empty means no
	// MFA. MFA is only switched on while mail can be sent (SMTP enabled in
	// the settings): without it the codes could not arrive and the
	// administrators would be locked out; the guard logs an error instead.
	MFARoles []string

	// ContentSecurityPolicy is the CSP of the pages; empty means
	// DefaultPagePolicy. A map tile server configured in pb_public's
	// config.js must be added to img-src here.
	ContentSecurityPolicy string

	// ListReads is how many requests to PocketBase's record list
	// (GET /api/collections/{collection}/records) may read the database at
	// once. A list's filter and sort come from the client, and one can scan
	// a large table for seconds; without a bound, 16 such reads take all the
	// read connections and every other request (an intake, a lookup, the
	// workbench) waits behind them. Zero means 4 (half of dbtune's 8 read
	// connections; main.go passes half of --db-max-conns); negative means no bound.
	ListReads int

	// ListReadWait is how long a list request waits for its turn before it
	// is answered 503 系统繁忙 with Retry-After. Zero means 20 seconds (the
	// pages give up after 30).
	ListReadWait time.Duration

	// Now is the clock of the lockouts; nil means time.Now.
	Now func() time.Time
}

type plugin struct {
	app    core.App
	config Config

	listReads chan struct{} // a slot per record list reading the database; nil: no bound

	codeIP     *counter // failed code lookups by client address
	codeTicket *counter // failed code lookups by ticket / booking phone
	staff      *counter // failed staff passwords by lower-cased identity
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register binds the guard's middlewares and hooks to app.
func Register(app core.App, config Config) error {
	if config.CodeFailuresPerIP <= 0 {
		config.CodeFailuresPerIP = 10
	}
	if config.CodeFailuresPerTicket <= 0 {
		config.CodeFailuresPerTicket = 20
	}
	if config.CodeWindow <= 0 {
		config.CodeWindow = 15 * time.Minute
	}
	if config.CodeLockout <= 0 {
		config.CodeLockout = 15 * time.Minute
	}
	if config.StaffFailures <= 0 {
		config.StaffFailures = 5
	}
	if config.StaffWindow <= 0 {
		config.StaffWindow = 15 * time.Minute
	}
	if config.StaffLockout <= 0 {
		config.StaffLockout = 15 * time.Minute
	}
	if config.ContentSecurityPolicy == "" {
		config.ContentSecurityPolicy = DefaultPagePolicy
	}
	if config.ListReads == 0 {
		config.ListReads = 4
	}
	if config.ListReadWait <= 0 {
		config.ListReadWait = 20 * time.Second
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	p := &plugin{
		app:        app,
		config:     config,
		codeIP:     newCounter(config.CodeFailuresPerIP, config.CodeWindow, config.CodeLockout, config.Now),
		codeTicket: newCounter(config.CodeFailuresPerTicket, config.CodeWindow, config.CodeLockout, config.Now),
		staff:      newCounter(config.StaffFailures, config.StaffWindow, config.StaffLockout, config.Now),
	}
	if config.ListReads > 0 {
		p.listReads = make(chan struct{}, config.ListReads)
	}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(p.headersMiddleware())
		e.Router.Bind(p.busyMiddleware())
		if p.listReads != nil {
			e.Router.Bind(p.listReadsMiddleware())
		}
		e.Router.Bind(p.codeLockMiddleware())
		return e.Next()
	})
	app.OnRecordAuthWithPasswordRequest("staff", core.CollectionNameSuperusers).BindFunc(p.guardStaffPassword)
	p.bindMFA()
	return nil
}
