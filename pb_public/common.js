// 泗阳网络直通车 — code every page shares: the fetch wrapper and its Chinese
// error messages, loading states and error boxes with a 重试 button, the
// 大字模式 switch, dates in China time and labels (the DOM helpers are
// dom.js's, loaded just before).
// Loaded in <head> (no defer) so that 大字模式 applies before the first paint.
(function () {
  "use strict";
  var SY = (window.SY = window.SY || {});
  var root = document.documentElement;
  var LARGE_KEY = "sy-large-font";

  function storedLarge() {
    try { return localStorage.getItem(LARGE_KEY) === "1"; } catch (e) { return false; }
  }
  root.classList.toggle("large", storedLarge());

  // ---- labels -------------------------------------------------------------

  SY.STATUS = {
    submitted: "待受理", accepted: "待派单", dispatched: "待签收", handling: "办理中",
    suspended: "挂起中", replied: "待审核", callback: "待回访", closed: "已办结",
    rejected: "不予受理", withdrawn: "已撤回", merged: "已并单"
  };
  SY.KIND = { consult: "咨询", complaint: "投诉", help: "求助", suggestion: "建议", report: "举报" };
  SY.ARTICLE_KIND = { news: "工作动态", policy: "政策文件", interpretation: "政策解读", guide: "办事指南", notice: "通知公告" };
  SY.SATISFACTION = {
    very_satisfied: "非常满意", satisfied: "满意", basically_satisfied: "基本满意",
    dissatisfied: "不满意", very_dissatisfied: "非常不满意"
  };
  // The public list groups the internal states into what a reader needs.
  SY.PUBLIC_STATUS = {
    handling: { label: "办理中", states: ["accepted", "dispatched", "handling", "suspended", "replied"] },
    callback: { label: "已答复", states: ["callback"] },
    closed: { label: "已办结", states: ["closed"] }
  };
  SY.publicStatus = function (s) {
    for (var k in SY.PUBLIC_STATUS) {
      if (SY.PUBLIC_STATUS[k].states.indexOf(s) >= 0) return SY.PUBLIC_STATUS[k].label;
    }
    return SY.STATUS[s] || s || "";
  };

  // ---- DOM ----------------------------------------------------------------

  // el, fill, $ and clip are dom.js's (shared with the staff pages).
  SY.el = DOM.el;
  SY.fill = DOM.fill;
  SY.$ = DOM.$;
  SY.clip = DOM.clip;
  SY.param = function (name) { return new URLSearchParams(location.search).get(name) || ""; };

  // A polite live region for short confirmations ("已复制").
  SY.announce = function (msg) {
    var live = document.getElementById("sy-live");
    if (!live) {
      live = SY.el("div", { id: "sy-live", class: "vh", "aria-live": "polite" });
      document.body.append(live);
    }
    live.textContent = "";
    setTimeout(function () { live.textContent = msg; }, 50);
  };

  // ---- the API ------------------------------------------------------------

  var CJK = /[\u3400-\u9fff]/;
  function fallbackMessage(status) {
    if (status === 404) return "没有找到相关内容，可能已删除或尚未公开";
    if (status === 413) return "上传的文件太大，请减少照片数量或换小一些的文件后重试";
    if (status === 429) return "操作太频繁，请稍后再试";
    if (status === 401 || status === 403) return "没有权限进行此操作";
    if (status >= 500) return "服务器暂时无法处理，请稍后重试（错误 " + status + "）";
    return "请求没有成功（错误 " + status + "），请稍后重试";
  }
  function apiError(status, message, data, network) {
    var err = new Error(message);
    err.status = status;
    err.data = data || {};
    err.network = !!network;
    err.sy = true;
    return err;
  }

  // api fetches a platform endpoint and answers its JSON. It rejects with an
  // Error whose message is a Chinese sentence for the resident, status the
  // HTTP status (0: no answer) and data the per-field problems of a 400.
  // opts: method, json (a body to send as JSON), form (FormData), timeout (ms).
  SY.api = function (path, opts) {
    opts = opts || {};
    var init = { method: opts.method || (opts.json || opts.form ? "POST" : "GET"), headers: { Accept: "application/json" } };
    // Signed in: the resident's token goes with every request (an appeal
    // submitted while signed in becomes theirs); opts.auth "staff" sends
    // the staff member's instead, false sends none.
    var who = opts.auth === undefined ? "resident" : opts.auth;
    var signedIn = who ? SY.session.get(who) : null;
    if (signedIn) init.headers.Authorization = signedIn.token;
    if (opts.json) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.json);
    } else if (opts.form) {
      init.body = opts.form;
    }
    var timedOut = false;
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = null;
    if (ctrl) {
      init.signal = ctrl.signal;
      timer = setTimeout(function () { timedOut = true; ctrl.abort(); }, opts.timeout || 30000);
    }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (r.ok) return data;
        // An expired or revoked sign-in: forget it, so the page asks again.
        if (r.status === 401 && signedIn) SY.session.clear(who);
        var msg = data && typeof data.message === "string" && CJK.test(data.message) ? data.message : fallbackMessage(r.status);
        var err = apiError(r.status, msg, data && data.data);
        err.mfaId = data && data.mfaId; // PocketBase MFA: a second factor is due
        throw err;
      });
    }).catch(function (e) {
      if (e && e.sy) throw e;
      throw apiError(0, timedOut ? "网络较慢，请求超时，请稍后重试" : "网络连接失败，请检查网络后重试", null, true);
    }).finally(function () { clearTimeout(timer); });
  };

  // ---- sign-in --------------------------------------------------------------

  // session keeps a sign-in (PocketBase's {token, record}) per kind:
  // "resident" (users) and "staff". In localStorage when the person ticked
  // 保持登录, else in sessionStorage (gone when the browser closes).
  SY.session = {
    key: function (kind) { return "sy-auth-" + kind; },
    get: function (kind) {
      var k = SY.session.key(kind), raw = null;
      try { raw = sessionStorage.getItem(k) || localStorage.getItem(k); } catch (e) { return null; }
      try {
        var s = JSON.parse(raw || "null");
        if (!s || !s.token || !s.record) return null;
        // PocketBase tokens are JWTs: an expired one is forgotten here.
        var claims = JSON.parse(atob(s.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
        if (claims.exp && claims.exp * 1000 < Date.now()) { SY.session.clear(kind); return null; }
        return s;
      } catch (e) { return null; }
    },
    set: function (kind, auth, persist) {
      SY.session.clear(kind);
      var v = JSON.stringify({ token: auth.token, record: auth.record });
      try { (persist ? localStorage : sessionStorage).setItem(SY.session.key(kind), v); } catch (e) { /* storage off: this page only */ }
    },
    clear: function (kind) {
      try { sessionStorage.removeItem(SY.session.key(kind)); localStorage.removeItem(SY.session.key(kind)); } catch (e) { /* nothing stored */ }
    }
  };

  // maskPhone / maskEmail: how a signed-in resident's own account is shown
  // (a page may be read over the shoulder).
  SY.maskPhone = function (p) { p = String(p || ""); return p.length >= 7 ? p.slice(0, 3) + "****" + p.slice(-4) : p; };
  SY.maskEmail = function (m) {
    m = String(m || "");
    var at = m.indexOf("@");
    return at > 1 ? m[0] + "***" + m.slice(at) : m;
  };
  SY.accountName = function (record) {
    if (!record) return "";
    return record.phone ? SY.maskPhone(record.phone) : SY.maskEmail(record.email);
  };

  // safeNext answers a page of this site to go to after signing in (only a
  // plain page name with its query, never another site).
  SY.safeNext = function (next, fallback) {
    return /^[a-z0-9_-]+\.html(\?[^\/\\]*)?$/i.test(next || "") ? next : fallback;
  };

  // quote makes a string a PocketBase filter literal.
  SY.quote = function (s) {
    return '"' + String(s).replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  };

  // records lists a collection through PocketBase's record API.
  SY.records = function (collection, params) {
    return SY.api("/api/collections/" + encodeURIComponent(collection) + "/records" + query(params));
  };
  SY.record = function (collection, id, params) {
    return SY.api("/api/collections/" + encodeURIComponent(collection) + "/records/" + encodeURIComponent(id) + query(params));
  };
  function query(params) {
    var q = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== "" && params[k] !== null && params[k] !== undefined) q.set(k, params[k]);
    });
    var s = q.toString();
    return s ? "?" + s : "";
  }
  SY.fileURL = function (record, name, thumb) {
    return "/api/files/" + encodeURIComponent(record.collectionId || record.collectionName) + "/" +
      encodeURIComponent(record.id) + "/" + encodeURIComponent(name) + (thumb ? "?thumb=" + encodeURIComponent(thumb) : "");
  };

  // ---- loading and errors -------------------------------------------------

  SY.loading = function (text) {
    return SY.el("p", { class: "loading", role: "status" }, text || "正在加载…");
  };

  // errorBox is a message with a 重试 button (when retry is given).
  SY.errorBox = function (err, retry) {
    var box = SY.el("div", { class: "alert", role: "alert" }, SY.el("p", null, (err && err.message) || String(err)));
    if (retry) {
      var b = SY.el("button", { type: "button", class: "retry btn-secondary" }, "重试");
      b.addEventListener("click", retry);
      box.append(b);
    }
    return box;
  };

  // load fills container: a loading line, then render(data, container), or
  // an error box whose 重试 runs it again. Other parts of the page are not
  // touched, so one failing request never breaks the rest.
  SY.load = function (container, fetchData, render) {
    function run() {
      var hadFocus = container.contains(document.activeElement);
      container.setAttribute("aria-busy", "true");
      container.replaceChildren(SY.loading());
      return fetchData().then(function (data) {
        container.removeAttribute("aria-busy");
        container.replaceChildren();
        render(data, container);
        if (hadFocus) focusQuietly(container);
      }, function (err) {
        container.removeAttribute("aria-busy");
        container.replaceChildren(SY.errorBox(err, run));
        if (hadFocus) SY.$(".retry", container).focus();
      });
    }
    return run();
  };
  function focusQuietly(node) {
    if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
    node.focus();
  }
  SY.focus = focusQuietly;

  // ---- forms --------------------------------------------------------------

  SY.clearErrors = function (form) {
    form.querySelectorAll(".error").forEach(function (e) { e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
  };

  // showErrors puts each field's message into #<prefix><field>-error and
  // marks the field; it answers the messages no field on the page took, and
  // focuses the first field with a problem.
  SY.showErrors = function (errors, prefix) {
    prefix = prefix || "";
    var first = null, left = [];
    Object.keys(errors || {}).forEach(function (field) {
      var msg = errors[field] && errors[field].message ? errors[field].message : String(errors[field]);
      var box = document.getElementById(prefix + field + "-error");
      if (!box) { left.push(msg); return; }
      box.textContent = msg;
      var input = document.getElementById(prefix + field);
      if (input) input.setAttribute("aria-invalid", "true");
      var target = input || box.closest("fieldset") || box;
      if (!first || (target.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)) first = target;
    });
    if (first) {
      if (first.matches("input, select, textarea, button")) first.focus();
      else { var inner = first.querySelector("input, select, textarea"); (inner || first).focus(); }
    }
    return left;
  };

  // submit submits form as its submit button would (older phone browsers
  // lack requestSubmit).
  SY.submit = function (form) {
    if (form.requestSubmit) form.requestSubmit();
    else if (form.dispatchEvent(new Event("submit", { cancelable: true }))) form.submit();
  };

  SY.chars = function (s) { return Array.from(String(s)).length; };

  // Phone numbers as the server accepts them (hooks/phone.go).
  SY.normalizePhone = function (s) {
    s = String(s || "").trim().replace(/\s+/g, "")
      .replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/[－—]/g, "-");
    for (var again = true; again;) {
      again = false;
      ["+86-", "+86", "0086"].forEach(function (p) {
        if (!again && s.indexOf(p) === 0) { s = s.slice(p.length); again = true; }
      });
    }
    return s;
  };
  SY.validPhone = function (s) {
    s = SY.normalizePhone(s);
    return /^1[3-9]\d{9}$/.test(s) || /^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$/.test(s);
  };
  SY.PHONE_MESSAGE = "请输入有效的手机号（11 位）或带区号的固定电话，如 0527-88888888";

  // copy puts text on the clipboard and says so.
  SY.copy = function (text, label) {
    function done() { SY.announce("已复制" + (label || "")); }
    function fallback() {
      var ta = SY.el("textarea", { class: "vh", readonly: true, "aria-hidden": "true" });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      SY.announce(ok ? "已复制" + (label || "") : "无法自动复制，请长按文字手动复制");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  };

  // ---- lists shared by several pages ------------------------------------

  SY.list = function (items, render, empty) {
    if (!items.length) return SY.el("p", { class: "empty" }, empty || "暂无内容。");
    return SY.el("ul", { class: "list" }, items.map(render));
  };

  // appealItem renders a public_appeals record (expand: category, region).
  SY.appealItem = function (a) {
    var ex = a.expand || {};
    var cls = a.status === "closed" ? "ok" : a.status === "callback" ? "main" : "plain";
    return SY.el("li", null,
      SY.el("a", { class: "title", href: "appeal.html?id=" + encodeURIComponent(a.id) }, a.title),
      SY.el("div", { class: "meta" },
        SY.el("span", { class: "badge " + cls }, SY.publicStatus(a.status)),
        ex.category ? SY.el("span", null, ex.category.name) : null,
        ex.region ? SY.el("span", null, ex.region.name) : null,
        SY.el("span", null, SY.formatDate(a.created, true))),
      a.reply ? SY.el("p", { class: "snippet" }, "答复：" + SY.clip(a.reply, 60)) : null);
  };

  // articleItem renders an articles record (expand: department).
  SY.articleItem = function (a, showKind) {
    var dept = a.expand && a.expand.department;
    return SY.el("li", null,
      SY.el("a", { class: "title", href: "article.html?id=" + encodeURIComponent(a.id) }, a.title),
      SY.el("div", { class: "meta" },
        a.pinned ? SY.el("span", { class: "badge main" }, "置顶") : null,
        showKind && SY.ARTICLE_KIND[a.kind] ? SY.el("span", null, SY.ARTICLE_KIND[a.kind]) : null,
        dept ? SY.el("span", null, dept.name) : null,
        SY.el("span", null, SY.formatDate(a.published_at, true))),
      a.summary ? SY.el("p", { class: "snippet" }, SY.clip(a.summary, 80)) : null);
  };
  SY.ARTICLE_FIELDS = "id,title,kind,summary,published_at,pinned,expand.department.name";
  SY.APPEAL_FIELDS = "id,ticket,title,status,created,reply,expand.category.name,expand.region.name";
  // searchAppeals asks the keyword index of every public appeal
  // (/api/portal/public-appeals/search: newest first, with the total and
  // what was searched), without the sign-in like the public list.
  // opt: page, perPage, and the filters category, region, status (states,
  // comma separated), since (a date).
  SY.SEARCH_FIELDS = "page,perPage,totalItems,totalPages,more,complete,coveredFrom," +
    SY.APPEAL_FIELDS.split(",").map(function (f) { return "items." + f; }).join(",");
  SY.searchAppeals = function (q, opt) {
    var p = { q: q, expand: "category,region", fields: SY.SEARCH_FIELDS };
    Object.keys(opt || {}).forEach(function (k) { if (opt[k]) p[k] = opt[k]; });
    return SY.api("/api/portal/public-appeals/search?" + new URLSearchParams(p).toString(), { auth: false });
  };
  // searchScope says what a keyword search of the public appeals covered:
  // every public appeal, or (while the index of older ones is still being
  // built after an upgrade) those submitted since coveredFrom.
  SY.searchScope = function (res) {
    return SY.el("p", { class: "muted search-scope" }, res.complete ? "已在全部公开诉求的标题和内容中查找。" :
      "关键词只在 " + SY.formatDate(res.coveredFrom, true) + " 以来提交的公开诉求中查找；更早的诉求正在加入搜索，稍后即可查到。");
  };

  // pager links to the other pages of a list; href(n) answers page n's URL.
  SY.pager = function (res, href) {
    // 约: a kept count from before the latest change; 以上: a keyword search's count stops at 10,000
    var total = (res.approximate ? "约 " : "共 ") + (res.totalItems || res.items.length) + (res.more ? " 条以上" : " 条");
    if (!res.totalPages || res.totalPages <= 1) return SY.el("p", { class: "muted" }, total);
    return SY.el("nav", { class: "pager", "aria-label": "分页" },
      res.page > 1 ? SY.el("a", { class: "btn btn-secondary", href: href(res.page - 1), rel: "prev" }, "上一页") : null,
      SY.el("span", null, "第 " + res.page + " / " + res.totalPages + " 页，" + total),
      res.page < res.totalPages ? SY.el("a", { class: "btn btn-secondary", href: href(res.page + 1), rel: "next" }, "下一页") : null);
  };
  // withParam answers the current address with one query parameter changed.
  SY.withParam = function (name, value) {
    var q = new URLSearchParams(location.search);
    if (value === "" || value === null || value === undefined) q.delete(name); else q.set(name, value);
    var s = q.toString();
    return location.pathname.split("/").pop() + (s ? "?" + s : "");
  };
  SY.page = function () {
    var n = parseInt(SY.param("page"), 10);
    return n > 0 ? n : 1;
  };

  // ---- dates (PocketBase stores UTC; the county reads China time) ----------

  SY.parseDate = function (s) {
    if (!s) return null;
    var m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?$/.exec(s);
    if (!m) { var d = new Date(s); return isNaN(d) ? null : d; }
    return new Date(Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  };
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function china(d) {
    var c = new Date(d.getTime() + 8 * 3600 * 1000);
    return { y: c.getUTCFullYear(), m: c.getUTCMonth() + 1, d: c.getUTCDate(), h: c.getUTCHours(), mi: c.getUTCMinutes() };
  }
  // formatDate: "2026-11-27 01:52:29.834Z" → "2026-11-27 09:52" (China time);
  // dateOnly leaves out the time.
  SY.formatDate = function (s, dateOnly) {
    var d = SY.parseDate(s);
    if (!d) return s || "";
    var c = china(d);
    var day = c.y + "-" + pad(c.m) + "-" + pad(c.d);
    return dateOnly ? day : day + " " + pad(c.h) + ":" + pad(c.mi);
  };
  SY.today = function () {
    var c = china(new Date());
    return c.y + "-" + pad(c.m) + "-" + pad(c.d);
  };
  SY.nowHM = function () {
    var c = china(new Date());
    return pad(c.h) + ":" + pad(c.mi);
  };
  // since answers the moment `days` days ago in PocketBase's format (UTC),
  // for filters such as created >= "…".
  SY.since = function (days) {
    var d = new Date(Date.now() - days * 86400000);
    return d.toISOString().replace("T", " ");
  };
  SY.WEEKDAY = ["日", "一", "二", "三", "四", "五", "六"];
  SY.dayLabel = function (date) {
    var p = date.split("-");
    var d = new Date(Date.UTC(+p[0], p[1] - 1, +p[2]));
    return (+p[1]) + "月" + (+p[2]) + "日（周" + SY.WEEKDAY[d.getUTCDay()] + "）";
  };

  // ---- every page ---------------------------------------------------------

  function setLarge(on) {
    root.classList.toggle("large", on);
    try { localStorage.setItem(LARGE_KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    document.querySelectorAll(".large-toggle").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "标准字号" : "大字模式";
    });
  }

  function pageFile(path) {
    var f = path.split("/").pop();
    return f === "" ? "index.html" : f;
  }

  document.addEventListener("DOMContentLoaded", function () {
    setLarge(root.classList.contains("large"));
    document.querySelectorAll(".large-toggle").forEach(function (b) {
      b.addEventListener("click", function () { setLarge(!root.classList.contains("large")); });
    });
    var here = pageFile(location.pathname);
    var section = document.body.getAttribute("data-section") || here;
    document.querySelectorAll(".site-nav a").forEach(function (a) {
      if (pageFile(a.pathname) === section) a.setAttribute("aria-current", "page");
    });
    // 登录 / 我的诉求 in the header of every residents' page
    var bar = document.querySelector(".site-header .bar");
    if (bar && !document.body.hasAttribute("data-staff")) {
      var me = SY.session.get("resident");
      var link = me ? SY.el("a", { class: "account-link", href: "mine.html" }, "我的诉求")
        : SY.el("a", { class: "account-link", href: "signin.html" + (here === "signin.html" ? "" : "?next=" + encodeURIComponent(here + location.search)) }, "登录");
      if (here === "mine.html" || here === "signin.html") link.setAttribute("aria-current", "page");
      bar.insertBefore(link, bar.querySelector(".large-toggle"));
    }
  });
})();
