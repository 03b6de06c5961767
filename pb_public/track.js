// Track page (track.html): the resident's own case by ticket number and
// query code (POST /api/track), with the public timeline and the accepted
// reply, and what the resident may do next: rate it (待回访), add material,
// or withdraw it. The code is kept in memory, and in sessionStorage only when
// the resident ticks 在本设备记住.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;
  var KEY = "sy-track";
  var form = $("#track-form"), result = $("#result"), formError = $("#form-error"), remember = $("#remember");
  var session = null; // {ticket, code} of the case on screen
  var flash = "";     // a confirmation to show with the next rendering
  var supplementPhotos = SY.PhotoPicker($("#supplement-photos"), $("#supplement-photo-list"),
    $("#supplement-photos-status"), $("#supplement-attachments-error"), 9);

  function readSaved() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function save() {
    try {
      if (remember.checked && session) sessionStorage.setItem(KEY, JSON.stringify(session));
      else sessionStorage.removeItem(KEY);
    } catch (e) { /* storage off: nothing is remembered */ }
  }
  remember.addEventListener("change", save);

  function fact(label, value) {
    return value ? [el("dt", null, label), el("dd", null, value)] : null;
  }

  function render(v) {
    var reply = v.reply || (v.merged_into && v.merged_into.reply);
    SY.fill(result,
      flash ? el("div", { class: "notice", role: "status" }, el("p", null, flash)) : null,
      el("h2", null, v.ticket + "　" + v.title),
      el("p", null, "当前状态：", el("span", { class: "status" }, v.status_label || SY.STATUS[v.status] || v.status)),
      v.merged_into ? el("p", { class: "notice" }, "您的诉求已与相同问题的诉求 " + v.merged_into.ticket +
        " 合并办理，该诉求当前状态：" + v.merged_into.status_label + "。") : null,
      el("dl", { class: "facts" },
        fact("诉求类型", v.kind_label),
        fact("承办单位", v.department),
        fact("问题分类", v.category),
        fact("地址", v.address),
        fact("提交时间", SY.formatDate(v.created)),
        fact("办理期限", v.due_finish && !v.closed_at ? SY.formatDate(v.due_finish) : ""),
        fact("办结时间", SY.formatDate(v.closed_at)),
        fact("联系人", [v.contact_name, v.contact_phone].filter(Boolean).join("　")),
        fact("是否公开", v.confidential ? "保密，不公开" : v.public ? "同意公开（隐去个人信息）" : "不公开"),
        fact("您的评价", SY.SATISFACTION[v.satisfaction] || "")),
      reply ? [
        el("h3", null, "答复" + (reply.department ? "（" + reply.department + "）" : "")),
        el("div", { class: "reply", id: "reply" }, reply.content),
        el("p", { class: "muted" }, "答复时间：" + SY.formatDate(reply.created))
      ] : null,
      el("h3", null, "我的诉求"),
      el("div", { class: "text-block" }, v.content),
      el("h3", null, "办理过程"),
      el("ol", { class: "timeline" }, (v.timeline || []).map(function (e) {
        return el("li", null,
          el("time", null, SY.formatDate(e.created)),
          el("span", null, e.summary || e.label),
          e.note ? el("div", { class: "note" }, e.note) : null);
      })));
    flash = "";
    result.hidden = false;
    actions(v);
  }

  function actions(v) {
    ["rate-form", "supplement-form"].forEach(function (id) { $("#" + id).reset(); SY.clearErrors($("#" + id)); });
    ["rate-form-error", "supplement-form-error", "withdraw-error"].forEach(function (id) { $("#" + id).replaceChildren(); });
    supplementPhotos.clear();
    $("#withdraw-confirm").hidden = true;
    $("#withdraw-start").setAttribute("aria-expanded", "false");
    $("#rate").hidden = !(v && v.can_rate);
    $("#supplement").hidden = !(v && v.can_supplement);
    $("#withdraw").hidden = !(v && v.can_withdraw);
  }

  function lookup(focusResult) {
    SY.clearErrors(form);
    formError.replaceChildren();
    var btn = form.querySelector("button[type=submit]");
    btn.disabled = true;
    btn.textContent = "正在查询…";
    return SY.api("/api/track", { json: { ticket: session.ticket, query_code: session.code } }).then(function (v) {
      render(v);
      save();
      if (focusResult) SY.focus(result);
    }, function (err) {
      result.hidden = true;
      actions(null);
      var left = err.status === 400 ? SY.showErrors(err.data) : [];
      if (err.status !== 400 || left.length) {
        formError.append(SY.errorBox(err, err.network ? function () { lookup(true); } : null));
      }
    }).finally(function () {
      btn.disabled = false;
      btn.textContent = "查询";
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    session = { ticket: form.ticket.value.trim(), code: form.query_code.value.trim() };
    var errs = {};
    if (!session.ticket) errs.ticket = "请输入受理编号";
    if (!session.code) errs.query_code = "请输入查询码";
    if (Object.keys(errs).length) {
      SY.clearErrors(form);
      formError.replaceChildren();
      result.hidden = true;
      actions(null);
      SY.showErrors(errs);
      return;
    }
    lookup(true);
  });

  // after an action: show the case again, with a confirmation on top
  function done(message) {
    flash = message;
    return lookup(true);
  }

  function act(action, opts) {
    return SY.api("/api/appeals/" + encodeURIComponent(session.ticket) + "/actions/" + action, opts);
  }

  // ---- rate ----
  $("#rate-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = this, btn = $("#rate-send");
    SY.clearErrors(f);
    $("#rate-form-error").replaceChildren();
    var sat = f.querySelector("input[name=satisfaction]:checked"), res = f.querySelector("input[name=resolved]:checked");
    var errs = {};
    if (!sat) errs.satisfaction = "请选择满意度：非常满意、满意、基本满意、不满意或非常不满意";
    if (!res) errs.resolved = "请选择问题是否已解决";
    if (Object.keys(errs).length) { SY.showErrors(errs, "rate-"); return; }
    btn.disabled = true;
    act("rate", { json: { query_code: session.code, satisfaction: sat.value, resolved: res.value === "true", note: $("#rate-note").value.trim() } })
      .then(function () {
        var bad = sat.value === "dissatisfied" || sat.value === "very_dissatisfied";
        return done(bad ? "已收到您的评价，诉求已退回承办单位重新办理。" : "感谢您的评价！");
      }, function (err) {
        var left = err.status === 400 ? SY.showErrors(err.data, "rate-") : [];
        if (err.status !== 400 || left.length) $("#rate-form-error").append(SY.errorBox(err));
      }).finally(function () { btn.disabled = false; });
  });

  // ---- supplement ----
  $("#supplement-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = this, btn = $("#supplement-send"), content = $("#supplement-content").value.trim();
    var files = supplementPhotos.files();
    SY.clearErrors(f);
    $("#supplement-form-error").replaceChildren();
    if (supplementPhotos.busy()) { $("#supplement-form-error").append(SY.errorBox("照片还在处理中，请稍等几秒再提交")); return; }
    if (!content && !files.length) { SY.showErrors({ content: "请填写补充内容或上传附件" }, "supplement-"); return; }
    if (SY.chars(content) > 10000) { SY.showErrors({ content: "内容不能超过 10000 字" }, "supplement-"); return; }
    var fd = new FormData();
    fd.append("query_code", session.code);
    fd.append("content", content);
    files.forEach(function (p) { fd.append("attachments", p.blob, p.name); });
    btn.disabled = true;
    btn.textContent = "正在提交…";
    act("supplement", { form: fd, timeout: 120000 }).then(function () {
      return done("补充材料已提交，承办单位会看到。");
    }, function (err) {
      var left = err.status === 400 ? SY.showErrors(err.data, "supplement-") : [];
      if (err.status !== 400 || left.length) $("#supplement-form-error").append(SY.errorBox(err));
    }).finally(function () { btn.disabled = false; btn.textContent = "提交补充材料"; });
  });

  // ---- withdraw (asks first) ----
  $("#withdraw-start").addEventListener("click", function () {
    $("#withdraw-confirm").hidden = false;
    this.setAttribute("aria-expanded", "true");
    SY.focus($("#withdraw-confirm"));
  });
  $("#withdraw-no").addEventListener("click", function () {
    $("#withdraw-confirm").hidden = true;
    $("#withdraw-start").setAttribute("aria-expanded", "false");
    $("#withdraw-start").focus();
  });
  $("#withdraw-yes").addEventListener("click", function () {
    var btn = this;
    $("#withdraw-error").replaceChildren();
    btn.disabled = true;
    act("withdraw", { json: { query_code: session.code, note: $("#withdraw-note").value.trim() } }).then(function () {
      return done("诉求已撤回。");
    }, function (err) {
      var left = err.status === 400 ? SY.showErrors(err.data, "withdraw-") : [];
      if (err.status !== 400 || left.length) $("#withdraw-error").append(SY.errorBox(err));
    }).finally(function () { btn.disabled = false; });
  });

  // ---- start: a remembered case, or a ticket from the receipt's link ----
  var saved = readSaved();
  if (saved && saved.ticket && saved.code) {
    form.ticket.value = saved.ticket;
    form.query_code.value = saved.code;
    remember.checked = true;
    session = saved;
    lookup(false);
  } else if (SY.param("ticket")) {
    form.ticket.value = SY.param("ticket");
  }
})();
