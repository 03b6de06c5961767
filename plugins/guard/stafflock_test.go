package guard_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"siyang/internal/testenv"
	"siyang/migrations"
)

func signIn(t *testing.T, env *testenv.Env, collection, email, password string) testenv.Response {
	t.Helper()
	return env.Call(t, "POST", "/api/collections/"+collection+"/auth-with-password",
		map[string]any{"identity": email, "password": password}, nil)
}

// TestStaffPasswordLockout: 5 wrong passwords lock the account's password
// sign-in for 15 minutes (even the right password is refused), the lockout
// is audited, an unknown address locks the same way (no account
// enumeration), and the account signs in again after the lockout.
func TestStaffPasswordLockout(t *testing.T) {
	env := testenv.New(t)
	email := env.HandlerA.Email()
	for i := 0; i < 5; i++ {
		if res := signIn(t, env, "staff", email, "wrong-password-x"); res.Status != 400 {
			t.Fatalf("wrong password %d: %d %s", i, res.Status, res.Body)
		}
	}
	res := signIn(t, env, "staff", email, "test-password-123")
	if res.Status != 429 || !strings.Contains(res.Body, "账号已临时锁定") {
		t.Fatalf("right password while locked: %d %s", res.Status, res.Body)
	}
	list, err := env.App.FindRecordsByFilter("audit_log", "action = 'guard.staff_lockout'", "", 0, 0)
	if err != nil || len(list) != 1 || list[0].GetString("target_id") != env.HandlerA.Id {
		t.Fatalf("lockout audit: %v %v", list, err)
	}
	// another account is not affected
	if res := signIn(t, env, "staff", env.HandlerB.Email(), "test-password-123"); res.Status != 200 {
		t.Errorf("other account: %d %s", res.Status, res.Body)
	}
	// an unknown account locks identically
	for i := 0; i < 5; i++ {
		signIn(t, env, "staff", "nobody@staff.example.com", "wrong-password-x")
	}
	if res := signIn(t, env, "staff", "nobody@staff.example.com", "wrong-password-x"); res.Status != 429 {
		t.Errorf("unknown account after 5 failures: %d", res.Status)
	}
	env.SetNow(env.Now.Add(16 * time.Minute))
	if res := signIn(t, env, "staff", email, "test-password-123"); res.Status != 200 {
		t.Errorf("after the lockout: %d %s", res.Status, res.Body)
	}
}

// TestSuperuserPasswordLockout: the dashboard administrators lock too.
func TestSuperuserPasswordLockout(t *testing.T) {
	env := testenv.New(t)
	su := env.Superuser(t)
	for i := 0; i < 5; i++ {
		signIn(t, env, "_superusers", su.Email(), "wrong-password-x")
	}
	if res := signIn(t, env, "_superusers", su.Email(), "test-password-123"); res.Status != 429 {
		t.Errorf("superuser while locked: %d %s", res.Status, res.Body)
	}
}

// TestSessionLifetimes: a staff token lasts one working day (8 h), a
// resident's two weeks.
func TestSessionLifetimes(t *testing.T) {
	env := testenv.New(t)
	cases := []struct {
		collection, email string
		want              int64
	}{
		{"staff", env.Operator.Email(), migrations.StaffTokenSeconds},
		{"users", env.Resident.Email(), migrations.ResidentTokenSeconds},
	}
	for _, c := range cases {
		res := signIn(t, env, c.collection, c.email, "test-password-123")
		if res.Status != 200 {
			t.Fatalf("%s sign-in: %d %s", c.collection, res.Status, res.Body)
		}
		var body struct{ Token string }
		res.JSON(t, &body)
		claims := tokenClaims(t, body.Token)
		if got := claims.Exp - claims.Iat; got < c.want-5 || got > c.want+5 {
			t.Errorf("%s token lives %d s, want %d", c.collection, got, c.want)
		}
	}
	if migrations.StaffTokenSeconds >= migrations.ResidentTokenSeconds {
		t.Error("staff sessions must be shorter than residents'")
	}
}

type claims struct{ Exp, Iat int64 }

func tokenClaims(t *testing.T, token string) claims {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c claims
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if c.Iat == 0 {
		// PocketBase tokens carry only exp; the token was issued just now
		c.Iat = time.Now().Unix()
	}
	return c
}
