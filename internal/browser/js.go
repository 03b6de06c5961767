package browser

import (
	"encoding/json"
	"strings"
)

// The page-side halves of the Page methods. Each is a function that answers
// one probe: {ok: true, ...} when done, {wait: "why"} to be asked again
// shortly, {fatal: "why"} when waiting cannot help (a bad selector, a field
// of the wrong kind). They are sent whole with every call instead of being
// installed once, so that navigations and page scripts cannot lose them.

// prelude holds the helpers every probe uses.
const prelude = `
const find = (sel) => {
  try { return { el: document.querySelector(sel) }; }
  catch (e) { return { fatal: "invalid selector: " + e.message }; }
};
const visible = (el) => {
  if (!el.isConnected) return false;
  if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
const describe = (el) => {
  if (!el) return "nothing";
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  if (typeof el.className === "string" && el.className.trim()) s += "." + el.className.trim().split(/\s+/).join(".");
  return s;
};
// element answers the first match if it is there (and visible, when asked),
// or the probe's wait/fatal answer.
const element = (sel, mustBeVisible) => {
  const f = find(sel);
  if (f.fatal) return f;
  if (!f.el) return { wait: "no element matches" };
  if (mustBeVisible && !visible(f.el)) return { wait: "the element (" + describe(f.el) + ") is not visible" };
  return f;
};
const editable = (el) => {
  if (el.disabled) return "the element is disabled";
  if (el.readOnly) return "the element is read-only";
  return "";
};
const fire = (el, ...types) => {
  for (const type of types) el.dispatchEvent(new Event(type, { bubbles: true }));
};
`

// jsCall answers an expression that calls fn (one of the functions below)
// with args, each encoded as JSON (a JavaScript literal).
func jsCall(fn string, args ...any) string {
	var b strings.Builder
	b.WriteString("(() => {")
	b.WriteString(prelude)
	b.WriteString("return (")
	b.WriteString(fn)
	b.WriteString(")(")
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		data, err := json.Marshal(a)
		if err != nil {
			panic(err) // only strings and string slices are passed
		}
		b.Write(data)
	}
	b.WriteString(");\n})()")
	return b.String()
}

const jsWaitVisible = `(sel) => {
  const f = element(sel, true);
  return f.el ? { ok: true } : f;
}`

const jsWaitText = `(sel, want) => {
  const f = element(sel, true);
  if (!f.el) return f;
  const text = f.el.innerText;
  return text.includes(want) ? { ok: true, text } : { wait: "its text is " + JSON.stringify(text.slice(0, 200)) };
}`

const jsExists = `(sel) => {
  const f = find(sel);
  return f.fatal ? f : { ok: true, found: !!f.el };
}`

const jsText = `(sel) => {
  const f = element(sel, true);
  return f.el ? { ok: true, text: f.el.innerText } : f;
}`

const jsValue = `(sel) => {
  const f = element(sel, false);
  if (!f.el) return f;
  if (!("value" in f.el)) return { fatal: describe(f.el) + " has no value" };
  return { ok: true, value: String(f.el.value) };
}`

// jsClickPoint scrolls the element into view and answers the point a
// person would click, checking that nothing (an overlay, a dialog's
// backdrop) covers it. key lets the caller wait until the element stops
// moving (transitions, late layout). The point is in the visual viewport's
// pixels, which is what Input.dispatchMouseEvent takes.
const jsClickPoint = `(sel) => {
  const f = element(sel, true);
  if (!f.el) return f;
  const el = f.el;
  if (el.disabled) return { wait: "the element is disabled" };
  el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  if (hit !== el && !el.contains(hit)) return { wait: "the element is covered by " + describe(hit) };
  const vv = window.visualViewport;
  return { ok: true, x: (x - vv.offsetLeft) * vv.scale, y: (y - vv.offsetTop) * vv.scale, key: [r.left, r.top, r.width, r.height].join() };
}`

// jsFill sets the value through the prototype's setter (frameworks that
// track the value see the change) and fires input and change, as typing and
// leaving the field would.
const jsFill = `(sel, text) => {
  const f = element(sel, true);
  if (!f.el) return f;
  const el = f.el;
  if (el.isContentEditable) {
    el.focus();
    el.textContent = text;
    fire(el, "input");
    return { ok: true, value: el.textContent };
  }
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype
    : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : null;
  if (!proto) return { fatal: describe(el) + " is not a text field (use Select for <select>)" };
  if (proto === HTMLInputElement.prototype && ["checkbox", "radio", "file", "button", "submit", "reset", "image"].includes(el.type)) {
    return { fatal: describe(el) + " is an input of type " + el.type + ", not a text field" };
  }
  const why = editable(el);
  if (why) return { wait: why };
  el.focus();
  Object.getOwnPropertyDescriptor(proto, "value").set.call(el, text);
  fire(el, "input", "change");
  return { ok: true, value: el.value };
}`

// jsSelect picks the option whose value, or else whose visible text, is
// choice; options loaded later are waited for.
const jsSelect = `(sel, choice) => {
  const f = element(sel, true);
  if (!f.el) return f;
  const el = f.el;
  if (!(el instanceof HTMLSelectElement)) return { fatal: describe(el) + " is not a <select>" };
  if (el.disabled) return { wait: "the element is disabled" };
  const opts = Array.from(el.options);
  const opt = opts.find((o) => o.value === choice) || opts.find((o) => o.text.trim() === choice);
  if (!opt) return { wait: "no option has the value or text " + JSON.stringify(choice) + " (options: " + opts.map((o) => JSON.stringify(o.value)).join(", ") + ")" };
  if (opt.disabled) return { wait: "the option is disabled" };
  el.focus();
  el.value = opt.value;
  fire(el, "input", "change");
  return { ok: true, value: el.value };
}`

// jsFileInput waits for an <input type=file>; it need not be visible, since
// pages often hide it behind a styled button.
const jsFileInput = `(sel) => {
  const f = element(sel, false);
  if (!f.el) return f;
  if (!(f.el instanceof HTMLInputElement) || f.el.type !== "file") return { fatal: describe(f.el) + " is not an <input type=file>" };
  if (f.el.disabled) return { wait: "the element is disabled" };
  return { ok: true };
}`

// jsCondition makes a user's condition a probe; an exception (an element
// that is not there yet) counts as "not yet".
func jsCondition(cond string) string {
	return `(async () => {
  try {
    if (await (` + "\n" + cond + "\n" + `)) return { ok: true };
    return { wait: "the condition is false" };
  } catch (e) {
    return { wait: "the condition throws " + e };
  }
})()`
}
