package browser_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"siyang/internal/browser"
)

// page is the harness's playground: a form, a late overlay, a file input,
// a fetch and a way to log errors.
const page = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>#cover { position: fixed; inset: 0; background: rgba(0,0,0,.3); }</style></head>
<body>
<div id="cover"></div>
<input id="name"><select id="dept"><option value="">—</option><option value="a">住建局</option></select>
<input id="file" type="file" hidden>
<button id="go" type="button">提交</button>
<p id="out"></p><p id="hidden" hidden>x</p>
<script>
  setTimeout(() => document.getElementById("cover").remove(), 300);
  const out = document.getElementById("out");
  let events = [];
  for (const id of ["name", "dept", "file"]) {
    document.getElementById(id).addEventListener("change", () => events.push(id));
  }
  document.getElementById("go").addEventListener("click", () => {
    const f = document.getElementById("file").files[0];
    out.textContent = [document.getElementById("name").value, document.getElementById("dept").value, f ? f.name : "", events.join(",")].join("|");
  });
  window.ping = () => fetch("/ping").then((r) => r.text(), () => "network error");
</script></body></html>`

// TestMain shares one Chromium among the tests, as packages with several
// browser tests should.
func TestMain(m *testing.M) { os.Exit(browser.Main(m)) }

func serve(t *testing.T) string {
	return browser.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ping" {
			fmt.Fprint(w, "pong")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
}

func TestHarness(t *testing.T) {
	b := browser.Start(t)
	url := serve(t)
	t.Logf("%s", b.Version)
	if browser.Start(t) != b {
		t.Error("under Main, Start starts a second browser")
	}

	t.Run("form", func(t *testing.T) {
		p := b.NewPage(t, browser.Phone)
		p.Go(url + "/")
		file := filepath.Join(t.TempDir(), "照片.jpg")
		if err := os.WriteFile(file, []byte("jpg"), 0o644); err != nil {
			t.Fatal(err)
		}
		p.Fill("#name", "李四")
		p.Select("#dept", "住建局") // by visible text
		p.SetFiles("#file", file)
		p.Click("#go") // waits for #cover to go away
		if got, want := p.Text("#out"), "李四|a|照片.jpg|name,dept,file"; got != want {
			t.Errorf("after the click the page shows %q, want %q", got, want)
		}
		if p.Value("#name") != "李四" || !p.Exists("#hidden") || p.Exists("#nothing") {
			t.Error("Value or Exists answer wrongly")
		}
		var width int
		p.EvalInto("window.innerWidth", &width)
		if width != browser.Phone.Width || p.Eval(`ping()`) != "pong" {
			t.Errorf("innerWidth %d, ping %v", width, p.Eval(`ping()`))
		}
		if errs := p.ConsoleErrors(); len(errs) != 0 {
			t.Errorf("console errors: %q", errs)
		}
		dir := t.TempDir()
		t.Setenv("SCREENSHOT_DIR", dir)
		path := p.Screenshot("form")
		if path != filepath.Join(dir, "TestHarness", "form", "form.png") {
			t.Errorf("screenshot written to %s, not under SCREENSHOT_DIR %s", path, dir)
		}
		if data, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
			t.Errorf("screenshot %s is no PNG: %v", path, err)
		}
	})

	t.Run("network", func(t *testing.T) {
		p := b.NewPage(t, browser.Desktop)
		p.Go(url + "/")
		p.BlockURL("*/ping")
		if got := p.Eval(`ping()`); got != "network error" {
			t.Errorf("blocked ping answered %v", got)
		}
		p.UnblockAll()
		p.SetOffline(true)
		if got := p.Eval(`ping().then((r) => r + " " + navigator.onLine)`); got != "network error false" {
			t.Errorf("offline ping answered %v", got)
		}
		p.SetOffline(false)
		p.Throttle(300*time.Millisecond, 0)
		start := time.Now()
		if got := p.Eval(`ping()`); got != "pong" || time.Since(start) < 300*time.Millisecond {
			t.Errorf("throttled ping answered %v after %s", got, time.Since(start))
		}
		p.Throttle(0, 0)
	})

	t.Run("isolation and console", func(t *testing.T) {
		p1, p2 := b.NewPage(t, browser.Desktop), b.NewPage(t, browser.Desktop)
		p1.Go(url + "/")
		p2.Go(url + "/")
		p1.Eval(`localStorage.setItem("k", "v"); document.cookie = "c=1"`)
		if got := p2.Eval(`[localStorage.getItem("k"), document.cookie]`); fmt.Sprint(got) != "[<nil> ]" {
			t.Errorf("the second page sees the first one's storage: %v", got)
		}
		p1.Eval(`console.error("boom", 42); setTimeout(() => { throw new TypeError("late") })`)
		p1.WaitFor(`new Promise((r) => setTimeout(() => r(true), 50))`)
		errs := strings.Join(p1.ConsoleErrors(), "\n")
		if !strings.Contains(errs, "console.error: boom 42") || !strings.Contains(errs, "TypeError: late") {
			t.Errorf("console errors: %s", errs)
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		p := b.NewPage(t, browser.Desktop)
		p.Go(url + "/")
		p.Press("Tab")
		if f := p.Focus(); f.Element != "input#name" || !f.Visible {
			t.Errorf("the first Tab focuses %s, want a visibly focused input#name", f)
		}
		p.TabTo("#go", 5)
		p.Press("Shift+Tab")
		if f := p.Focus(); f.Element != "select#dept" {
			t.Errorf("Shift+Tab from the button focuses %s, want select#dept", f)
		}
		p.Press("Tab")
		p.Press("Enter")
		p.WaitText("#out", "|")
		p.Eval(`document.getElementById("out").textContent = ""`)
		p.Press("Space")
		p.WaitText("#out", "|")
	})

	t.Run("failure message", func(t *testing.T) {
		rec := &recorder{TB: t}
		p := b.NewPage(rec, browser.Desktop)
		p.Go(url + "/")
		p.SetTimeout(200 * time.Millisecond)
		rec.run(func() { p.WaitVisible("#hidden") })
		t.Logf("a failure reads:\n%s", rec.msg)
		for _, want := range []string{`WaitVisible("#hidden")`, "not visible", "page: " + url + "/", "screenshot: "} {
			if !strings.Contains(rec.msg, want) {
				t.Errorf("the failure says %q, without %q", rec.msg, want)
			}
		}
	})
}

// recorder is a testing.TB whose Fatal only records, so that a failure
// message itself can be tested.
type recorder struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (r *recorder) Fatal(args ...any) {
	r.mu.Lock()
	r.msg = fmt.Sprint(args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) { r.Fatal(fmt.Sprintf(format, args...)) }

// run runs f in a goroutine of its own, which Fatal ends.
func (r *recorder) run(f func()) {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	<-done
}
