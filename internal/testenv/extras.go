package testenv

import (
	"bytes"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// Appeal wraps an appeal record for fluent re-reading in tests.
type Appeal struct{ *core.Record }

// Reload reads the appeal again (after hooks and actions ran).
func (a *Appeal) Reload(t testing.TB, env *Env) *Appeal {
	t.Helper()
	r, err := env.App.FindRecordById("appeals", a.Id)
	if err != nil {
		t.Fatal(err)
	}
	return &Appeal{r}
}

// RunCommand runs one of the binary's commands (e.g. "classify eval …")
// against the Env's app and answers what it printed.
func RunCommand(t testing.TB, env *Env, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	env.Root.SetOut(&out)
	env.Root.SetErr(&out)
	env.Root.SetArgs(args)
	err := env.Root.Execute()
	return out.String(), err
}
