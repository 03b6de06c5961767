package workflow_test

import (
	"testing"
	"time"

	"siyang/internal/testenv"
)

// TestWorkbenchQueueKeptTokens: the queue keeps the staff record of a
// token between requests (queueauth.go), yet a token stops opening the
// queue as soon as PocketBase itself would refuse it.
func TestWorkbenchQueueKeptTokens(t *testing.T) {
	env := testenv.New(t)
	call := func(token string) int {
		t.Helper()
		return env.Call(t, "GET", "/api/workbench/queue", nil, nil, "Authorization", token).Status
	}

	t.Run("password changed", func(t *testing.T) {
		clerk := env.Staff(t, "handler", env.DeptA.Id)
		token := testenv.Token(t, clerk)
		if s := call(token); s != 200 {
			t.Fatalf("before: %d", s)
		}
		clerk.SetPassword("a-new-password-123")
		if err := env.App.Save(clerk); err != nil {
			t.Fatal(err)
		}
		if s := call(token); s != 401 {
			t.Errorf("the old token after a password change: %d", s)
		}
		if s := call(testenv.Token(t, clerk)); s != 200 {
			t.Errorf("a new token: %d", s)
		}
	})

	t.Run("account deleted", func(t *testing.T) {
		clerk := env.Staff(t, "handler", env.DeptA.Id)
		token := testenv.Token(t, clerk)
		if s := call(token); s != 200 {
			t.Fatalf("before: %d", s)
		}
		if err := env.App.Delete(clerk); err != nil {
			t.Fatal(err)
		}
		if s := call(token); s != 401 {
			t.Errorf("after the account was deleted: %d", s)
		}
	})

	t.Run("no longer a handler", func(t *testing.T) {
		clerk := env.Staff(t, "handler", env.DeptA.Id)
		token := testenv.Token(t, clerk)
		if s := call(token); s != 200 {
			t.Fatalf("before: %d", s)
		}
		clerk.Set("role", "operator")
		if err := env.App.Save(clerk); err != nil {
			t.Fatal(err)
		}
		if s := call(token); s != 400 { // the platform must name a department
			t.Errorf("as an operator without naming a department: %d", s)
		}
	})

	t.Run("expired", func(t *testing.T) {
		clerk := env.Staff(t, "handler", env.DeptA.Id)
		token, err := clerk.NewStaticAuthToken(2 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if s := call(token); s != 200 {
			t.Fatalf("before: %d", s)
		}
		time.Sleep(2100 * time.Millisecond)
		if s := call(token); s != 401 {
			t.Errorf("after the token expired: %d", s)
		}
	})

	t.Run("forged", func(t *testing.T) {
		clerk := env.Staff(t, "handler", env.DeptA.Id)
		token := testenv.Token(t, clerk)
		if s := call(token); s != 200 {
			t.Fatalf("before: %d", s)
		}
		if s := call(token[:len(token)-2] + "xx"); s != 401 {
			t.Errorf("a token with another signature: %d", s)
		}
	})
}
