package portal_test

import (
	"encoding/json"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
)

// portalEnv is a test app with two service items of department A: one
// bookable online, one not. The platform clock stands at
// testenv.DefaultNow (Wednesday 2026-11-25 09:00 China time).
type portalEnv struct {
	*testenv.Env
	Item      *core.Record // 居住证办理, online booking
	NoBooking *core.Record // 不动产登记, window only
}

func newPortal(t testing.TB) *portalEnv {
	t.Helper()
	env := testenv.New(t)
	p := &portalEnv{Env: env}
	p.Item = env.Save(t, "service_items", map[string]any{
		"name": "居住证办理", "department": env.DeptA.Id, "category": "户籍办理",
		"location": "县政务服务中心二楼 12 号窗口", "phone": "0527-85000000", "hours": "工作日 8:30-12:00",
		"online_booking": true, "active": true,
	})
	p.NoBooking = env.Save(t, "service_items", map[string]any{
		"name": "不动产登记", "department": env.DeptA.Id, "location": "县政务服务中心一楼", "active": true,
	})
	return p
}

// slot creates a slot of item (capacity seats, from start for 30 minutes).
func (p *portalEnv) slot(t testing.TB, item *core.Record, date, start string, capacity int) *core.Record {
	t.Helper()
	end := map[string]string{"09:00": "09:30", "14:00": "14:30", "10:00": "10:30", "08:30": "09:00"}[start]
	return p.Save(t, "appointment_slots", map[string]any{
		"service_item": item.Id, "date": date, "start": start, "end": end, "capacity": capacity,
	})
}

// book calls the booking endpoint as a guest.
func (p *portalEnv) book(t testing.TB, slot *core.Record, name, phone string) testenv.Response {
	t.Helper()
	return p.Call(t, "POST", "/api/portal/appointments", map[string]any{"slot": slot.Id, "name": name, "phone": phone}, nil)
}

// booked re-reads a slot's seat count.
func (p *portalEnv) booked(t testing.TB, slot *core.Record) int {
	t.Helper()
	r, err := p.App.FindRecordById("appointment_slots", slot.Id)
	if err != nil {
		t.Fatal(err)
	}
	return r.GetInt("booked")
}

// runScenarios runs table-driven tests.ApiScenario, each on its own copy
// of base's database: PocketBase binds routes to an app for every router
// built on it, so a scenario needs an app of its own, and copying a
// migrated database is much cheaper than migrating a new one.
func runScenarios(t *testing.T, base *testenv.Env, scenarios []tests.ApiScenario) {
	t.Helper()
	for _, sc := range scenarios {
		sc.TestAppFactory = func(t testing.TB) *tests.TestApp { return testenv.Reopen(t, base.App.DataDir()).App }
		sc.DisableTestAppCleanup = true // Reopen cleans up with the subtest
		sc.Test(t)
	}
}

// auth is the Authorization header of r.
func auth(t testing.TB, r *core.Record) map[string]string {
	return map[string]string{"Authorization": testenv.Token(t, r)}
}

// jsonString encodes s as a JSON string literal.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
