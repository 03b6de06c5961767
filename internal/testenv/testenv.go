// Package testenv builds the small, self-made fixtures the tests run on: a
// fresh app with every migration, hook and the workflow plugin, three
// departments, one staff account per role and two residents.
package testenv

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/spf13/cobra"

	"siyang/hooks"
	"siyang/internal/dbtune"
	_ "siyang/migrations" // the schema under test
	pbpublic "siyang/pb_public"
	"siyang/plugins/analytics"
	"siyang/plugins/deptapi"
	"siyang/plugins/dispatch"
	"siyang/plugins/guard"
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

// Env is one test app with its fixtures.
type Env struct {
	App    *tests.TestApp
	Engine *workflow.Engine
	SLA    *sla.Plugin
	// Dispatch is the rules, classifier and flags plugin.
	Dispatch *dispatch.Plugin
	// Webhooks is the outbox deliverer; tests call DeliverDue and move Now.
	Webhooks *webhooks.Plugin
	// Notify sends mails (when SMTP is enabled in the settings) and SMS.
	Notify *notify.Plugin
	// SMSCodes receives the residents' sign-in codes (the SMS gateway).
	SMSCodes *CodeBox
	// Analytics computes the figures and runs the hotspot scan (tests call
	// ScanHotspots themselves).
	Analytics *analytics.Plugin
	// Privacy runs the retention sweep (tests call Sweep) and the data
	// export and erasure endpoints.
	Privacy *privacy.Plugin
	// Root holds the binary's commands that plugins add (see RunCommand).
	Root *cobra.Command

	// Now is the platform's clock for this Env, by default DefaultNow, so
	// that no test depends on the real date (the holiday calendar ends in
	// 2027). Tests of time limits move it; nothing ever sleeps.
	Now *time.Time

	DeptA, DeptB, DeptC *core.Record // A leads, B assists, C is unrelated

	Operator, Supervisor, Admin  *core.Record
	HandlerA, HandlerB, HandlerC *core.Record
	Resident, OtherResident      *core.Record

	handler http.Handler
}

// China is the county's time zone.
var China = time.FixedZone("CST", 8*3600)

// DefaultNow is an ordinary Wednesday morning in China.
var DefaultNow = time.Date(2026, 11, 25, 9, 0, 0, 0, China)

// SetNow moves the Env's clock.
func (env *Env) SetNow(t time.Time) { *env.Now = t }

// New returns a fresh Env; it is cleaned up when the test ends.
func New(t testing.TB) *Env {
	t.Helper()
	return newEnv(t, t.TempDir(), true)
}

