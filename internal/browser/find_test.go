package browser

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestStartWithoutChromium: a developer without Chromium is told how to
// install it and the test skips; CI, or a wrong CHROMIUM_BIN, fails.
func TestStartWithoutChromium(t *testing.T) {
	debian := debianPath
	t.Cleanup(func() { debianPath = debian })
	debianPath = "/nonexistent/chromium"
	t.Setenv("PATH", t.TempDir())
	for _, c := range []struct{ ci, bin, want string }{
		{"", "", "skip: browser: chromium is not installed"},
		{"true", "", "fatal: browser: chromium is not installed"},
		{"", "/nonexistent/chrome", `fatal: browser: CHROMIUM_BIN="/nonexistent/chrome"`},
	} {
		t.Setenv("CI", c.ci)
		t.Setenv("CHROMIUM_BIN", c.bin)
		got := outcome(t, func(tb testing.TB) { Start(tb) })
		if !strings.HasPrefix(got, c.want) || !strings.Contains(got, "apt-get install -y chromium") {
			t.Errorf("CI=%q CHROMIUM_BIN=%q: %s", c.ci, c.bin, got)
		}
	}
}

// outcome runs f with a TB that records how it ended.
func outcome(t *testing.T, f func(testing.TB)) string {
	r := &ending{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); f(r) }()
	<-done
	return r.how
}

type ending struct {
	testing.TB
	how string
}

func (e *ending) Fatalf(format string, args ...any) {
	e.how = "fatal: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (e *ending) Skipf(format string, args ...any) {
	e.how = "skip: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}
