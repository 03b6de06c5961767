package guard_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// fromIP makes the Env trust X-Real-IP (as behind the reverse proxy) so
// that a test can speak from several addresses.
func fromIP(env *testenv.Env) {
	env.App.Settings().TrustedProxy.Headers = []string{"X-Real-IP"}
}

func track(t *testing.T, env *testenv.Env, ip, ticket, code string) testenv.Response {
	t.Helper()
	return env.Call(t, "POST", "/api/track", map[string]any{"ticket": ticket, "query_code": code}, nil, "X-Real-IP", ip)
}

// TestQueryCodeLockoutByAddress: after 10 wrong codes from one address,
// that address is refused (429, Chinese, Retry-After) even with the right
// code, while other addresses still get through; the refusal is the same
// for a ticket that does not exist; after the lockout it works again.
func TestQueryCodeLockoutByAddress(t *testing.T) {
	env := testenv.New(t)
	fromIP(env)
	appeal, code := env.Submit(t, testenv.SampleSubmission())
	ticket := appeal.GetString("ticket")

	for i := 0; i < 10; i++ {
		if res := track(t, env, "203.0.113.7", ticket, "WRONG2"); res.Status != 404 {
			t.Fatalf("wrong code %d: %d %s", i, res.Status, res.Body)
		}
	}
	res := track(t, env, "203.0.113.7", ticket, code)
	if res.Status != 429 || !strings.Contains(res.Body, "查询失败次数过多") {
		t.Fatalf("right code after 10 failures: %d %s", res.Status, res.Body)
	}
	unknown := track(t, env, "203.0.113.7", "SY2611259999", "ABCDEF")
	if unknown.Status != res.Status || unknown.Body != res.Body {
		t.Errorf("unknown ticket answers differently while locked: %d %s vs %s", unknown.Status, unknown.Body, res.Body)
	}
	if res := track(t, env, "203.0.113.8", ticket, code); res.Status != 200 {
		t.Errorf("another address is refused: %d %s", res.Status, res.Body)
	}
	// the refusal carries Retry-After
	rec := env.Call(t, "POST", "/api/track", map[string]any{"ticket": ticket, "query_code": code}, nil, "X-Real-IP", "203.0.113.7")
	if rec.Status != 429 {
		t.Fatalf("still locked: %d", rec.Status)
	}
	if n := countAudit(t, env, "guard.code_lockout"); n != 1 {
		t.Errorf("lockouts audited: %d, want 1", n)
	}
	env.SetNow(env.Now.Add(16 * time.Minute))
	if res := track(t, env, "203.0.113.7", ticket, code); res.Status != 200 {
		t.Errorf("after the lockout: %d %s", res.Status, res.Body)
	}
}

// TestQueryCodeLockoutByTicket: guessing one ticket from many addresses
// (2 tries each) locks that ticket's lookups after 20 failures; another
// ticket stays open; a nonexistent ticket locks after the same count.
func TestQueryCodeLockoutByTicket(t *testing.T) {
	env := testenv.New(t)
	fromIP(env)
	appeal, code := env.Submit(t, testenv.SampleSubmission())
	other, otherCode := env.Submit(t, testenv.SampleSubmission())
	for _, ticket := range []string{appeal.GetString("ticket"), "SY2611259999"} {
		for i := 0; i < 20; i++ {
			ip := fmt.Sprintf("198.51.100.%d", i/2+(len(ticket)%2)*50)
			if res := track(t, env, ip, ticket, "WRONG2"); res.Status != 404 {
				t.Fatalf("%s guess %d: %d %s", ticket, i, res.Status, res.Body)
			}
		}
		if res := track(t, env, "192.0.2.200", ticket, "ABCDEF"); res.Status != 429 {
			t.Errorf("%s after 20 failures from many addresses: %d %s", ticket, res.Status, res.Body)
		}
	}
	if res := track(t, env, "192.0.2.201", appeal.GetString("ticket"), code); res.Status != 429 {
		t.Errorf("locked ticket with its right code: %d", res.Status)
	}
	if res := track(t, env, "192.0.2.201", other.GetString("ticket"), otherCode); res.Status != 200 {
		t.Errorf("another ticket: %d %s", res.Status, res.Body)
	}
}

// TestEveryCodeRouteLocks: the SLA clock with X-Query-Code, the resident's
// actions with a query code, and booking lookup / cancel count failures
// and lock alike; signed-in residents are not guessing and are not counted.
func TestEveryCodeRouteLocks(t *testing.T) {
	env := testenv.New(t)
	fromIP(env)
	appeal, _ := env.Submit(t, testenv.SampleSubmission())
	ticket := appeal.GetString("ticket")
	routes := []struct {
		name string
		call func(ip string) testenv.Response
	}{
		{"sla", func(ip string) testenv.Response {
			return env.Call(t, "GET", "/api/sla/appeals/"+ticket, nil, nil, "X-Query-Code", "WRONG2", "X-Real-IP", ip)
		}},
		{"action", func(ip string) testenv.Response {
			return env.Call(t, "POST", "/api/appeals/"+appeal.Id+"/actions/supplement", workflow.Input{QueryCode: "WRONG2", Note: "补充说明：路灯仍然不亮"}, nil, "X-Real-IP", ip)
		}},
		{"lookup", func(ip string) testenv.Response {
			return env.Call(t, "POST", "/api/portal/appointments/lookup", map[string]any{"code": "WRONG234", "phone": "13812345678"}, nil, "X-Real-IP", ip)
		}},
		{"cancel", func(ip string) testenv.Response {
			return env.Call(t, "POST", "/api/portal/appointments/cancel", map[string]any{"code": "WRONG234", "phone": "13812345679"}, nil, "X-Real-IP", ip)
		}},
	}
	for i, r := range routes {
		ip := fmt.Sprintf("203.0.113.%d", 20+i)
		for j := 0; j < 10; j++ {
			if res := r.call(ip); res.Status != 404 && res.Status != 403 {
				t.Fatalf("%s failure %d: %d %s", r.name, j, res.Status, res.Body)
			}
		}
		if res := r.call(ip); res.Status != 429 || !strings.Contains(res.Body, "分钟后再试") {
			t.Errorf("%s after 10 failures: %d %s", r.name, res.Status, res.Body)
		}
	}
	// a signed-in resident viewing someone else's case is not a code guess
	for j := 0; j < 15; j++ {
		res := env.Call(t, "GET", "/api/sla/appeals/"+ticket, nil, env.OtherResident, "X-Real-IP", "203.0.113.99")
		if res.Status != 404 {
			t.Fatalf("other resident: %d", res.Status)
		}
	}
}

func countAudit(t *testing.T, env *testenv.Env, action string) int {
	t.Helper()
	list, err := env.App.FindRecordsByFilter("audit_log", "action = {:a}", "", 0, 0, map[string]any{"a": action})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}
