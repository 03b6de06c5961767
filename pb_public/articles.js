// 政务公开 list (articles.html?kind=&q=): published articles of one column
// (or all), pinned first, newest first, searchable by title.
(function () {
  "use strict";
  var $ = SY.$;
  var kind = SY.ARTICLE_KIND[SY.param("kind")] ? SY.param("kind") : "";
  var q = SY.param("q").trim();

  document.querySelectorAll("#tabs a").forEach(function (a) {
    if ((new URLSearchParams(a.search).get("kind") || "") === kind) a.setAttribute("aria-current", "page");
  });
  var label = kind ? SY.ARTICLE_KIND[kind] : "全部信息";
  $("#page-title").textContent = "政务公开 · " + label;
  document.title = label + " — 政务公开 — 泗阳网络直通车";
  $("#search-kind").value = kind;
  if (!kind) $("#search-kind").disabled = true; // keeps ?kind= out of the address
  $("#q").value = q;
  $("#list-title").textContent = q ? "“" + q + "”的搜索结果" : label;

  var parts = [];
  if (kind) parts.push("kind = " + SY.quote(kind));
  if (q) parts.push("title ~ " + SY.quote(q));

  SY.load($("#list"), function () {
    return SY.records("articles", {
      filter: parts.join(" && "), sort: "-pinned,-published_at", page: SY.page(), perPage: 10,
      expand: "department", fields: SY.ARTICLE_FIELDS
    });
  }, function (res, box) {
    box.append(
      SY.list(res.items, function (a) { return SY.articleItem(a, !kind); }, q ? "没有找到标题含有“" + q + "”的信息。" : "这个栏目暂无信息。"),
      SY.pager(res, function (n) { return SY.withParam("page", n); }));
  });
})();
