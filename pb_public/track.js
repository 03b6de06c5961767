// Track page (track.html): the resident's own case by ticket number and
// query code (POST /api/track), drawn by caseview.js with what the
// resident may do next. The code is kept in memory, and in sessionStorage
// only when the resident ticks 在本设备记住.
(function () {
  "use strict";
  var $ = SY.$;
  var KEY = "sy-track";
  var form = $("#track-form"), result = $("#result"), formError = $("#form-error"), remember = $("#remember");
  var session = null; // {ticket, code} of the case on screen

  var view = SY.CaseView({
    result: result,
    act: function (action, body, timeout) {
      return SY.sendAction(session.ticket, action, body, { query_code: session.code }, timeout);
    },
    reload: function () { return lookup(true); }
  });

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

  function lookup(focusResult) {
    SY.clearErrors(form);
    formError.replaceChildren();
    var btn = form.querySelector("button[type=submit]");
    btn.disabled = true;
    btn.textContent = "正在查询…";
    return SY.api("/api/track", { json: { ticket: session.ticket, query_code: session.code } }).then(function (v) {
      view.render(v);
      save();
      if (focusResult) SY.focus(result);
    }, function (err) {
      view.hide();
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
      view.hide();
      SY.showErrors(errs);
      return;
    }
    lookup(true);
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
