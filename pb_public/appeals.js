// Public appeals (appeals.html): the masked public_appeals view, filtered by
// keyword, category, township, state and period, ten to a page. The filter
// form is a plain GET form, so every list has its own address.
(function () {
  "use strict";
  var $ = SY.$;
  var params = { q: SY.param("q"), category: SY.param("category"), region: SY.param("region"), status: SY.param("status"), period: SY.param("period") };

  $("#f-q").value = params.q;
  $("#f-status").value = SY.PUBLIC_STATUS[params.status] ? params.status : "";
  $("#f-period").value = /^(7|30|90|365)$/.test(params.period) ? params.period : "";

  // The category and township choices; the list does not wait for them.
  SY.load($("#filters-load"), function () {
    return Promise.all([
      SY.records("categories", { filter: "public = true", sort: "sort,name", perPage: 200, fields: "id,name" }),
      SY.records("regions", { filter: 'kind = "乡镇" || kind = "街道"', sort: "-kind,code", perPage: 200, fields: "id,name" })
    ]);
  }, function (res) {
    [[$("#f-category"), res[0].items, params.category], [$("#f-region"), res[1].items, params.region]].forEach(function (s) {
      s[0].replaceChildren(s[0].options[0]);
      s[1].forEach(function (r) { s[0].append(SY.el("option", { value: r.id }, r.name)); });
      s[0].value = s[2];
    });
  });

  function filter() {
    var parts = [];
    if (params.q) parts.push("(title ~ " + SY.quote(params.q) + " || content ~ " + SY.quote(params.q) + ")");
    if (params.category) parts.push("category = " + SY.quote(params.category));
    if (params.region) parts.push("region = " + SY.quote(params.region));
    var group = SY.PUBLIC_STATUS[params.status];
    if (group) parts.push("(" + group.states.map(function (s) { return "status = " + SY.quote(s); }).join(" || ") + ")");
    if (/^(7|30|90|365)$/.test(params.period)) parts.push("created >= " + SY.quote(SY.since(+params.period)));
    return parts.join(" && ");
  }

  SY.load($("#list"), function () {
    return SY.records("public_appeals", {
      filter: filter(), sort: "-created", page: SY.page(), perPage: 10,
      expand: "category,region", fields: SY.APPEAL_FIELDS
    });
  }, function (res, box) {
    var filtered = Object.keys(params).some(function (k) { return params[k]; });
    box.append(
      SY.list(res.items, SY.appealItem, filtered ? "没有符合条件的诉求，请换个条件试试。" : "暂无公开诉求。"),
      SY.pager(res, function (n) { return SY.withParam("page", n); }));
  });
})();
