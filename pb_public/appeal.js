// One public appeal (appeal.html?id=): the masked text and the approved
// reply from the public_appeals view, which holds no contact data at all.
(function () {
  "use strict";
  var el = SY.el;
  var id = SY.param("id");

  function fact(label, value) {
    return value ? [el("dt", null, label), el("dd", null, value)] : null;
  }

  SY.load(SY.$("#appeal"), function () {
    if (!id) return Promise.reject(new Error("没有指定要查看的诉求，请从公开诉求列表进入。"));
    return SY.record("public_appeals", id, { expand: "category,region,lead_department" });
  }, function (a, box) {
    var ex = a.expand || {};
    document.title = a.title + " — 公开诉求 — 泗阳网络直通车";
    SY.fill(box,
      el("h1", null, a.title),
      el("p", null, el("span", { class: "badge " + (a.status === "closed" ? "ok" : "main") }, SY.publicStatus(a.status))),
      el("dl", { class: "facts" },
        fact("受理编号", a.ticket),
        fact("诉求类型", SY.KIND[a.kind]),
        fact("问题分类", ex.category && ex.category.name),
        fact("乡镇（街道）", ex.region && ex.region.name),
        fact("承办单位", ex.lead_department && ex.lead_department.name),
        fact("提交时间", SY.formatDate(a.created)),
        fact("答复时间", SY.formatDate(a.replied_at)),
        fact("办结时间", SY.formatDate(a.closed_at))),
      el("section", { "aria-labelledby": "content-title" },
        el("h2", { id: "content-title" }, "诉求内容"),
        el("div", { class: "pre", id: "content" }, a.content)),
      el("section", { "aria-labelledby": "reply-title" },
        el("h2", { id: "reply-title" }, "答复"),
        a.reply ? el("div", { class: "reply", id: "reply" }, String(a.reply)) : el("p", { class: "empty" }, "正在办理中，答复经审核后会在这里公开。")),
      el("p", { class: "muted" }, "本页已隐去诉求人的姓名、电话等个人信息。"));
  });
})();
