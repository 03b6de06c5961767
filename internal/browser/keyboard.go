package browser

import (
	"context"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keyNames are the keys Press understands, by the names a keyboard test
// speaks of.
var keyNames = map[string]string{
	"Tab": kb.Tab, "Enter": kb.Enter, "Space": " ", "Escape": kb.Escape,
	"ArrowDown": kb.ArrowDown, "ArrowUp": kb.ArrowUp, "ArrowLeft": kb.ArrowLeft, "ArrowRight": kb.ArrowRight,
	"Home": kb.Home, "End": kb.End,
}

// Press sends one key to whatever has the focus, as a person would: real
// key events through the browser, so that Tab moves the focus, Enter and
// Space activate buttons and links, and the page's own key handlers run.
// key is a name ("Tab", "Enter", "Space", "Escape", "ArrowDown", "ArrowUp",
// "ArrowLeft", "ArrowRight", "Home", "End"), optionally after "Shift+".
func (p *Page) Press(key string) {
	p.t.Helper()
	name, shift := strings.CutPrefix(key, "Shift+")
	keys, ok := keyNames[name]
	if !ok {
		p.fail("Press(%q): unknown key (known: Tab, Enter, Space, Escape, arrows, Home, End, with an optional Shift+)", key)
	}
	var opts []chromedp.KeyOption
	if shift {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys, opts...)); err != nil {
		p.fail("Press(%q): %v", key, err)
	}
}

// Focused describes the element that has the focus: its tag, id and
// classes (like "button#go.case"), its text (the first 80 characters) and
// whether it shows a focus indicator (an outline or a box shadow).
type Focused struct {
	Element string `json:"element"`
	Text    string `json:"text"`
	Visible bool   `json:"visible"` // the focus can be seen
}

// String is what a failing keyboard test prints.
func (f Focused) String() string {
	return fmt.Sprintf("%s %q (focus indicator: %v)", f.Element, f.Text, f.Visible)
}

// Focus answers what has the focus now.
func (p *Page) Focus() Focused {
	p.t.Helper()
	var f Focused
	p.EvalInto(jsCall(jsFocused), &f)
	return f
}

// TabTo presses Tab until the focused element matches sel, at most max
// times, and fails the test (naming every element it passed) when it does
// not get there.
func (p *Page) TabTo(sel string, max int) {
	p.t.Helper()
	var passed []string
	for i := 0; i < max; i++ {
		if p.Eval(jsCall(jsFocusMatches, sel)) == true {
			return
		}
		passed = append(passed, p.Focus().Element)
		p.Press("Tab")
	}
	if p.Eval(jsCall(jsFocusMatches, sel)) != true {
		p.fail("TabTo(%q): not reached after %d presses of Tab; the focus passed %s", sel, max, strings.Join(passed, ", "))
	}
}

const jsFocused = `() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { element: "body", text: "", visible: false };
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
  const shadow = cs.boxShadow && cs.boxShadow !== "none";
  return { element: describe(el), text: (el.innerText || el.value || "").trim().slice(0, 80), visible: !!(outline || shadow) && visible(el) };
}`

const jsFocusMatches = `(sel) => {
  const el = document.activeElement;
  try { return !!el && el.matches(sel); } catch (e) { return false; }
}`
