package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Page is one tab in a browser context of its own (own cookies,
// localStorage and cache), used by the test that opened it.
type Page struct {
	t       testing.TB
	ctx     context.Context // the tab's chromedp context
	cancel  context.CancelFunc
	timeout time.Duration
	once    sync.Once

	mu       sync.Mutex // guards what the event listener writes
	console  []string
	blocked  []string
	net      netState
	failures int
}

// NewPage opens a fresh page at the viewport v; it is closed when t ends.
func (b *Browser) NewPage(t testing.TB, v Viewport) *Page {
	t.Helper()
	p := &Page{t: t, timeout: DefaultTimeout}
	p.ctx, p.cancel = chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(p.onEvent))
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if v.Width > v.Height {
		opts[0] = chromedp.EmulateLandscape
	}
	if v.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	// As in launch: the first Do creates the tab and binds it to p.ctx.
	err := within(startTimeout, p.cancel, func() error {
		return chromedp.Do(p.ctx, chromedp.EmulateViewport(int64(v.Width), int64(v.Height), opts...))
	})
	if err != nil {
		p.cancel()
		t.Fatalf("browser: opening a page (%s): %v", v, err)
	}
	t.Cleanup(p.Close)
	return p
}

// Close closes the page and its browser context; NewPage arranges it for
// the end of the test, so calling it is optional.
func (p *Page) Close() { p.once.Do(p.cancel) }

// SetTimeout changes how long the page's methods wait (DefaultTimeout).
func (p *Page) SetTimeout(d time.Duration) { p.timeout = d }

// onEvent sees every event of the tab, in order, in chromedp's read loop:
// it must return at once and send no command.
func (p *Page) onEvent(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			p.addConsole("console." + string(ev.Type) + ": " + formatArgs(ev.Args) + where(ev.StackTrace))
		}
	case *runtime.EventExceptionThrown:
		p.addConsole("uncaught " + exceptionText(ev.ExceptionDetails))
	case *fetch.EventRequestPaused:
		// Only blocked URLs are intercepted (see BlockURL).
		go func() {
			_, _ = chromedp.Call(p.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: "BlockedByClient"})
		}()
	}
}

func (p *Page) addConsole(msg string) {
	p.mu.Lock()
	p.console = append(p.console, msg)
	p.mu.Unlock()
}

// ConsoleErrors answers the uncaught JavaScript exceptions and the
// console.error (and failed console.assert) messages since the page opened.
// Failed loads that the browser itself logs (a 404, a blocked URL) are not
// among them: the page's own handling of those is what tests check.
func (p *Page) ConsoleErrors() []string {
	p.t.Helper()
	// One round trip first: events are handled in order, so whatever the
	// page logged before this call is recorded when it returns.
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	_, _ = p.evaluate(ctx, "0")
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// Go navigates to rawURL, which may be relative to the current page, and
// waits for the load event.
func (p *Page) Go(rawURL string) {
	p.t.Helper()
	u := rawURL
	if ref, err := url.Parse(rawURL); err == nil && !ref.IsAbs() {
		if base, err := url.Parse(p.URL()); err == nil {
			u = base.ResolveReference(ref).String()
		}
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		p.fail("Go(%q): %v", u, err)
	}
}

// URL answers the address of the page's document.
func (p *Page) URL() string {
	c := chromedp.FromContext(p.ctx)
	if c == nil || c.Target == nil {
		return "(no page)"
	}
	// Asked of the browser, not the page's JavaScript, so that it answers
	// even for a page that hangs.
	ctx, cancel := context.WithTimeout(p.ctx, diagnosisTimeout)
	defer cancel()
	info, err := chromedp.CallBrowser(ctx, target.GetTargetInfo, target.GetTargetInfoParams{TargetID: c.Target.TargetID})
	if err != nil {
		return fmt.Sprintf("(unknown: %v)", err)
	}
	return info.TargetInfo.URL
}

// WaitVisible waits until an element matches the CSS selector sel and is
// visible (rendered, not display:none/hidden/visibility:hidden, not empty).
func (p *Page) WaitVisible(sel string) {
	p.t.Helper()
	p.poll(fmt.Sprintf("WaitVisible(%q)", sel), jsCall(jsWaitVisible, sel), nil)
}

// WaitText waits until the element is visible and its text contains want,
// and answers the whole text (trimmed), e.g. for a message that a fetch
// fills in.
func (p *Page) WaitText(sel, want string) string {
	p.t.Helper()
	r := p.poll(fmt.Sprintf("WaitText(%q, %q)", sel, want), jsCall(jsWaitText, sel, want), nil)
	return strings.TrimSpace(r.Text)
}

// WaitFor waits until the JavaScript expression cond is truthy (it may be
// a promise). An exception counts as false, so cond may touch elements that
// are not there yet.
func (p *Page) WaitFor(cond string) {
	p.t.Helper()
	p.poll(fmt.Sprintf("WaitFor(%q)", cond), jsCondition(cond), nil)
}

// Click clicks the middle of the element as a person would, with real
// mouse events: it waits until the element is visible, enabled, not
// covered by another element and no longer moving.
func (p *Page) Click(sel string) {
	p.t.Helper()
	what := fmt.Sprintf("Click(%q)", sel)
	var last string
	pt := p.poll(what, jsCall(jsClickPoint, sel), func(r probe) string {
		if r.Key != last {
			last = r.Key
			return "the element is moving"
		}
		return ""
	})
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMouseMoved, input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
		ev := input.DispatchMouseEventParams{Type: typ, X: pt.X, Y: pt.Y}
		if typ != input.DispatchMouseEventTypeMouseMoved {
			ev.Button, ev.ClickCount = input.MouseButtonLeft, 1
		}
		if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, ev); err != nil {
			p.fail("%s: %v", what, err)
		}
	}
}

