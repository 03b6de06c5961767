// Search (search.html?q=): public appeals and 政务公开 articles whose title
// (or text) contains the words.
(function () {
  "use strict";
  var $ = SY.$;
  var q = SY.param("q").trim();
  $("#q").value = q;
  if (!q) {
    ["#appeals", "#articles"].forEach(function (s) { $(s).append(SY.el("p", { class: "empty" }, "请在上方输入要搜索的内容。")); });
    return;
  }
  document.title = "搜索：" + q + " — 泗阳网络直通车";
  $("#appeals-more").href = "appeals.html?q=" + encodeURIComponent(q);
  $("#articles-more").href = "articles.html?q=" + encodeURIComponent(q);
  var lit = SY.quote(q);

  // Public appeals: the rows without a total, the total from the kept
  // count (约 when it predates the latest change), both within the search
  // window (a keyword cannot use an index; the page says what was
  // searched), asked without the sign-in so the server can keep them.
  SY.load($("#appeals"), function () {
    return SY.api("/api/portal/public-appeals/search-window", { auth: false }).then(function (w) {
      var f = "(title ~ " + lit + " || content ~ " + lit + ")" + (w.since ? " && created >= " + SY.quote(w.since) : "");
      return Promise.all([
        SY.api("/api/collections/public_appeals/records?" + new URLSearchParams({
          filter: f, sort: "-created", perPage: 10, skipTotal: 1, expand: "category,region", fields: SY.APPEAL_FIELDS
        }).toString(), { auth: false }),
        SY.api("/api/portal/public-appeals/count?" + new URLSearchParams({ filter: f }).toString(), { auth: false })
      ]).then(function (r) {
        r[0].totalItems = Math.max(r[1].totalItems, r[0].items.length);
        r[0].approximate = !r[1].exact;
        r[0].searchWindow = w;
        return r[0];
      });
    });
  }, function (res, box) {
    box.append(SY.el("p", { class: "muted" }, (res.approximate ? "找到约 " : "找到 ") + res.totalItems + " 条"));
    if (res.searchWindow.since) box.append(SY.searchScope(res.searchWindow));
    box.append(SY.list(res.items, SY.appealItem, "没有找到相关的公开诉求。"));
  });

  SY.load($("#articles"), function () {
    return SY.records("articles", {
      filter: "title ~ " + lit + " || summary ~ " + lit, sort: "-published_at", perPage: 10,
      expand: "department", fields: SY.ARTICLE_FIELDS
    });
  }, function (res, box) {
    box.append(SY.el("p", { class: "muted" }, "找到 " + res.totalItems + " 条"),
      SY.list(res.items, function (a) { return SY.articleItem(a, true); }, "没有找到相关的政务信息。"));
  });
})();
