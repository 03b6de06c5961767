// 泗阳网络直通车 — code the staff pages share (workbench.js, console.js,
// supervisor.js): the PocketBase client (vendor/pocketbase), sign-in with
// the "staff" collection, Chinese error messages, the declared workflow
// table (GET /api/workflow), realtime subscriptions, the announcements
// (aria-live, badge, sound), the case detail with its internal timeline,
// and the action forms that post to /api/appeals/{id}/actions/{action}.
(function () {
  "use strict";
  var ST = (window.ST = {});

  // ---- the client ---------------------------------------------------------

  // The session lives in sessionStorage: it ends when the tab or browser is
  // closed, so a shared office computer does not stay signed in. The SDK's
  // UMD build only exports the client; its memory store is the parent
  // class of the default LocalAuthStore.
  var SESSION_KEY = "sy-staff-session";
  var MemoryStore = Object.getPrototypeOf(new PocketBase(location.origin).authStore.constructor);
  var store = new MemoryStore();
  try {
    var saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
    if (saved && saved.token) store.save(saved.token, saved.record);
  } catch (e) { /* private mode: sign in again */ }
  store.onChange(function (token, record) {
    try {
      if (token) sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: token, record: record }));
      else sessionStorage.removeItem(SESSION_KEY);
    } catch (e) { /* not persisted */ }
  });
  var pb = (ST.pb = new PocketBase(location.origin, store));
  // Several lists of one collection load at once; the SDK would cancel all
  // but the last of them.
  pb.autoCancellation(false);

  ST.me = function () { return pb.authStore.record; };

  // ---- DOM helpers --------------------------------------------------------

  // el, fill, $ and clip are dom.js's (shared with the residents' pages).
  ST.el = DOM.el;
  ST.fill = DOM.fill;
  ST.$ = DOM.$;
  ST.clip = DOM.clip;

  // ---- time ---------------------------------------------------------------

  // PocketBase stores "2026-11-25 01:00:00.000Z"; the county reads China time.
  ST.date = function (s) {
    if (!s) return null;
    var d = new Date(String(s).replace(" ", "T"));
    return isNaN(d) ? null : d;
  };
  ST.fmt = function (s, withYear) {
    var d = ST.date(s);
    if (!d) return "";
    var c = new Date(d.getTime() + 8 * 3600 * 1000);
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    var day = p(c.getUTCMonth() + 1) + "-" + p(c.getUTCDate());
    if (withYear) day = c.getUTCFullYear() + "-" + day;
    return day + " " + p(c.getUTCHours()) + ":" + p(c.getUTCMinutes());
  };

  // ---- labels: the declared workflow table ---------------------------------

  ST.table = null;
  ST.loadTable = function () {
    return pb.send("/api/workflow", {}).then(function (t) {
      var actions = {};
      t.actions.forEach(function (a) { actions[a.name] = a; });
      var statuses = {};
      t.statuses.forEach(function (s) { statuses[s.code] = s.label; });
      ST.table = { actions: actions, statuses: statuses, roles: t.roles, kinds: t.kinds, channels: t.channels,
        satisfaction: t.satisfaction, rejectReasons: t.rejectReasons, archiveReasons: t.archiveReasons };
      return ST.table;
    });
  };
  ST.status = function (s) { return (ST.table && ST.table.statuses[s]) || s || ""; };
  ST.kind = function (k) { return (ST.table && ST.table.kinds[k]) || k || ""; };
  ST.actionLabel = function (name) {
    if (name === "submit") return "提交诉求";
    var a = ST.table && ST.table.actions[name];
    return a ? a.label : name;
  };
  // can answers whether role may perform the action from status, by the table.
  ST.can = function (name, role, status) {
    var a = ST.table && ST.table.actions[name];
    return !!a && a.roles.indexOf(role) >= 0 && a.from.indexOf(status) >= 0;
  };
  ST.ROLE = { operator: "平台话务员", handler: "承办人", supervisor: "督办人员", admin: "系统管理员", resident: "诉求人", system: "系统" };
  ST.STAGE = { accept: "受理", sign: "签收", finish: "办结", callback: "回访" };

  // sla says a case's clock in words (colour only repeats it).
  ST.sla = function (a) {
    var stage = a.sla_stage, state = a.sla_state || "normal";
    if (!stage) return { cls: "sla-none", word: "不计时", text: "当前环节不计时" };
    var word = { normal: "正常", warning: "即将超时", overdue: "已超时" }[state] || state;
    var due = a.sla_due_at ? ST.fmt(a.sla_due_at) : "";
    return { cls: "sla-" + state, word: word, text: ST.STAGE[stage] + "期限 " + due + "（" + word + "）" };
  };
  // deadline is what queues sort by and show: on the workbench the
  // department's own open task's (GET /api/workbench/queue gives it as
  // task.due: 签收 for a task not yet signed, else 办结 — an assisting
  // department's task runs on its own), else the case's running stage's.
  ST.deadline = function (a) {
    var own = a.task && a.task.status !== "done" ? a.task.due : "";
    return own || a.sla_due_at || a.due_finish || a.due_sign || a.due_callback || "";
  };
  ST.byDeadline = function (x, y) {
    var dx = ST.deadline(x), dy = ST.deadline(y);
    if (dx && dy) return dx < dy ? -1 : dx > dy ? 1 : 0;
    if (dx) return -1;
    if (dy) return 1;
    return x.created < y.created ? -1 : 1;
  };

  // ---- errors -------------------------------------------------------------

  var CJK = /[\u3400-\u9fff]/;
  var FIELD_CODES = {
    validation_required: "不能为空", validation_max_text_constraint: "太长了", validation_min_text_constraint: "太短了",
    validation_invalid_email: "邮箱格式不正确", validation_values_mismatch: "两次输入不一致"
  };
  // message turns any failure into one Chinese sentence an official can act on.
  ST.message = function (err, what) {
    var status = err && typeof err.status === "number" ? err.status : 0;
    var body = (err && err.response) || {};
    var msg = typeof body.message === "string" && CJK.test(body.message) ? body.message : "";
    if (status === 0 || (err && err.isAbort)) return "网络连接失败，请检查网络后重试";
    if (msg) return msg;
    if (status === 400 && body.data) {
      var parts = Object.keys(body.data).map(function (k) {
        var d = body.data[k] || {};
        return (what && what[k] ? what[k] : k) + (CJK.test(d.message || "") ? "：" + d.message : FIELD_CODES[d.code] || "格式不正确");
      });
      if (parts.length) return "提交内容有误：" + parts.join("；");
    }
    if (status === 401) return "登录已过期或尚未登录，请重新登录";
    if (status === 403) return "您没有权限进行此操作";
    if (status === 404) return "工单不存在或您已无权查看（可能已退回平台或改派）";
    if (status === 409) return "工单状态已变化，请刷新后再试";
    if (status === 413) return "上传的文件太大，请减少附件或换小一些的文件";
    if (status >= 500) return "服务器暂时无法处理，请稍后重试（错误 " + status + "）";
    return "操作没有成功（错误 " + status + "），请稍后重试";
  };
  // showErrors writes the headline into the form's .form-error and each
  // field's reason beside it ([data-error-for=name]).
  ST.showErrors = function (form, err, what) {
    ST.clearErrors(form);
    var box = ST.$(".form-error", form);
    if (box) box.textContent = ST.message(err, what);
    var data = (err && err.response && err.response.data) || {};
    Object.keys(data).forEach(function (k) {
      var slot = form.querySelector('[data-error-for="' + k + '"]');
      var d = data[k] || {};
      if (slot) slot.textContent = CJK.test(d.message || "") ? d.message : FIELD_CODES[d.code] || "格式不正确";
    });
  };
  ST.clearErrors = function (form) {
    form.querySelectorAll(".error, .form-error").forEach(function (n) { n.textContent = ""; });
  };

  // ---- announcements: aria-live, badge, sound -------------------------------

  ST.announce = function (msg) {
    var live = document.getElementById("live");
    if (!live) return;
    live.textContent = "";
    setTimeout(function () { live.textContent = msg; }, 30);
  };
  var unread = 0;
  ST.bump = function (msg) {
    unread++;
    var b = document.getElementById("unread");
    if (b) {
      b.textContent = unread + " 条新动态";
      b.title = msg;
    }
    ST.announce(msg);
    ST.beep();
    var log = document.getElementById("activity");
    if (log) {
      log.prepend(ST.el("li", null, ST.el("span", { class: "muted" }, ST.fmt(new Date().toISOString()) + " "), msg));
      while (log.children.length > 20) log.lastChild.remove();
    }
  };
  ST.markRead = function () {
    unread = 0;
    var b = document.getElementById("unread");
    if (b) b.textContent = "";
  };
  var SOUND_KEY = "sy-staff-sound";
  var audio = null;
  ST.soundOn = function () {
    try { return localStorage.getItem(SOUND_KEY) !== "0"; } catch (e) { return true; }
  };
  // beep is a short, quiet tone; browsers allow it after the sign-in click.
  ST.beep = function () {
    if (!ST.soundOn()) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.04;
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.12);
    } catch (e) { /* no audio: the badge and the announcement remain */ }
  };
  ST.bindSoundToggle = function (box) {
    if (!box) return;
    box.checked = ST.soundOn();
    box.addEventListener("change", function () {
      try { localStorage.setItem(SOUND_KEY, box.checked ? "1" : "0"); } catch (e) { /* session only */ }
    });
  };

  // ---- sign-in ------------------------------------------------------------

  // signIn shows the sign-in form until a staff member with one of roles is
  // signed in, then calls ready(me). Signing out reloads the page.
  ST.signIn = function (roles, wrongRole, ready) {
    var form = document.getElementById("login-form");
    var app = document.getElementById("app");
    var loginBox = document.getElementById("login");
    function start() {
      var me = ST.me();
      loginBox.hidden = true;
      app.hidden = false;
      var who = document.getElementById("who");
      if (who) who.textContent = (me.name || me.email) + "（" + (ST.ROLE[me.role] || me.role) + "）";
      ST.loadTable().then(function () { ready(me); }, function (err) {
        ST.fill(app, ST.el("p", { class: "form-error", role: "alert" }, ST.message(err)));
      });
    }
    var out = document.getElementById("logout");
    if (out) out.addEventListener("click", function () { pb.authStore.clear(); location.reload(); });
    // Second factor (PocketBase MFA, required of some roles when mail is
    // set up): the password answers 401 with an mfaId; a code is mailed and
    // the same form asks for it.
    var mfa = null; // {mfaId, otpId, email} while a code is awaited
    function codeField() {
      var box = ST.$("#mfa-box", form);
      if (!box) {
        box = ST.el("div", { id: "mfa-box" },
          ST.el("label", { for: "mfa-code" }, "邮箱验证码"),
          ST.el("input", { id: "mfa-code", name: "code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "8" }),
          ST.el("p", { id: "mfa-note", class: "muted", role: "status" }));
        form.insertBefore(box, ST.$("button[type=submit]", form));
      }
      return box;
    }
    function signedIn(res) {
      if (roles.indexOf(res.record.role) < 0) {
        pb.authStore.clear();
        throw { status: 403, response: { message: wrongRole } };
      }
      form.password.value = "";
      mfa = null;
      var box = ST.$("#mfa-box", form);
      if (box) box.remove();
      start();
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      ST.clearErrors(form);
      var error = ST.$(".form-error", form);
      var button = ST.$("button[type=submit]", form);
      if (mfa) {
        var code = form.code.value.trim();
        if (!/^[0-9]{4,8}$/.test(code)) {
          error.textContent = "请输入邮件中的数字验证码";
          form.code.focus();
          return;
        }
        button.disabled = true;
        pb.collection("staff").authWithOTP(mfa.otpId, code, { mfaId: mfa.mfaId }).then(signedIn).catch(function (err) {
          error.textContent = err && err.status === 400 ? "验证码不正确或已过期，请重新登录" : ST.message(err);
          if (err && err.status === 400) {
            mfa = null;
            codeField().remove();
          }
        }).finally(function () { button.disabled = false; });
        return;
      }
      var email = form.email.value.trim(), password = form.password.value;
      if (!email || !password) {
        error.textContent = "请输入邮箱和密码";
        return;
      }
      button.disabled = true;
      pb.collection("staff").authWithPassword(email, password).then(signedIn).catch(function (err) {
        var mfaId = err && err.response && err.response.mfaId;
        if (!mfaId) {
          error.textContent = err && err.status === 400 ? "邮箱或密码不正确，或账号已停用" : ST.message(err);
          return;
        }
        return pb.collection("staff").requestOTP(email).then(function (res) {
          mfa = { mfaId: mfaId, otpId: res.otpId };
          codeField();
          ST.$("#mfa-note", form).textContent = "您的账号需要二次验证：验证码已发送到 " + email + "，10 分钟内有效。";
          form.code.focus();
        }, function (err2) { error.textContent = ST.message(err2); });
      }).finally(function () { button.disabled = false; });
    });
    var me = ST.me();
    if (pb.authStore.isValid && me && me.collectionName === "staff" && roles.indexOf(me.role) >= 0) {
      start();
    } else {
      pb.authStore.clear();
      loginBox.hidden = false;
      app.hidden = true;
    }
  };

  // ---- realtime -----------------------------------------------------------

  // live subscribes to every record of collection the rules let this staff
  // member see; onReconnect runs after a dropped connection comes back
  // (events may have been missed: reload).
  var reconnects = [];
  var connectedOnce = false;
  ST.live = function (collection, handler) {
    return pb.collection(collection).subscribe("*", handler);
  };
  ST.onReconnect = function (f) { reconnects.push(f); };
  // afterReconnect re-reads who is signed in first: the server closes a
  // handler's stream when its role or department changes
  // (plugins/workflow/realtime_staff.go), and a page built for the old
  // department or role must not go on showing it — it starts again (the
  // sign-in then admits or refuses the new role). A lost network only
  // reloads the lists.
  function afterReconnect(was) {
    pb.collection("staff").authRefresh().then(function (res) {
      var now = res.record;
      if (now.role !== was.role || (now.department || "") !== (was.department || "")) location.reload();
      else reconnects.forEach(function (f) { f(); });
    }, function (err) {
      if (err && (err.status === 401 || err.status === 403 || err.status === 404)) {
        pb.authStore.clear(); // the account was deleted or disabled
        location.reload();
      } else {
        reconnects.forEach(function (f) { f(); });
      }
    });
  }
  ST.watchConnection = function () {
    var state = document.getElementById("live-state");
    var signedIn = ST.me() || {};
    pb.realtime.subscribe("PB_CONNECT", function () {
      if (state) state.textContent = "实时更新已连接";
      if (connectedOnce) afterReconnect(signedIn);
      connectedOnce = true;
    });
    pb.realtime.onDisconnect = function (subs) {
      if (state && subs && subs.length) state.textContent = "实时连接中断，正在重连…";
    };
  };

  // ---- actions ------------------------------------------------------------

  // perform runs one workflow action; body is an object (sent as JSON) or
  // FormData (with attachments).
  ST.perform = function (appealId, action, body) {
    return pb.send("/api/appeals/" + encodeURIComponent(appealId) + "/actions/" + action, { method: "POST", body: body || {} });
  };

  // field builds one labelled form control; spec: name, label, type (text,
  // textarea, number, select, file, checks, radios), options [[value,
  // label]], required, hint, value.
  var seq = 0;
  ST.field = function (spec) {
    var id = "f" + (++seq) + "-" + spec.name;
    var err = ST.el("p", { class: "error", "data-error-for": spec.name, id: id + "-err" });
    var hint = spec.hint ? ST.el("p", { class: "muted", id: id + "-hint" }, spec.hint) : null;
    var described = (hint ? id + "-hint " : "") + id + "-err";
    var control;
    if (spec.type === "checks" || spec.type === "radios") {
      var type = spec.type === "checks" ? "checkbox" : "radio";
      return ST.el("fieldset", { "aria-describedby": described },
        ST.el("legend", null, spec.label + (spec.required ? "（必填）" : "")),
        ST.el("div", { class: "checks" }, (spec.options || []).map(function (o) {
          var checked = Array.isArray(spec.value) ? spec.value.indexOf(o[0]) >= 0 : spec.value === o[0];
          return ST.el("label", null, ST.el("input", { type: type, name: spec.name, value: o[0], checked: checked }), o[1]);
        })), hint, err);
    }
    if (spec.type === "textarea") {
      control = ST.el("textarea", { id: id, name: spec.name, rows: spec.rows || 4, "aria-describedby": described });
      control.value = spec.value || "";
    } else if (spec.type === "select") {
      control = ST.el("select", { id: id, name: spec.name, "aria-describedby": described },
        (spec.options || []).map(function (o) { return ST.el("option", { value: o[0], selected: o[0] === spec.value }, o[1]); }));
    } else if (spec.type === "file") {
      control = ST.el("input", { id: id, name: spec.name, type: "file", multiple: true, "aria-describedby": described,
        accept: "image/*,.pdf,.doc,.docx,.xls,.xlsx" });
    } else {
      control = ST.el("input", { id: id, name: spec.name, type: spec.type || "text", "aria-describedby": described,
        min: spec.min, step: spec.step, autocomplete: "off" });
      if (spec.value !== undefined) control.value = spec.value;
    }
    if (spec.required) control.setAttribute("aria-required", "true");
    return ST.el("div", { class: "field" }, ST.el("label", { for: id }, spec.label + (spec.required ? "（必填）" : "")), control, hint, err);
  };

  // values reads a form into a JSON object, or FormData when files were chosen.
  ST.values = function (form, numbers, bools) {
    var out = {};
    var hasFiles = false;
    Array.from(form.elements).forEach(function (c) {
      if (!c.name || c.disabled) return;
      if (c.type === "file") { if (c.files.length) hasFiles = true; return; }
      if (c.type === "checkbox") {
        if (!Array.isArray(out[c.name])) out[c.name] = [];
        if (c.checked) out[c.name].push(c.value);
        return;
      }
      if (c.type === "radio") { if (c.checked) out[c.name] = c.value; return; }
      out[c.name] = c.value;
    });
    (numbers || []).forEach(function (k) { if (out[k] !== undefined && out[k] !== "") out[k] = Number(out[k]); });
    (bools || []).forEach(function (k) { if (out[k] === "true" || out[k] === "false") out[k] = out[k] === "true"; });
    if (!hasFiles) return out;
    var fd = new FormData();
    Object.keys(out).forEach(function (k) {
      [].concat(out[k]).forEach(function (v) { fd.append(k, v); });
    });
    Array.from(form.elements).forEach(function (c) {
      if (c.type === "file" && c.name) Array.from(c.files).forEach(function (f) { fd.append(c.name, f); });
    });
    return fd;
  };

  // actionForm builds the form of one action: its fields, a submit button
  // named after the action, a confirmation for irreversible ones, and the
  // Chinese error answers beside the fields. done(result) runs on success.
  ST.actionForm = function (appealId, action, opts) {
    opts = opts || {};
    var label = opts.label || ST.actionLabel(action);
    var form = ST.el("form", { class: "action-form", "data-action": action, novalidate: true },
      opts.title ? ST.el("h3", null, opts.title) : null,
      opts.intro || null,
      (opts.fields || []).map(ST.field),
      ST.el("button", { type: "submit", class: opts.danger ? "danger" : null, "data-action-button": action }, label),
      ST.el("p", { class: "form-error", role: "alert" }));
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      ST.clearErrors(form);
      if (opts.confirm && !window.confirm(opts.confirm)) return;
      var body = opts.body ? opts.body(form) : ST.values(form, opts.numbers, opts.bools);
      if (body instanceof Error) { ST.$(".form-error", form).textContent = body.message; return; }
      var button = ST.$("button[type=submit]", form);
      button.disabled = true;
      ST.perform(appealId, action, body).then(function (res) {
        ST.announce("已" + label + "：" + res.appeal.ticket + "，当前状态：" + res.appeal.status_label);
        if (opts.done) opts.done(res);
      }).catch(function (err) {
        if (opts.failed) opts.failed(err, form);
        ST.showErrors(form, err, opts.what);
        if (opts.onError) opts.onError(err);
      }).finally(function () { button.disabled = false; });
    });
    return form;
  };

  // ---- reply quality (plugins/analytics, docs/analytics.md) -----------------

  var CRITERIA = [["relevant", "切题"], ["complete", "完整"], ["explained", "有依据"], ["specific", "具体"], ["timely", "及时"]];
  // qualityView shows a reply-quality result (POST /api/analytics/reply-quality
  // or the stored replies.quality) in words: the score and level, the
  // 形式主义 flag with its reasons, each criterion's reasons. Colour only
  // repeats the words.
  ST.qualityView = function (q, heading) {
    if (!q || typeof q.score !== "number") return null;
    var bad = q.perfunctory || q.level === "差";
    var reasons = [];
    CRITERIA.forEach(function (c) {
      var x = q.criteria && q.criteria[c[0]];
      ((x && x.reasons) || []).forEach(function (r) { if ((q.flags || []).indexOf(r) < 0) reasons.push(c[1] + "：" + r); });
    });
    var parts = CRITERIA.map(function (c) {
      var x = q.criteria && q.criteria[c[0]];
      return c[1] + " " + (x && typeof x.score === "number" ? Math.round(x.score * 100) : "—");
    });
    return ST.el("div", { class: "quality " + (bad ? "quality-bad" : "quality-ok"), "data-perfunctory": q.perfunctory ? "true" : "false" },
      ST.el("p", null, ST.el("strong", null, (heading || "答复质量") + "：" + q.score + " 分（" + q.level + "）"),
        q.perfunctory ? ST.el("span", { class: "tag urgent flag" }, "疑似形式主义答复") : null),
      (q.flags || []).length ? ST.el("ul", { class: "flags" }, q.flags.map(function (f) { return ST.el("li", null, f); })) :
        ST.el("p", { class: "muted" }, "未发现明显问题。"),
      reasons.length ? ST.el("details", null, ST.el("summary", null, "各项说明"), ST.el("ul", null, reasons.map(function (r) { return ST.el("li", null, r); }))) : null,
      ST.el("p", { class: "muted" }, "分项（0–100）：" + parts.join("，") + "。系统评估仅供参考，请以实际办理情况为准。"));
  };
  // parseQuality reads the stored JSON field (an object, or text from older clients).
  ST.parseQuality = function (v) {
    if (!v) return null;
    if (typeof v === "string") { try { return JSON.parse(v); } catch (e) { return null; } }
    return v;
  };

  // ---- downloads ----------------------------------------------------------

  // download fetches a file the API builds (a workbook) with the staff
  // member's token and saves it under the server's name; answers a promise
  // that rejects with the API's error (shown in Chinese by ST.message).
  ST.download = function (path, query) {
    var url = new URL(path, location.origin);
    Object.keys(query || {}).forEach(function (k) { if (query[k] !== "" && query[k] !== undefined) url.searchParams.set(k, query[k]); });
    return fetch(url, { headers: { Authorization: pb.authStore.token } }).then(function (res) {
      if (!res.ok) {
        return res.json().catch(function () { return {}; }).then(function (body) { throw { status: res.status, response: body }; });
      }
      var cd = res.headers.get("Content-Disposition") || "";
      var m = /filename\*=UTF-8''([^;]+)/.exec(cd);
      var name = m ? decodeURIComponent(m[1]) : "export.xlsx";
      return res.blob().then(function (blob) {
        var a = ST.el("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
        document.body.append(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        return name;
      });
    }, function (err) { throw { status: 0, isAbort: false, message: String(err) }; });
  };

  // ---- the case detail ----------------------------------------------------

  function byAppeal(id) { return pb.filter("appeal = {:id}", { id: id }); }

  // loadCase reads everything the caller may see of one case: the appeal,
  // its timeline, replies, tasks, 延期/挂起 requests, callbacks (platform
  // only), its clock, and a file token for the protected attachments.
  ST.loadCase = function (id, central) {
    var f = byAppeal(id);
    var none = function () { return []; };
    return Promise.all([
      pb.collection("appeals").getOne(id, { expand: "category,region,lead_department,assisting_departments,sla_policy,registered_by" }),
      pb.collection("appeal_events").getFullList({ filter: f, sort: "created", expand: "actor_staff,actor_department" }),
      pb.collection("replies").getFullList({ filter: f, sort: "created", expand: "department,author" }),
      pb.collection("assignments").getFullList({ filter: f, sort: "created", expand: "department,signed_by" }),
      pb.collection("extensions").getFullList({ filter: f, sort: "created", expand: "department,requested_by" }).catch(none),
      central ? pb.collection("callbacks").getFullList({ filter: f, sort: "created" }).catch(none) : Promise.resolve([]),
      pb.send("/api/sla/appeals/" + encodeURIComponent(id), {}).catch(function () { return null; }),
      pb.files.getToken().catch(function () { return ""; })
    ]).then(function (r) {
      return { appeal: r[0], events: r[1], replies: r[2], assignments: r[3], requests: r[4], callbacks: r[5], sla: r[6], token: r[7] };
    });
  };

  ST.files = function (record, field, token) {
    var names = [].concat(record[field] || []);
    if (!names.length) return null;
    return ST.el("ul", { class: "files", "aria-label": "附件" }, names.map(function (n, i) {
      return ST.el("li", null, ST.el("a", { href: pb.files.getURL(record, n, { token: token }), target: "_blank", rel: "noopener" },
        "附件 " + (i + 1) + "（" + n.replace(/_[a-z0-9]{10}(\.[^.]+)$/i, "$1") + "）"));
    }));
  };

  function name(rec, rel) {
    var x = rec.expand && rec.expand[rel];
    if (!x) return "";
    if (Array.isArray(x)) return x.map(function (d) { return d.name; }).join("、");
    return x.name || x.email || "";
  }
  ST.relName = name;

  var ASSIGNMENT = { pending: "待签收", signed: "已签收", replied: "已答复", returned: "已退单", cancelled: "已取消", done: "已完成" };
  var REQUEST = { pending: "待审批", approved: "已批准", denied: "已驳回" };
  var REVIEW = { pending: "待审核", approved: "审核通过", returned: "退回重办", none: "无需审核" };

  // renderCase fills node with the case; the caller adds its actions into
  // the returned .actions element.
  ST.renderCase = function (node, c, opts) {
    opts = opts || {};
    var a = c.appeal;
    var sla = ST.sla(a);
    var headingId = "case-title";
    var contact = ST.el("div", { class: "contact", hidden: true, "aria-live": "polite" });
    var contactButton = opts.contact ? ST.el("button", { type: "button", class: "secondary", id: "show-contact",
      onclick: function () {
        contactButton.disabled = true;
        pb.send("/api/appeals/" + encodeURIComponent(a.id) + "/contact", {}).then(function (r) {
          ST.fill(contact, ST.el("strong", null, "联系人：" + r.contact_name + "　电话：" + r.contact_phone),
            ST.el("p", { class: "muted" }, "本次查看已记入审计日志。请仅为办理本件诉求使用。"));
          contact.hidden = false;
          contactButton.hidden = true;
        }).catch(function (err) {
          ST.fill(contact, ST.el("p", { class: "form-error", role: "alert" }, ST.message(err)));
          contact.hidden = false;
          contactButton.disabled = false;
        });
      } }, "查看联系方式") : null;

    var actions = ST.el("div", { class: "actions" });
    var clock = c.sla && c.sla.stage ? c.sla.stage_label + "期限 " + ST.fmt(c.sla.due, true) + "，" + c.sla.left_text + "（" + c.sla.state_label + "）" : sla.text;
    ST.fill(node,
      ST.el("h2", { id: headingId, tabindex: "-1" }, a.ticket + "　" + a.title),
      ST.el("div", { class: "row" },
        ST.el("span", { class: "tag" }, ST.status(a.status)),
        ST.el("span", { class: "tag " + sla.cls }, sla.word),
        a.priority === "urgent" ? ST.el("span", { class: "tag urgent" }, "紧急") : null,
        a.urgent_flag ? ST.el("span", { class: "tag urgent" }, "疑似紧急：" + (a.urgency_reasons || "")) : null,
        a.emotion_flag ? ST.el("span", { class: "tag sla-warning" }, "情绪激烈，谨慎处理") : null,
        a.anonymous ? ST.el("span", { class: "tag" }, "对承办单位匿名") : null,
        a.confidential ? ST.el("span", { class: "tag" }, "保密") : null),
      ST.el("p", { class: "clock" }, ST.el("strong", null, "时限："), clock),
      ST.el("dl", { class: "facts" },
        ST.el("dt", null, "类型"), ST.el("dd", null, ST.kind(a.kind)),
        ST.el("dt", null, "分类"), ST.el("dd", null, name(a, "category") || "未分类"),
        ST.el("dt", null, "区域"), ST.el("dd", null, name(a, "region") || "—"),
        ST.el("dt", null, "地址"), ST.el("dd", null, a.address || "—"),
        ST.el("dt", null, "来源"), ST.el("dd", null, (ST.table.channels[a.channel] || a.channel) + "，" + ST.fmt(a.created, true) + " 提交"),
        ST.el("dt", null, "主办"), ST.el("dd", null, name(a, "lead_department") || "—"),
        ST.el("dt", null, "协办"), ST.el("dd", null, name(a, "assisting_departments") || "—"),
        a.urge_count ? [ST.el("dt", null, "催办"), ST.el("dd", null, a.urge_count + " 次")] : null,
        a.supervise_count ? [ST.el("dt", null, "督办"), ST.el("dd", null, a.supervise_count + " 次")] : null,
        a.redo_count || a.reopen_count ? [ST.el("dt", null, "重办"), ST.el("dd", null, "审核退回 " + (a.redo_count || 0) + " 次，回访不满意 " + (a.reopen_count || 0) + " 次")] : null),
      ST.el("h3", null, "诉求内容"),
      ST.el("p", { class: "pre content" }, a.content),
      ST.files(a, "attachments", c.token),
      contactButton, contact,
      c.assignments.length ? [ST.el("h3", null, "承办任务"), ST.el("ul", null, c.assignments.map(function (t) {
        return ST.el("li", null, (t.role === "lead" ? "主办 " : "协办 ") + name(t, "department") + "：" + (ASSIGNMENT[t.status] || t.status) +
          (t.signed_at ? "，" + ST.fmt(t.signed_at) + " 由 " + (name(t, "signed_by") || "系统") + " 签收" : "") +
          (t.return_reason ? "，退单理由：" + t.return_reason : ""));
      }))] : null,
      c.requests.length ? [ST.el("h3", null, "延期/挂起申请"), ST.el("ul", null, c.requests.map(function (r) {
        return ST.el("li", { class: "request", "data-status": r.status }, (r.kind === "extend" ? "延期 " + r.days + " 个工作日" : "挂起") + "：" +
          r.reason + "（" + (REQUEST[r.status] || r.status) + (r.decision_note ? "，" + r.decision_note : "") + "）");
      }))] : null,
      c.replies.length ? [ST.el("h3", null, "答复"), c.replies.map(function (r) {
        return ST.el("div", { class: "card reply", "data-review": r.review_status },
          ST.el("p", { class: "muted" }, ({ lead: "主办答复", assist: "协办答复", direct: "平台直接答复" }[r.role] || r.role) + " · " +
            (name(r, "department") || "平台") + " · " + ST.fmt(r.created) + " · " + (REVIEW[r.review_status] || r.review_status) +
            (r.review_note ? "：" + r.review_note : "")),
          ST.el("p", { class: "pre" }, r.content), ST.files(r, "attachments", c.token),
          opts.quality && r.role !== "assist" ? ST.qualityView(ST.parseQuality(r.quality), "系统评估答复质量") : null);
      })] : null,
      c.callbacks && c.callbacks.length ? [ST.el("h3", null, "回访记录"), ST.el("ul", null, c.callbacks.map(function (cb) {
        return ST.el("li", null, ({ pending: "待回访", done: "已回访", cancelled: "已取消" }[cb.status] || cb.status) +
          (cb.due ? "，期限 " + ST.fmt(cb.due) : "") + (cb.satisfaction ? "，" + ST.table.satisfaction[cb.satisfaction] : "") + (cb.comment ? "，" + cb.comment : ""));
      }))] : null,
      ST.el("h3", null, "处理过程（内部）"),
      ST.el("ol", { class: "timeline" }, c.events.map(function (e) {
        var who = [ST.ROLE[e.actor_role] || e.actor_role, name(e, "actor_department"), name(e, "actor_staff")].filter(Boolean).join(" · ");
        return ST.el("li", { "data-action": e.action },
          ST.el("div", null, ST.el("strong", null, ST.actionLabel(e.action)), " ", ST.el("span", { class: "when" }, ST.fmt(e.created, true) + " · " + who + (e.public ? " · 居民可见" : ""))),
          e.summary && e.summary !== ST.actionLabel(e.action) ? ST.el("div", null, e.summary) : null,
          e.note ? ST.el("div", { class: "pre muted" }, "说明：" + e.note) : null,
          ST.files(e, "attachments", c.token));
      })),
      actions);
    return actions;
  };

  // ---- queues -------------------------------------------------------------

  // caseRow is one queue entry: a single button (Tab reaches it, Enter and
  // Space open it) whose text says everything, colour only repeating it.
  ST.caseRow = function (a, extra, onOpen) {
    var sla = ST.sla(a);
    var b = ST.el("button", { type: "button", class: "case " + sla.cls, "data-id": a.id, "data-ticket": a.ticket, onclick: function () { onOpen(a.id); } },
      ST.el("span", { class: "title" }, a.title),
      ST.el("span", { class: "meta" },
        ST.el("span", null, a.ticket),
        ST.el("span", null, ST.status(a.status)),
        ST.el("span", { class: "tag " + sla.cls }, sla.word),
        ST.deadline(a) ? ST.el("span", null, "期限 " + ST.fmt(ST.deadline(a))) : null,
        a.priority === "urgent" || a.urgent_flag ? ST.el("span", { class: "tag urgent" }, "紧急") : null,
        extra || null));
    return ST.el("li", null, b);
  };

  // arrowKeys lets ↑/↓ move between the rows of a queue (Tab still works).
  ST.arrowKeys = function (list) {
    list.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      var rows = Array.from(list.querySelectorAll("button.case"));
      var i = rows.indexOf(document.activeElement);
      if (i < 0) return;
      ev.preventDefault();
      var next = rows[ev.key === "ArrowDown" ? Math.min(i + 1, rows.length - 1) : Math.max(i - 1, 0)];
      next.focus();
    });
  };

  ST.markCurrent = function (list, id) {
    list.querySelectorAll("button.case").forEach(function (b) {
      if (b.getAttribute("data-id") === id) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
  };

  // fillQueue replaces a queue's rows (li elements, or one li saying it is
  // empty) and marks the open case. A keyboard focus inside the queue stays
  // on its case's row, or goes to the first row when that case left the
  // queue, or to heading when no case is left.
  ST.fillQueue = function (list, rows, openId, heading) {
    var focused = document.activeElement && document.activeElement.getAttribute("data-id");
    var hadFocus = list.contains(document.activeElement);
    ST.fill(list, rows);
    ST.markCurrent(list, openId);
    if (!hadFocus) return;
    var again = list.querySelector('button[data-id="' + focused + '"]') || list.querySelector("button.case") || heading;
    if (again) again.focus();
  };

  // showCase loads case id (ST.loadCase) into detail and draws it with
  // opts.render(c); a later call wins over a slower earlier one. opts.fresh:
  // a first opening (says 正在加载…, then moves the focus to the case's
  // heading), else a refresh in place that keeps the scroll position.
  // opts.central: as platform staff. opts.current(): whether the page
  // still wants this case when it arrives. opts.failed(err): before the
  // error is shown.
  var caseLoads = 0;
  ST.showCase = function (detail, id, opts) {
    var token = ++caseLoads;
    if (opts.fresh) ST.fill(detail, ST.el("p", { class: "muted", role: "status" }, "正在加载…"));
    return ST.loadCase(id, !!opts.central).then(function (c) {
      if (token !== caseLoads || (opts.current && !opts.current())) return;
      var y = window.scrollY;
      opts.render(c);
      if (opts.fresh) ST.$("#case-title", detail).focus();
      else window.scrollTo(0, y);
    }).catch(function (err) {
      if (token !== caseLoads) return;
      if (opts.failed) opts.failed(err);
      ST.fill(detail, ST.el("p", { class: "form-error", role: "alert" }, ST.message(err)));
    });
  };

  ST.departments = function () {
    return pb.collection("departments").getFullList({ filter: "active = true", sort: "kind,name" });
  };
})();
