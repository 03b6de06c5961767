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

  // The list's filters (all but the keyword) as a PocketBase filter.
  function filter() {
    var parts = [];
    if (params.category) parts.push("category = " + SY.quote(params.category));
    if (params.region) parts.push("region = " + SY.quote(params.region));
    var group = SY.PUBLIC_STATUS[params.status];
    if (group) parts.push("(" + group.states.map(function (s) { return "status = " + SY.quote(s); }).join(" || ") + ")");
    // to the hour, so that the same choice is the same filter (and count) for an hour
    if (/^(7|30|90|365)$/.test(params.period)) parts.push("created >= " + SY.quote(periodStart()));
    return parts.join(" && ");
  }
  function periodStart() { return SY.since(+params.period).slice(0, 13) + ":00:00.000Z"; }

  // The rows come without a total (skipTotal: counting every public appeal
  // on each view is what made the list slow at scale); the pager's total
  // comes from /api/portal/public-appeals/count, kept by the server and
  // marked 约 when it predates the latest change. Both are asked without
  // the resident's sign-in: the list is the same for everyone, and the
  // server answers guests' hot pages from memory.
  function list(page) {
    var f = filter();
    return Promise.all([
      SY.api("/api/collections/public_appeals/records?" + new URLSearchParams({
        filter: f, sort: "-created", page: page, perPage: 10, skipTotal: 1,
        expand: "category,region", fields: SY.APPEAL_FIELDS
      }).toString(), { auth: false }),
      SY.api("/api/portal/public-appeals/count?" + new URLSearchParams({ filter: f }).toString(), { auth: false })
    ]).then(function (r) {
      var res = r[0], total = Math.max(r[1].totalItems, (page - 1) * 10 + res.items.length);
      res.totalItems = total;
      res.totalPages = Math.ceil(total / 10);
      res.approximate = !r[1].exact;
      return res;
    });
  }

  // A keyword is looked up in the index of every public appeal (title and
  // content), with the other filters; it answers its total and what it
  // searched.
  function searched(page) {
    var group = SY.PUBLIC_STATUS[params.status];
    return SY.searchAppeals(params.q, {
      page: page, perPage: 10, category: params.category, region: params.region,
      status: group ? group.states.join(",") : "",
      since: /^(7|30|90|365)$/.test(params.period) ? periodStart() : ""
    }).then(function (res) { res.searched = true; return res; });
  }

  SY.load($("#list"), function () {
    return params.q ? searched(SY.page()) : list(SY.page());
  }, function (res, box) {
    var filtered = Object.keys(params).some(function (k) { return params[k]; });
    if (res.searched) box.append(SY.searchScope(res));
    box.append(
      SY.list(res.items, SY.appealItem, filtered ? "没有符合条件的诉求，请换个条件试试。" : "暂无公开诉求。"),
      SY.pager(res, function (n) { return SY.withParam("page", n); }));
  });
})();
