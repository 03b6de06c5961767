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
  var lit = SY.quote(q); // for the articles' filter

  // Public appeals: the keyword index of every public appeal answers the
  // newest ten and the total, and says what it searched.
  SY.load($("#appeals"), function () {
    return SY.searchAppeals(q, { perPage: 10 });
  }, function (res, box) {
    box.append(SY.el("p", { class: "muted" }, "找到 " + res.totalItems + (res.more ? " 条以上" : " 条")), SY.searchScope(res));
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
