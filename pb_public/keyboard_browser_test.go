package pbpublic_test

import (
	"strings"
	"testing"

	"siyang/internal/browser"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// focusState describes the focused element after a key press: a key
// naming it, whether a focus ring is drawn on it (or, for the visually
// hidden photo input, on its label), and whether it is on the page at all.
const focusState = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return { key: "(body)", ring: false };
  let shown = e;
  if (e.classList.contains("vh") && e.nextElementSibling && e.nextElementSibling.tagName === "LABEL") shown = e.nextElementSibling;
  const cs = getComputedStyle(shown);
  return { key: keyOf(e), ring: e.matches(":focus-visible") && cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2 };
  function keyOf(e) { return e.type === "radio" ? "radio:" + e.name : e.id ? "#" + e.id : e.tagName.toLowerCase() + ":" + (e.getAttribute("href") || e.textContent.trim().slice(0, 20)); }
})()`

// reachable lists the controls a keyboard user must be able to reach: every
// enabled, rendered link, button and field (a radio group counts once).
const reachable = `(() => {
  const keys = new Set();
  document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]").forEach((e) => {
    if (e.disabled || e.getAttribute("tabindex") === "-1" || e.closest("[hidden]") || e.getClientRects().length === 0) return;
    if (getComputedStyle(e).visibility === "hidden") return;
    keys.add(e.type === "radio" ? "radio:" + e.name : e.id ? "#" + e.id : e.tagName.toLowerCase() + ":" + (e.getAttribute("href") || e.textContent.trim().slice(0, 20)));
  });
  return Array.from(keys);
})()`

type focused struct {
	Key  string `json:"key"`
	Ring bool   `json:"ring"`
}

// tabAround presses Tab from the top of the page until the focus comes back
// round, checking that each stop shows a focus ring, and that every control
// of the page was among the stops.
func tabAround(t *testing.T, p *browser.Page, what string) {
	t.Helper()
	p.Eval(`document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), 0`)
	var want []string
	p.EvalInto(reachable, &want)
	if len(want) < 5 {
		t.Fatalf("%s: only %q to reach", what, want)
	}
	seen := map[string]bool{}
	var first string
	for i := 0; i < 150; i++ {
		p.Press(browser.Tab)
		var f focused
		p.EvalInto(focusState, &f)
		if f.Key == "(body)" {
			continue
		}
		if f.Key == first {
			break
		}
		if first == "" {
			first = f.Key
		}
		if !f.Ring && !seen[f.Key] {
			t.Errorf("%s: no visible focus on %s", what, f.Key)
		}
		seen[f.Key] = true
	}
	for _, k := range want {
		if !seen[k] {
			t.Errorf("%s: %s cannot be reached with Tab", what, k)
		}
	}
}

// tabTo presses Tab until the focused element matches sel.
func tabTo(t *testing.T, p *browser.Page, sel string) {
	t.Helper()
	for i := 0; i < 150; i++ {
		if p.Eval(`document.activeElement.matches(`+jsString(sel)+`)`) == true {
			return
		}
		p.Press(browser.Tab)
	}
	t.Fatalf("Tab never reaches %s", sel)
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// TestKeyboardOnlyInBrowser: a resident who cannot use a mouse or touch
// screen submits an appeal and rates a reply with Tab, arrow keys, Space
// and Enter only; every control is reachable and shows where the focus is.
func TestKeyboardOnlyInBrowser(t *testing.T) {
	s := newSite(t)
	rated, code := s.Submit(t, testenv.SampleSubmission())
	rated = s.Do(t, rated, "accept", s.Operator, workflow.Input{})
	rated = s.Do(t, rated, "dispatch", s.Operator, workflow.Input{Department: s.DeptA.Id})
	rated = s.Do(t, rated, "sign", s.HandlerA, workflow.Input{})
	rated = s.Do(t, rated, "reply", s.HandlerA, workflow.Input{Content: "经现场核查，已安排维修，今晚恢复照明。"})
	rated = s.Do(t, rated, "approve_reply", s.Operator, workflow.Input{})

	p := s.open(t, browser.Desktop, "submit.html")
	p.WaitFor(`document.querySelectorAll("#category option").length > 1`)
	tabAround(t, p, "submit page")

	// Enter on 提交诉求 with nothing filled: the errors, and the focus on
	// the first field to correct.
	p.Eval(`document.activeElement.blur(), 0`)
	tabTo(t, p, "#send")
	p.Press(browser.Enter)
	p.WaitText("#title-error", "请填写标题")
	if p.Eval(`document.activeElement.closest("#kind") !== null`) != true {
		t.Errorf("after the errors the focus is on %s, want the kind choice", p.Focused())
	}
	// The kind by arrow keys, then each field in turn.
	p.Press(browser.Space)
	p.Press(browser.Right)
	if p.Eval(`document.querySelector("input[name=kind]:checked") === document.activeElement`) != true {
		t.Error("the arrow key does not choose the next kind")
	}
	tabTo(t, p, "#title")
	p.Type("路灯不亮影响夜间出行")
	p.Press(browser.Tab)
	p.Type("幸福小区北门路灯坏了一个月，晚上出行很不安全，请尽快修理。")
	tabTo(t, p, "#category")
	p.Press(browser.Down)
	if p.Value("#category") == "" {
		t.Error("the arrow key does not choose a category")
	}
	tabTo(t, p, "#contact_name")
	p.Type("王小明")
	tabTo(t, p, "#contact_phone")
	p.Type("13912345678")
	tabTo(t, p, "#public_consent")
	p.Press(browser.Space)
	if p.Eval(`document.getElementById("public_consent").checked`) != true {
		t.Error("Space does not tick 同意公开")
	}
	p.Screenshot("1-submit-by-keyboard")
	tabTo(t, p, "#send")
	p.Press(browser.Enter)
	// The similar answered case (the one rated below) is offered first; the
	// focus goes to the offer, and 仍要提交 is one Tab away.
	p.WaitText("#similar", "这些答复可能已解决您的问题")
	p.WaitFor(`document.getElementById("similar").contains(document.activeElement)`)
	tabTo(t, p, "#send-anyway")
	p.Press(browser.Enter)
	p.WaitText("#receipt-ticket", "SY")
	p.WaitFor(`document.getElementById("receipt").contains(document.activeElement)`)
	tabAround(t, p, "receipt")
	checkPage(t, p, "submitted by keyboard")
	p.Screenshot("2-receipt")

	// The track page: look up, then rate, by keyboard.
	p.Go(s.url + "/track.html")
	tabAround(t, p, "track page")
	p.Eval(`document.activeElement.blur(), 0`)
	tabTo(t, p, "#ticket")
	p.Type(rated.GetString("ticket"))
	p.Press(browser.Tab)
	p.Type(code)
	p.Press(browser.Enter)
	p.WaitText("#result .status", "待回访")
	p.WaitVisible("#rate")
	tabAround(t, p, "track result")
	p.Eval(`document.activeElement.blur(), 0`)
	tabTo(t, p, "input[name=satisfaction]")
	p.Press(browser.Space)
	p.Press(browser.Down)
	tabTo(t, p, "input[name=resolved]")
	p.Press(browser.Space)
	if got := p.Eval(`[document.querySelector("input[name=satisfaction]:checked").value, document.querySelector("input[name=resolved]:checked").value].join()`); got != "satisfied,true" {
		t.Errorf("chosen by keyboard: %v", got)
	}
	tabTo(t, p, "#rate-send")
	p.Screenshot("3-rate-by-keyboard")
	p.Press(browser.Enter)
	p.WaitText("#result .notice", "感谢您的评价")
	p.WaitText("#result .status", "已办结")
	checkPage(t, p, "rated by keyboard")
}