func newEnv(t testing.TB, dataDir string, fixtures bool) *Env {
	t.Helper()
	// the binary's database settings (main.go), so that benchmarks measure them
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{
		DataDir:          dataDir,
		EncryptionEnv:    "pb_test_env",
		DataMaxOpenConns: dbtune.DataMaxOpenConns,
		DataMaxIdleConns: dbtune.DataMaxIdleConns,
		DBConnect:        dbtune.Defaults().Connect,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	hooks.Register(app)
	// The rate limiter (on in the settings) would throttle the tests'
	// hundreds of requests from one address; the guard tests switch it on.
	app.Settings().RateLimits.Enabled = false
	start := DefaultNow
	env := &Env{App: app, Now: &start}
	now := func() time.Time { return *env.Now }
	guard.MustRegister(app, guard.Config{Now: now})
	clock := sla.NewClock()
	env.Engine = workflow.MustRegister(app, workflow.Config{Clock: clock, Now: now})
	env.SLA = sla.MustRegister(app, sla.Config{Clock: clock, Actions: env.Engine, Now: now, SweepInterval: -1})
	pbpublic.Register(app)
	env.Root = &cobra.Command{Use: "siyang", SilenceUsage: true}
	env.Dispatch = dispatch.MustRegister(app, env.Root, dispatch.Config{Actions: env.Engine, RetrainEvery: -1})
	portal.MustRegister(app, portal.Config{Now: now})
	env.SMSCodes = &CodeBox{}
	residents.MustRegister(app, residents.Config{SendCode: env.SMSCodes.Send, Now: now})
	deptapi.MustRegister(app, deptapi.Config{Actions: env.Engine})
	open311.MustRegister(app, open311.Config{Intake: env.Engine, Now: now})
	env.Notify = notify.MustRegister(app, notify.Config{SendTimeout: 2 * time.Second})
	env.Analytics = analytics.MustRegister(app, env.Root, analytics.Config{Now: now, HotspotInterval: -1, RollupInterval: -1})
	env.Privacy = privacy.MustRegister(app, privacy.Config{Now: now, SweepInterval: -1})
	env.Webhooks = webhooks.MustRegister(app, webhooks.Config{Now: now, Interval: -1, BaseDelay: time.Second, MaxDelay: 8 * time.Second, MaxAttempts: 5, Timeout: time.Second})
	upstream.MustRegister(app, upstream.Config{Now: now})
	if !fixtures {
		return env
	}

	env.DeptA = env.Save(t, "departments", map[string]any{"name": "测试住建局", "code": "a", "kind": "职能部门", "active": true})
	env.DeptB = env.Save(t, "departments", map[string]any{"name": "测试交通局", "code": "b", "kind": "职能部门", "active": true})
	env.DeptC = env.Save(t, "departments", map[string]any{"name": "测试众兴街道", "code": "c", "kind": "乡镇街道", "active": true})

	env.Operator = env.Staff(t, "operator", "")
	env.Supervisor = env.Staff(t, "supervisor", "")
	env.Admin = env.Staff(t, "admin", "")
	env.HandlerA = env.Staff(t, "handler", env.DeptA.Id)
	env.HandlerB = env.Staff(t, "handler", env.DeptB.Id)
	env.HandlerC = env.Staff(t, "handler", env.DeptC.Id)
	env.Resident = env.User(t, "resident1@example.com")
	env.OtherResident = env.User(t, "resident2@example.com")
	return env
}

// Save creates a record of collection from data.
func (env *Env) Save(t testing.TB, collection string, data map[string]any) *core.Record {
	t.Helper()
	c, err := env.App.FindCollectionByNameOrId(collection)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Load(data)
	if err := env.App.Save(r); err != nil {
		t.Fatalf("save %s: %v", collection, err)
	}
	return r
}

var staffCount int

// Staff creates an active staff account.
func (env *Env) Staff(t testing.TB, role, department string) *core.Record {
	t.Helper()
	staffCount++
	c, _ := env.App.FindCollectionByNameOrId("staff")
	r := core.NewRecord(c)
	r.Set("name", role+"测试")
	r.Set("role", role)
	r.Set("department", department)
	r.Set("active", true)
	r.Set("email", role+strconv.Itoa(staffCount)+"@staff.example.com")
	r.SetPassword("test-password-123")
	if err := env.App.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// User creates a resident account.
func (env *Env) User(t testing.TB, email string) *core.Record {
	t.Helper()
	c, _ := env.App.FindCollectionByNameOrId("users")
	r := core.NewRecord(c)
	r.Set("email", email)
	r.Set("name", "居民")
	r.SetPassword("test-password-123")
	if err := env.App.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Token is an auth token for r, for the Authorization header.
func Token(t testing.TB, r *core.Record) string {
	t.Helper()
	if r == nil {
		return ""
	}
	tok, err := r.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Superuser creates a PocketBase superuser (dashboard administrator).
func (env *Env) Superuser(t testing.TB) *core.Record {
	t.Helper()
	c, err := env.App.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Set("email", "root@example.com")
	r.SetPassword("test-password-123")
	if err := env.App.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Reopen starts a second app on a copy of dataDir, as after a crash and
// restart: same database, fresh processes and caches.
func Reopen(t testing.TB, dataDir string) *Env {
	t.Helper()
	return newEnv(t, dataDir, false)
}
