package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// RateLimitRules are the rules of PocketBase's rate limiter (per client
// address; MaxRequests per Duration seconds, refilled over the period).
// Residents often share an address (mobile carriers' NAT, a village
// office), so the public limits stop scripts, not families; guessing of
// query codes is stopped separately by plugins/guard's lockout.
var RateLimitRules = []core.RateLimitRule{
	// sign-in of staff and residents (password, OTP, OAuth2)
	{Label: "*:auth", MaxRequests: 20, Duration: 60},
	{Label: "*:requestOTP", MaxRequests: 5, Duration: 60},
	{Label: "*:requestPasswordReset", MaxRequests: 3, Duration: 600},
	{Label: "*:requestVerification", MaxRequests: 3, Duration: 600},
	{Label: "*:requestEmailChange", MaxRequests: 3, Duration: 600},
	{Label: "*:create", MaxRequests: 20, Duration: 5},
	// public intake by guests (operators registering calls are signed in)
	{Label: "POST /api/appeals", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 10, Duration: 600},
	// ticket + query code lookups
	{Label: "POST /api/track", MaxRequests: 30, Duration: 300},
	{Label: "GET /api/sla/appeals/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 60, Duration: 300},
	// booking, and lookup / cancel with the booking code
	{Label: "POST /api/portal/appointments", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 10, Duration: 600},
	{Label: "POST /api/portal/appointments/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 30, Duration: 300},
	// Open311 clients (POST requests.json) and department systems
	{Label: "POST /open311/v2/", MaxRequests: 30, Duration: 60},
	{Label: "/api/dept/v1/", MaxRequests: 120, Duration: 60},
	{Label: "/api/batch", MaxRequests: 3, Duration: 1},
	{Label: "/api/", MaxRequests: 300, Duration: 10},
}

// Session lifetimes, in seconds: staff sign in for one working day,
// residents stay signed in for two weeks on their own phone.
const (
	StaffTokenSeconds    = 8 * 3600
	ResidentTokenSeconds = 14 * 24 * 3600
)

// BackupCron takes the daily backup at 02:00 China time (PocketBase's
// cron runs in UTC); BackupKeep is how many of them are kept.
const (
	BackupCron = "0 18 * * *"
	BackupKeep = 14
)

// The security settings: the rate limiter on with the rules above,
// shorter sessions for staff than for residents, and daily backups.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		settings := app.Settings()
		settings.RateLimits.Enabled = true
		settings.RateLimits.Rules = RateLimitRules
		settings.Backups.Cron = BackupCron
		settings.Backups.CronMaxKeep = BackupKeep
		if err := app.Save(settings); err != nil {
			return err
		}
		for name, seconds := range map[string]int64{
			"staff":                       StaffTokenSeconds,
			core.CollectionNameSuperusers: StaffTokenSeconds,
			"users":                       ResidentTokenSeconds,
		} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.AuthToken.Duration = seconds
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
