// Package browser drives a headless Chromium for the UI tests of the public
// pages (resident portal, department workbench, operator console).
//
// A test serves the app with [Serve], starts a browser with [Start] and
// opens isolated pages with [Browser.NewPage]:
//
//	b := browser.Start(t)
//	url := browser.Serve(t, env.Handler(t))
//	p := b.NewPage(t, browser.Phone)
//	p.Go(url + "/")
//	p.Fill("#ticket", "SY2611260001")
//	p.Click("button[type=submit]")
//	p.WaitVisible("#result")
//
// Every Page method waits up to the page's timeout (10 s by default) and
// fails the test with the selector, the page's URL, the console errors so
// far and a screenshot of the page when it cannot do its job.
//
// Chromium is found at $CHROMIUM_BIN, /usr/bin/chromium or "chromium" on
// PATH. Without it the tests skip, except under CI (CI set), where they
// fail: CI must run them (.ci/run installs the Debian package). Chinese
// text in screenshots needs a CJK font (Debian's fonts-wqy-microhei).
//
// Page.Screenshot writes PNGs to $SCREENSHOT_DIR/<test name>/, by default
// <repository>/screenshots/<test name>/ (see ScreenshotDir); a failing
// method saves one there too and names it in the failure.
//
// By default every Start launches its own Chromium, closed when the test
// ends (about a second on 2 cores). A package with many browser tests can
// share one Chromium per test binary with a TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(browser.Main(m)) }
//
// Pages are isolated either way: each one has its own browser context
// (cookies, localStorage, cache).
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// DefaultTimeout bounds every wait of a Page; see Page.SetTimeout.
const DefaultTimeout = 10 * time.Second

// startTimeout bounds Chromium's start; a cold start on a busy 2-core
// machine takes a few seconds, a hang must not use up the test binary's whole -timeout.
const startTimeout = 60 * time.Second

// Viewport is the size of a page's window in CSS pixels. Mobile turns on
// the browser's mobile emulation, so the page's <meta name=viewport> is
// honoured as on a real phone.
type Viewport struct {
	Name          string
	Width, Height int
	Mobile        bool
}

// String names the viewport, for subtest names.
func (v Viewport) String() string {
	if v.Name != "" {
		return v.Name
	}
	return fmt.Sprintf("%dx%d", v.Width, v.Height)
}

// The two viewports every page is tested at. (A width and a height can't be
// one Go constant, so they are values of type Viewport.)
var (
	// Phone is a common phone screen (390×844, mobile emulation).
	Phone = Viewport{Name: "phone", Width: 390, Height: 844, Mobile: true}
	// Desktop is an office monitor's browser window (1280×900).
	Desktop = Viewport{Name: "desktop", Width: 1280, Height: 900}
)

// Browser is one running Chromium.
type Browser struct {
	// Version is the browser's product string, e.g. "Chrome/156.0.8078.108".
	Version string

	ctx         context.Context // the browser's root chromedp context
	cancelCtx   context.CancelFunc
	cancelAlloc context.CancelFunc
	output      *tail
	closeOnce   sync.Once
}

// shared is the browser of a test binary whose TestMain calls Main.
var shared struct {
	enabled bool
	once    sync.Once
	b       *Browser
	err     error
}

// Main runs the tests with one Chromium shared by every Start of the test
// binary, and closes it afterwards. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(browser.Main(m)) }
func Main(m *testing.M) int {
	shared.enabled = true // before m.Run: the tests' goroutines see it
	code := m.Run()
	if shared.b != nil {
		shared.b.close()
	}
	return code
}

