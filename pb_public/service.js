// One service item (service.html?id=): conditions, materials, process and
// contact; when it is bookable online, its future slots with the seats left,
// booking with name and phone, and cancelling the booking just made.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;
  var id = SY.param("id");
  var item = null, booking = null; // booking: {code, phone} of the one just made

  function block(label, text) {
    return text ? [el("h2", null, label), el("div", { class: "pre" }, text)] : null;
  }
  function fact(label, value) {
    return value ? [el("dt", null, label), el("dd", null, value)] : null;
  }

  SY.load($("#item"), function () {
    if (!id) return Promise.reject(new Error("没有指定办事事项，请从办事服务列表进入。"));
    return SY.record("service_items", id, { expand: "department" });
  }, function (s, box) {
    item = s;
    var dept = s.expand && s.expand.department;
    document.title = s.name + " — 办事服务 — 泗阳网络直通车";
    SY.fill(box,
      el("h1", null, s.name),
      s.online_booking ? el("p", null, el("span", { class: "badge ok" }, "可网上预约")) : null,
      el("dl", { class: "facts" },
        fact("办理部门", dept && dept.name),
        fact("办理时限", s.time_limit),
        fact("收费标准", s.fees),
        fact("办理地点", s.location),
        fact("办公时间", s.hours),
        fact("咨询电话", s.phone)),
      block("办理条件", s.conditions),
      block("申请材料", s.materials),
      block("办理流程", s.process));
    if (s.online_booking) {
      $("#booking").hidden = false;
      loadSlots();
    }
  });

  function loadSlots() {
    var today = SY.today(), now = SY.nowHM();
    return SY.load($("#slots"), function () {
      return SY.records("appointment_slots", {
        filter: "service_item = " + SY.quote(id) + " && date >= " + SY.quote(today),
        sort: "date,start", perPage: 200, fields: "id,date,start,end,capacity,booked"
      });
    }, function (res, box) {
      var slots = res.items.filter(function (s) { return s.date > today || s.start > now; });
      if (!slots.length) {
        box.append(el("p", { class: "empty" }, "近期没有可预约的时段" + (item.phone ? "，请致电 " + item.phone + " 咨询。" : "。")));
        return;
      }
      var days = [];
      slots.forEach(function (s) {
        var d = days[days.length - 1];
        if (!d || d.date !== s.date) days.push(d = { date: s.date, slots: [] });
        d.slots.push(s);
      });
      days.forEach(function (d) {
        box.append(el("div", { class: "slots-day", role: "group", "aria-label": SY.dayLabel(d.date) },
          el("p", { class: "label" }, el("strong", null, SY.dayLabel(d.date))),
          el("div", { class: "choices wide" }, d.slots.map(function (s) {
            var left = Math.max(0, (s.capacity || 0) - (s.booked || 0));
            return el("label", { class: "choice slot" },
              el("input", { type: "radio", name: "slot", value: s.id, disabled: left === 0 }),
              el("span", null, s.start + "–" + s.end, el("small", null, left ? "剩余 " + left + " 个名额" : "已约满")));
          }))));
      });
    });
  }

  var form = $("#book-form"), send = $("#book-send");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    SY.clearErrors(form);
    $("#book-error").replaceChildren();
    var slot = form.querySelector("input[name=slot]:checked");
    var body = { slot: slot ? slot.value : "", name: $("#book-name").value.trim(), phone: $("#book-phone").value.trim() };
    var errs = {};
    if (!body.slot) errs.slot = "请选择预约时段";
    if (!body.name) errs.name = "请填写姓名";
    else if (SY.chars(body.name) > 40) errs.name = "姓名不能超过 40 个字";
    if (!body.phone) errs.phone = "请填写手机号";
    else if (!SY.validPhone(body.phone)) errs.phone = SY.PHONE_MESSAGE;
    if (Object.keys(errs).length) { SY.showErrors(errs, "book-"); return; }
    send.disabled = true;
    send.textContent = "正在预约…";
    SY.api("/api/portal/appointments", { json: body }).then(function (r) {
      booking = { code: r.code, phone: body.phone };
      showBooked(r);
    }, function (err) {
      var left = err.status === 400 ? SY.showErrors(err.data, "book-") : [];
      if (err.status !== 400 || left.length) {
        $("#book-error").append(SY.errorBox(err, err.network ? function () { SY.submit(form); } : null));
      }
      if (err.status === 409) loadSlots(); // the seats have changed
    }).finally(function () {
      send.disabled = false;
      send.textContent = "确认预约";
    });
  });

  function showBooked(r) {
    var slot = r.slot || {}, svc = r.service || {};
    $("#booked-code").textContent = r.code;
    $("#booked-service").textContent = svc.name || item.name;
    $("#booked-time").textContent = SY.dayLabel(slot.date) + " " + slot.start + "–" + slot.end;
    $("#booked-location").textContent = svc.location || item.location || "—";
    $("#cancel-result").replaceChildren();
    $("#cancel-start").hidden = false;
    $("#booking").hidden = true;
    var box = $("#booked");
    box.hidden = false;
    SY.focus(box);
  }
  $("#copy-booked").addEventListener("click", function () { SY.copy(booking.code, "预约码"); });

  $("#cancel-start").addEventListener("click", function () {
    $("#cancel-confirm").hidden = false;
    this.setAttribute("aria-expanded", "true");
    SY.focus($("#cancel-confirm"));
  });
  $("#cancel-no").addEventListener("click", function () {
    $("#cancel-confirm").hidden = true;
    $("#cancel-start").setAttribute("aria-expanded", "false");
    $("#cancel-start").focus();
  });
  $("#cancel-yes").addEventListener("click", function () {
    var btn = this;
    btn.disabled = true;
    $("#cancel-result").replaceChildren();
    SY.api("/api/portal/appointments/cancel", { json: booking }).then(function () {
      $("#cancel-confirm").hidden = true;
      $("#cancel-start").hidden = true;
      $("#cancel-result").append(el("div", { class: "notice", role: "status" }, el("p", null, "预约已取消。如需办理，可以重新预约。")),
        el("a", { class: "btn btn-secondary", href: "service.html?id=" + encodeURIComponent(id) }, "重新预约"));
    }, function (err) {
      $("#cancel-result").append(SY.errorBox(err));
    }).finally(function () { btn.disabled = false; });
  });
})();
