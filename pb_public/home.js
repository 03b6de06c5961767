// Home page (index.html): this month's figures, the latest public replies
// and the notices. Each part loads on its own, so one failing request leaves
// the rest of the page working.
(function () {
  "use strict";
  var el = SY.el;

  function figure(label, value, unit) {
    return el("div", null, el("dt", null, label), el("dd", null, value, unit ? el("small", null, unit) : null));
  }

  SY.load(SY.$("#stats"), function () { return SY.api("/api/portal/stats"); }, function (s, box) {
    var c = (s && s.current) || {};
    var rate = c.satisfaction_rate === null || c.satisfaction_rate === undefined
      ? figure("满意率", "—", "暂无评价")
      : figure("满意率", String(c.satisfaction_rate), "%");
    box.append(el("dl", { class: "figures" }, figure("受理", String(c.accepted || 0), "件"), figure("办结", String(c.closed || 0), "件"), rate));
    var p = String(c.period || "").split("-");
    box.append(el("p", { class: "muted" },
      (p.length === 2 ? p[0] + "年" + (+p[1]) + "月" : "本月") +
      "（北京时间）。满意率 =（满意 + 非常满意）÷ 参与评价的办结件数。"));
  });

  SY.load(SY.$("#replies"), function () {
    // newest approved public replies, walked along their own index
    return SY.api("/api/portal/latest-replies?" + new URLSearchParams({
      perPage: 5, expand: "category,region", fields: SY.APPEAL_FIELDS
    }).toString(), { auth: false });
  }, function (res, box) {
    box.append(SY.list(res.items, SY.appealItem, "暂无公开答复。"));
  });

  SY.load(SY.$("#notices"), function () {
    return SY.records("articles", {
      filter: 'kind = "notice"', sort: "-pinned,-published_at", perPage: 5, skipTotal: 1,
      expand: "department", fields: SY.ARTICLE_FIELDS
    });
  }, function (res, box) {
    box.append(SY.list(res.items, function (a) { return SY.articleItem(a, false); }, "暂无通知公告。"));
  });
})();
