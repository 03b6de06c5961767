package browser

import (
	"context"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// Keys a person presses, for Press (the names keyNames knows).
const (
	Tab   = "Tab"
	Enter = "Enter"
	Space = "Space"
	Down  = "ArrowDown"
	Up    = "ArrowUp"
	Right = "ArrowRight"
)

// ShiftTab moves the focus backwards.
func (p *Page) ShiftTab() {
	p.t.Helper()
	p.Press("Shift+" + Tab)
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
