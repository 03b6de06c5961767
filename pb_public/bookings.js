// 当日预约名单 (bookings.html), for the service windows' staff: sign in
// with the staff account (auth-with-password on "staff", kept for this
// browser session only), pick a day and a service item, see its bookings
// with names and phones (GET /api/portal/appointments/day — every view is
// audited) and mark who came (POST /api/portal/appointments/{id}/status).
// A department's handlers see their own department's items.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;
  var ROLE = { operator: "话务员", handler: "承办人员", supervisor: "督办人员", admin: "管理员" };
  var staffForm = $("#staff-form"), desk = $("#desk"), day = $("#day"), dayForm = $("#day-form");
  var items = []; // the service items this person serves

  function staff() { return SY.session.get("staff"); }

  function start() {
    var me = staff();
    staffForm.hidden = !!me;
    desk.hidden = !me;
    if (!me) return;
    var out = el("button", { type: "button", class: "btn-secondary", id: "staff-sign-out" }, "退出登录");
    out.addEventListener("click", function () {
      SY.session.clear("staff");
      day.replaceChildren();
      start();
      $("#staff-email").focus();
    });
    SY.fill($("#staff-account"), el("p", null, "工作人员：", el("strong", null, me.record.name || me.record.email),
      ROLE[me.record.role] ? "（" + ROLE[me.record.role] + "）" : ""), out);
    if (!$("#day-date").value) $("#day-date").value = SY.today();
    loadItems();
  }

  function loadItems() {
    var me = staff().record;
    var filter = "online_booking = true && active = true";
    if (me.role === "handler") filter += " && department = " + SY.quote(me.department || "-");
    var select = $("#day-service");
    SY.records("service_items", { filter: filter, sort: "sort,name", perPage: 200, fields: "id,name" })
      .then(function (res) {
        items = res.items;
        select.replaceChildren(el("option", { value: "" }, "全部可办理的事项（" + items.length + " 项）"));
        items.forEach(function (it) { select.append(el("option", { value: it.id }, it.name)); });
        if (SY.param("service")) select.value = SY.param("service");
        show();
      }, function (err) {
        day.replaceChildren(SY.errorBox(err, loadItems));
      });
  }

  // ---- sign-in ----
  // A second factor (PocketBase MFA, required of some roles once mail is set
  // up): the password answers 401 with an mfaId, a code is mailed, and the
  // same form asks for it.
  var mfa = null; // {mfaId, otpId} while a code is awaited
  function signedIn(auth) {
    SY.session.set("staff", auth, false);
    $("#staff-password").value = "";
    $("#staff-code").value = "";
    $("#staff-code-box").hidden = true;
    mfa = null;
    start();
    $("#day-date").focus();
  }
  staffForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var formError = $("#staff-form-error"), btn = staffForm.querySelector("button[type=submit]");
    SY.clearErrors(staffForm);
    formError.replaceChildren();
    if (mfa) {
      var code = $("#staff-code").value.trim();
      if (!/^[0-9]{4,8}$/.test(code)) { SY.showErrors({ code: "请输入邮件中的数字验证码" }, "staff-"); return; }
      btn.disabled = true;
      SY.api("/api/collections/staff/auth-with-otp", { json: { otpId: mfa.otpId, password: code, mfaId: mfa.mfaId }, auth: false })
        .then(signedIn, function (err) {
          if (err.status === 400) {
            mfa = null;
            $("#staff-code-box").hidden = true;
            SY.showErrors({ password: "验证码不正确或已过期，请重新输入密码登录" }, "staff-");
          } else formError.append(SY.errorBox(err));
        }).finally(function () { btn.disabled = false; });
      return;
    }
    var email = $("#staff-email").value.trim(), pw = $("#staff-password").value, errs = {};
    if (!email) errs.email = "请输入工作邮箱";
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errs.email = "邮箱格式不正确";
    if (!pw) errs.password = "请输入密码";
    if (Object.keys(errs).length) { SY.showErrors(errs, "staff-"); return; }
    btn.disabled = true;
    SY.api("/api/collections/staff/auth-with-password", { json: { identity: email, password: pw }, auth: false }).then(signedIn, function (err) {
      if (err.status === 401 && err.mfaId) {
        return SY.api("/api/collections/staff/request-otp", { json: { email: email }, auth: false }).then(function (res) {
          mfa = { mfaId: err.mfaId, otpId: res.otpId };
          $("#staff-code-box").hidden = false;
          $("#staff-code-note").textContent = "您的账号需要二次验证：验证码已发送到 " + email + "，10 分钟内有效。";
          $("#staff-code").focus();
        }, function (err2) { formError.append(SY.errorBox(err2)); });
      }
      if (err.status === 400) err = { status: 400, data: { password: { message: "邮箱或密码不正确，或账号已停用" } } };
      var left = err.status === 400 ? SY.showErrors(err.data, "staff-") : [];
      if (err.status !== 400 || left.length) formError.append(SY.errorBox(err));
    }).finally(function () { btn.disabled = false; });
  });

  // ---- the day ----
  dayForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    show();
  });

  function show() {
    SY.clearErrors(dayForm);
    var date = $("#day-date").value, service = $("#day-service").value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { SY.showErrors({ date: "请选择日期" }, "day-"); return; }
    var chosen = service ? items.filter(function (it) { return it.id === service; }) : items;
    if (!chosen.length) {
      SY.fill(day, el("p", { class: "empty" }, "没有可以查看的网上预约事项。"));
      return;
    }
    SY.fill(day, el("h2", null, SY.dayLabel(date) + "的预约"));
    chosen.forEach(function (it) {
      var box = el("section", { "aria-label": it.name });
      day.append(box);
      SY.load(box, function () {
        return SY.api("/api/portal/appointments/day?date=" + encodeURIComponent(date) + "&service=" + encodeURIComponent(it.id), { auth: "staff" });
      }, function (d, b) { render(d, b); }).then(function () {
        if (!staff()) start(); // the sign-in expired
      });
    });
  }

  function render(d, box) {
    var booked = d.appointments.filter(function (a) { return a.status !== "cancelled"; }).length;
    box.append(el("h3", null, d.service.name + "（" + booked + " 人预约）"));
    if (!d.slots.length) { box.append(el("p", { class: "empty" }, "当天没有开放预约时段。")); return; }
    box.append(el("p", { class: "muted" }, d.slots.map(function (s) {
      return s.start + "–" + s.end + " 已约 " + s.booked + "/" + s.capacity;
    }).join("；")));
    if (!d.appointments.length) { box.append(el("p", { class: "empty" }, "当天还没有人预约。")); return; }
    box.append(el("table", { class: "day-table" },
      el("thead", null, el("tr", null, ["时段", "姓名", "电话", "状态", "到场登记"].map(function (h) { return el("th", { scope: "col" }, h); }))),
      el("tbody", null, d.appointments.map(row))));
  }

  function row(a) {
    var status = el("td", { "data-label": "状态", class: "status" }, a.status_label);
    var message = el("p", { class: "error", role: "alert" });
    var buttons = a.status === "cancelled" ? ["（已由预约人取消）"] : [
      mark(a, "done", "已到场", status, message),
      mark(a, "no_show", "未到场", status, message)];
    return el("tr", { id: "appointment-" + a.id },
      el("td", { "data-label": "时段" }, a.start + "–" + a.end),
      el("td", { "data-label": "姓名" }, a.name),
      el("td", { "data-label": "电话" }, el("a", { href: "tel:" + a.phone }, a.phone)),
      status,
      el("td", { "data-label": "到场登记" }, buttons, message));
  }

  function mark(a, to, label, statusCell, message) {
    var b = el("button", { type: "button", class: "btn-secondary", "data-status": to, "aria-pressed": a.status === to ? "true" : "false",
      "aria-label": label + "：" + a.name + " " + a.start }, label);
    b.addEventListener("click", function () {
      message.textContent = "";
      b.disabled = true;
      SY.api("/api/portal/appointments/" + encodeURIComponent(a.id) + "/status", { json: { status: to }, auth: "staff" }).then(function (r) {
        a.status = r.status;
        statusCell.textContent = r.status_label;
        b.parentNode.querySelectorAll("button").forEach(function (x) {
          x.setAttribute("aria-pressed", x.getAttribute("data-status") === r.status ? "true" : "false");
        });
        SY.announce(a.name + "：" + r.status_label);
      }, function (err) {
        message.textContent = err.message;
      }).finally(function () { b.disabled = false; });
    });
    return b;
  }

  start();
})();
