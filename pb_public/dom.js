// 泗阳网络直通车 — the small DOM helpers of every page, residents' (as SY.*,
// common.js) and staff (as ST.*, staff.js): one copy, so an escaping rule
// is fixed in one place. Loaded before common.js / staff.js by the shared
// <head> partials (partials/site-head.html, partials/staff-head.html).
(function () {
  "use strict";
  var DOM = (window.DOM = {});

  // el builds an element; attrs are set as attributes (class, href, …;
  // true sets a boolean attribute, null/false skips it; a function under
  // on… becomes an event listener); children may be strings (inserted as
  // text, never parsed as HTML), nodes or arrays.
  DOM.el = function (tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k.slice(0, 2) === "on" && typeof v === "function") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    });
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  };
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  // fill replaces node's children with the given children (as el takes them).
  DOM.fill = function (node) {
    node.replaceChildren();
    for (var i = 1; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  };

  DOM.$ = function (sel, scope) { return (scope || document).querySelector(sel); };

  // clip shortens s to n characters (white space folded), with an ellipsis.
  DOM.clip = function (s, n) {
    s = String(s || "").replace(/\s+/g, " ").trim();
    return s.length > n ? s.slice(0, n) + "…" : s;
  };
})();
