package browser

import (
	"context"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Keys a person presses, for Press.
const (
	Tab   = kb.Tab
	Enter = kb.Enter
	Space = " "
	Down  = kb.ArrowDown
	Up    = kb.ArrowUp
	Right = kb.ArrowRight
)

// Press presses key (Tab, Enter, Space, Down, … or a character) on the
// element that has the focus, as a keyboard does: key down, the
// character, key up, with the browser's default action (Tab moves the
// focus, Enter submits, Space ticks a box).
func (p *Page) Press(key string) {
	p.t.Helper()
	p.press(key, 0)
}

// ShiftTab moves the focus backwards.
func (p *Page) ShiftTab() {
	p.t.Helper()
	p.press(Tab, chromedp.ModifierShift)
}

func (p *Page) press(key string, mod chromedp.Modifier) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key, chromedp.KeyModifiers(mod))); err != nil {
		p.fail("Press(%q): %v", key, err)
	}
}

// Type types text into the focused element as an input method commits it
// (any script, Chinese included), firing input events.
func (p *Page) Type(text string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		p.fail("Type(%q): %v", text, err)
	}
}

// Focused describes the element that has the focus: its id, or its tag
// and text, for messages.
func (p *Page) Focused() string {
	p.t.Helper()
	var s string
	p.EvalInto(`(() => { const e = document.activeElement; if (!e || e === document.body) return "(body)";
		return e.id ? "#" + e.id : e.tagName.toLowerCase() + (e.name ? "[name=" + e.name + "]" : "") + " " + JSON.stringify((e.textContent || e.value || "").trim().slice(0, 30)); })()`, &s)
	return s
}
