// 办事服务 (services.html): the active service items grouped by category,
// searchable by name, and the resident's own booking looked up (and
// cancelled) with its code and phone.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;
  var q = SY.param("q").trim();
  $("#q").value = q;

  SY.load($("#list"), function () {
    return SY.records("service_items", {
      filter: q ? "name ~ " + SY.quote(q) : "", sort: "category,sort,name", perPage: 200,
      expand: "department", fields: "id,name,category,time_limit,online_booking,expand.department.name"
    });
  }, function (res, box) {
    if (!res.items.length) { box.append(el("p", { class: "empty" }, q ? "没有找到名称含有“" + q + "”的事项。" : "暂无办事事项。")); return; }
    var groups = [];
    res.items.forEach(function (s) {
      var g = groups[groups.length - 1];
      if (!g || g.name !== (s.category || "其他事项")) groups.push(g = { name: s.category || "其他事项", items: [] });
      g.items.push(s);
    });
    groups.forEach(function (g) {
      box.append(el("h3", null, g.name), SY.list(g.items, function (s) {
        var dept = s.expand && s.expand.department;
        return el("li", null,
          el("a", { class: "title", href: "service.html?id=" + encodeURIComponent(s.id) }, s.name),
          el("div", { class: "meta" },
            s.online_booking ? el("span", { class: "badge ok" }, "可网上预约") : null,
            dept ? el("span", null, dept.name) : null,
            s.time_limit ? el("span", null, "办理时限：" + s.time_limit) : null));
      }));
    });
  });

  // ---- my booking ----
  var lookupForm = $("#lookup-form"), out = $("#lookup-result"), who = null;

  function lookup() {
    $("#lookup-error").replaceChildren();
    return SY.api("/api/portal/appointments/lookup", { json: who }).then(show, function (err) {
      out.replaceChildren();
      var left = err.status === 400 ? SY.showErrors(err.data, "lookup-") : [];
      if (err.status !== 400 || left.length) $("#lookup-error").append(SY.errorBox(err, err.network ? lookup : null));
    });
  }

  function show(b) {
    var slot = b.slot || {}, svc = b.service || {};
    SY.fill(out,
      el("h3", null, svc.name),
      el("dl", { class: "facts" },
        el("dt", null, "状态"), el("dd", null, el("span", { class: "badge " + (b.status === "booked" ? "ok" : "plain") }, b.status_label)),
        el("dt", null, "预约时间"), el("dd", null, SY.dayLabel(slot.date) + " " + slot.start + "–" + slot.end),
        el("dt", null, "办理地点"), el("dd", null, svc.location || "—"),
        el("dt", null, "咨询电话"), el("dd", null, svc.phone || "—"),
        el("dt", null, "预约人"), el("dd", null, b.name + "　" + b.phone)),
      b.can_cancel ? cancelButton() : null);
    SY.focus(out);
  }

  function cancelButton() {
    var box = el("div", null);
    var start = el("button", { type: "button", class: "btn-secondary", id: "lookup-cancel" }, "取消预约");
    start.addEventListener("click", function () {
      var yes = el("button", { type: "button", id: "lookup-cancel-yes" }, "确认取消");
      var no = el("button", { type: "button", class: "btn-secondary" }, "不取消");
      var msg = el("div");
      var confirm = el("div", { tabindex: "-1" }, el("p", null, el("strong", null, "确定取消这个预约吗？")), yes, no, msg);
      no.addEventListener("click", function () { confirm.replaceWith(start); start.focus(); });
      yes.addEventListener("click", function () {
        yes.disabled = true;
        SY.api("/api/portal/appointments/cancel", { json: who }).then(function () {
          SY.announce("预约已取消");
          return lookup();
        }, function (err) {
          yes.disabled = false;
          msg.replaceChildren(SY.errorBox(err));
        });
      });
      start.replaceWith(confirm);
      confirm.focus();
    });
    box.append(start);
    return box;
  }

  lookupForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    SY.clearErrors(lookupForm);
    who = { code: $("#lookup-code").value.trim(), phone: $("#lookup-phone").value.trim() };
    var errs = {};
    if (!who.code) errs.code = "请输入预约码";
    if (!who.phone) errs.phone = "请输入预约时填写的手机号";
    if (Object.keys(errs).length) { SY.showErrors(errs, "lookup-"); return; }
    lookup();
  });
})();