// Fill sets the text field's value to text and fires input and change. It
// fails when the field then holds something else (a type=number field given
// letters, for example).
func (p *Page) Fill(sel, text string) {
	p.t.Helper()
	what := fmt.Sprintf("Fill(%q, %q)", sel, text)
	if r := p.poll(what, jsCall(jsFill, sel, text), nil); r.Value != text {
		p.fail("%s: the field holds %q", what, r.Value)
	}
}

// Select chooses the <select>'s option whose value, or else whose visible
// text, is choice, and fires input and change.
func (p *Page) Select(sel, choice string) {
	p.t.Helper()
	p.poll(fmt.Sprintf("Select(%q, %q)", sel, choice), jsCall(jsSelect, sel, choice), nil)
}

// SetFiles puts the files (paths on this machine) into the <input
// type=file>, which fires its input and change events.
func (p *Page) SetFiles(sel string, paths ...string) {
	p.t.Helper()
	what := fmt.Sprintf("SetFiles(%q, %q)", sel, paths)
	abs := make([]string, len(paths))
	for i, path := range paths {
		a, err := filepath.Abs(path)
		if err == nil {
			_, err = os.Stat(a)
		}
		if err != nil {
			p.fail("%s: %v", what, err)
		}
		abs[i] = a
	}
	p.poll(what, jsCall(jsFileInput, sel), nil)
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: jsCall(`(sel) => document.querySelector(sel)`, sel)})
	if err == nil && (res.Result == nil || res.Result.ObjectID == "") {
		err = errors.New("the element went away")
	}
	if err == nil {
		_, err = chromedp.Call(ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: abs, ObjectID: res.Result.ObjectID})
		_, _ = chromedp.Call(ctx, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: res.Result.ObjectID})
	}
	if err != nil {
		p.fail("%s: %v", what, err)
	}
}

// Text waits until the element is visible and answers its rendered text
// (innerText), without leading and trailing space.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(p.poll(fmt.Sprintf("Text(%q)", sel), jsCall(jsText, sel), nil).Text)
}

// Value waits until the element is there and answers its value (form
// fields; it need not be visible).
func (p *Page) Value(sel string) string {
	p.t.Helper()
	return p.poll(fmt.Sprintf("Value(%q)", sel), jsCall(jsValue, sel), nil).Value
}

// Exists answers at once whether an element matches sel, visible or not.
func (p *Page) Exists(sel string) bool {
	p.t.Helper()
	return p.poll(fmt.Sprintf("Exists(%q)", sel), jsCall(jsExists, sel), nil).Found
}

// Eval evaluates the JavaScript expression (awaiting a promise) and answers
// its value decoded from JSON: nil, bool, float64, string, []any or
// map[string]any. An exception fails the test.
func (p *Page) Eval(js string) any {
	p.t.Helper()
	var v any
	p.EvalInto(js, &v)
	return v
}

// EvalInto evaluates js like Eval and decodes its value into v, as
// encoding/json does.
func (p *Page) EvalInto(js string, v any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	raw, err := p.evaluate(ctx, js)
	if err != nil {
		p.fail("Eval(%q): %v", js, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		p.fail("Eval(%q): decoding %s into %T: %v", js, raw, v, err)
	}
}

// evaluate runs expr in the page and answers its value as JSON (null for
// undefined). Silent keeps the harness's own errors out of ConsoleErrors.
func (p *Page) evaluate(ctx context.Context, expr string) ([]byte, error) {
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression:    expr,
		ReturnByValue: new(true),
		AwaitPromise:  new(true),
		Silent:        new(true),
	})
	switch {
	case err != nil:
		return nil, err
	case res.ExceptionDetails != nil:
		return nil, errors.New(exceptionText(res.ExceptionDetails))
	case res.Result == nil || res.Result.Type == runtime.RemoteObjectTypeUndefined:
		return []byte("null"), nil
	case res.Result.UnserializableValue != "": // NaN, Infinity, -0, 1n
		return json.Marshal(string(res.Result.UnserializableValue))
	case len(res.Result.Value) == 0: // a function or symbol: no JSON form
		return json.Marshal(res.Result.Description)
	}
	return res.Result.Value, nil
}