// Start returns a running headless Chromium for t: its own, closed when t
// ends, or the test binary's shared one under Main. It skips t when
// Chromium is not installed, and fails it instead when CI is set.
func Start(t testing.TB) *Browser {
	t.Helper()
	path, err := FindChromium()
	if err != nil {
		if onCI() || os.Getenv("CHROMIUM_BIN") != "" {
			t.Fatalf("browser: %v; install it with `apt-get update && apt-get install -y chromium`", err)
		}
		t.Skipf("browser: %v; install it with `apt-get update && apt-get install -y chromium` (or set CHROMIUM_BIN) to run this test", err)
	}
	if shared.enabled {
		shared.once.Do(func() { shared.b, shared.err = launch(path) })
		if shared.err != nil {
			t.Fatalf("browser: %v", shared.err)
		}
		return shared.b
	}
	b, err := launch(path)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	t.Cleanup(b.close)
	return b
}

// onCI reports whether the CI variable is set (CI=true, as CI systems do).
func onCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "0" && v != "false"
}

// debianPath is where Debian's chromium package puts the browser (a
// variable for the tests).
var debianPath = "/usr/bin/chromium"

// FindChromium answers the browser binary: $CHROMIUM_BIN, /usr/bin/chromium
// or "chromium" on PATH.
func FindChromium() (string, error) {
	if bin := os.Getenv("CHROMIUM_BIN"); bin != "" {
		path, err := exec.LookPath(bin)
		if err != nil {
			return "", fmt.Errorf("CHROMIUM_BIN=%q is not an executable: %w", bin, err)
		}
		return path, nil
	}
	if _, err := exec.LookPath(debianPath); err == nil {
		return debianPath, nil
	}
	if path, err := exec.LookPath("chromium"); err == nil {
		return path, nil
	}
	return "", errors.New("chromium is not installed (not at /usr/bin/chromium, nor on PATH, and CHROMIUM_BIN is unset)")
}

// flags are the only switches Chromium gets; chromedp adds a fresh temporary
// --user-data-dir (removed on close), --remote-debugging-pipe (no port to
// collide with parallel test binaries) and about:blank.
var flags = []chromedp.ExecAllocatorOption{
	chromedp.Flag("headless", true),
	chromedp.Flag("no-sandbox", true), // CI runs as root, where the sandbox refuses to start
	chromedp.Flag("disable-gpu", true),
	chromedp.Flag("no-first-run", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("disable-quic", true),
}

// launch starts Chromium at path and waits until it answers.
func launch(path string) (*Browser, error) {
	out := &tail{max: 4096}
	opts := append([]chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.CombinedOutput(out)}, flags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, cancelCtx: cancelCtx, cancelAlloc: cancelAlloc, output: out}

	// The first Do binds the browser's life to the context it gets, so it
	// gets ctx itself and the deadline is kept from outside.
	var version cdpbrowser.GetVersionResult
	err := within(startTimeout, cancelAlloc, func() error {
		if err := chromedp.Do(ctx); err != nil {
			return err
		}
		var err error
		version, err = chromedp.CallBrowser(ctx, cdpbrowser.GetVersion, cdp.Empty{})
		return err
	})
	if err != nil {
		cancelAlloc()
		cancelCtx()
		return nil, fmt.Errorf("starting %s: %v\nchromium printed:\n%s", path, err, out)
	}
	b.Version = version.Product
	return b, nil
}

// close ends Chromium gracefully, killing it if it does not exit in time,
// and removes its profile directory.
func (b *Browser) close() {
	b.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		_ = chromedp.Cancel(ctx) // errors here only mean it is already gone
		b.cancelCtx()
		b.cancelAlloc()
	})
}

// within runs f and gives up after d, calling abort so that f returns.
func within(d time.Duration, abort func(), f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		abort()
		<-done
		return fmt.Errorf("no answer within %s", d)
	}
}

// tail keeps the last max bytes written to it: Chromium's output, shown
// when it fails to start.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

// Write keeps p's end; it never fails, so Chromium's output never blocks.
func (w *tail) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if len(w.buf) > w.max {
		w.buf = w.buf[len(w.buf)-w.max:]
	}
	return len(p), nil
}

// String answers what is kept.
func (w *tail) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