// probe is what the page-side functions in js.go answer.
type probe struct {
	OK    bool    `json:"ok"`
	Wait  string  `json:"wait"`
	Fatal string  `json:"fatal"`
	Found bool    `json:"found"`
	Text  string  `json:"text"`
	Value string  `json:"value"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Key   string  `json:"key"`
}

// diagnosisTimeout bounds what a failure message gathers (URL, screenshot).
const diagnosisTimeout = 10 * time.Second

// pollInterval is the pause between two probes: short enough not to slow
// tests down, long enough to leave the 2 cores to the page and the server.
const pollInterval = 25 * time.Millisecond

// poll asks the probe expr until it answers ok (and more, when given,
// answers "" for it) or the page's timeout passes, which fails the test
// with the last reason for waiting.
func (p *Page) poll(what, expr string, more func(probe) string) probe {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	last := "no answer from the page"
	// A wait that used half its bound is logged (never failed): on a
	// loaded machine the log shows which wait neared its limit before one
	// passes it.
	began := time.Now()
	defer func() {
		if d := time.Since(began); d > p.timeout/2 {
			p.t.Logf("browser: %s took %s of its %s", what, d.Round(time.Millisecond), p.timeout)
		}
	}()
	for {
		raw, err := p.evaluate(ctx, expr)
		var r probe
		switch {
		case err != nil:
			// A navigation destroys the context the probe ran in: the
			// next try runs in the new document.
			if ctx.Err() == nil {
				last = err.Error()
			}
		case json.Unmarshal(raw, &r) != nil:
			p.fail("%s: the page answered %s", what, raw)
		case r.Fatal != "":
			p.fail("%s: %s", what, r.Fatal)
		case !r.OK:
			last = r.Wait
		case more == nil:
			return r
		default:
			if last = more(r); last == "" {
				return r
			}
		}
		select {
		case <-ctx.Done():
			if p.ctx.Err() != nil {
				p.fail("%s: the page is closed", what)
			}
			p.fail("%s: still waiting after %s: %s", what, p.timeout, last)
		case <-time.After(pollInterval):
		}
	}
}

// fail ends the test with what went wrong and where: the page's URL, the
// console errors so far and a screenshot of the moment.
func (p *Page) fail(format string, args ...any) {
	p.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, format, args...)
	fmt.Fprintf(&b, "\n\tpage: %s", p.URL())
	p.mu.Lock()
	errs := append([]string(nil), p.console...)
	p.failures++
	n := p.failures
	p.mu.Unlock()
	for _, e := range errs {
		fmt.Fprintf(&b, "\n\tconsole: %s", e)
	}
	if p.ctx.Err() == nil {
		// Its own timeout: the page's may be short, and a loaded machine
		// is exactly when failures happen.
		if path, err := p.screenshot(fmt.Sprintf("failure-%d", n), diagnosisTimeout); err == nil {
			fmt.Fprintf(&b, "\n\tscreenshot: %s", path)
		} else {
			fmt.Fprintf(&b, "\n\tscreenshot failed: %v", err)
		}
	}
	p.t.Fatal(b.String())
}

// formatArgs renders console arguments as the DevTools console shows them,
// roughly: strings as they are, other values as JSON or their description.
func formatArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && json.Unmarshal(a.Value, &s) == nil:
		case a.Description != "":
			s = a.Description
		case len(a.Value) > 0:
			s = string(a.Value)
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// exceptionText renders an exception with its message and where it came from.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "exception"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		// The description is "TypeError: msg\n    at f (url:1:2)...":
		// its first line is the message.
		s, _, _ = strings.Cut(d.Exception.Description, "\n")
	}
	if d.StackTrace != nil {
		return s + where(d.StackTrace)
	}
	if d.URL != "" {
		return fmt.Sprintf("%s (%s:%d)", s, d.URL, d.LineNumber+1)
	}
	return s
}

// where answers " (url:line)" of the top frame of st, if any.
func where(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 || st.CallFrames[0].URL == "" {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (%s:%d)", f.URL, f.LineNumber+1)
}
