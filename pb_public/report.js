// 月度报告: the monthly report of the county or of one department (GET
// /api/analytics/reports/monthly), laid out for reading and printing
// (print CSS in staff.css), and the same report as an Excel workbook (GET
// /api/analytics/reports/monthly.xlsx). A department's handlers get their
// own department's report; the platform chooses the county or a department.
(function () {
  "use strict";
  var pb = ST.pb, el = ST.el;
  var central = false;

  ST.signIn(["supervisor", "operator", "admin", "handler"], "", function (me) {
    central = me.role !== "handler";
    var q = new URLSearchParams(location.search);
    if (/^\d{4}-\d{2}$/.test(q.get("month") || "")) document.getElementById("month").value = q.get("month");
    var select = document.getElementById("department");
    if (!central) {
      document.getElementById("dept-field").hidden = true;
      document.getElementById("dash-link").hidden = true;
    } else {
      ST.departments().then(function (ds) {
        ST.fill(select, el("option", { value: "" }, "全县"), ds.map(function (d) { return el("option", { value: d.id }, d.name); }));
        select.value = q.get("department") || "";
      }).catch(function () { ST.fill(select, el("option", { value: "" }, "全县")); });
    }
    document.getElementById("report-form").addEventListener("submit", function (ev) { ev.preventDefault(); load(); });
    document.getElementById("print").addEventListener("click", function () { window.print(); });
    document.getElementById("xlsx").addEventListener("click", function () {
      var status = document.getElementById("report-status");
      status.textContent = "正在生成 Excel…";
      ST.download("/api/analytics/reports/monthly.xlsx", params()).then(function (name) {
        status.textContent = "已下载：" + name;
      }).catch(function (err) {
        status.textContent = "";
        document.getElementById("report-error").textContent = "下载失败：" + ST.message(err);
      });
    });
    load();
  });

  function params() {
    var p = { month: document.getElementById("month").value };
    if (central) p.department = document.getElementById("department").value || new URLSearchParams(location.search).get("department") || "";
    return p;
  }

  function pct(r) {
    if (!r || r.rate === null || r.rate === undefined) return "—";
    return r.rate.toFixed(1) + "%（" + r.count + "/" + r.base + "）";
  }
  function grid(caption, head, rows, empty) {
    return el("div", { class: "table-wrap" }, el("table", { class: "grid" },
      el("caption", null, caption),
      el("thead", null, el("tr", null, head.map(function (h) { return el("th", { scope: "col" }, h); }))),
      el("tbody", null, rows.length ? rows.map(function (r) {
        return el("tr", null, r.map(function (c, i) { return i === 0 ? el("th", { scope: "row" }, c) : el("td", null, c); }));
      }) : el("tr", null, el("td", { colspan: head.length }, empty)))));
  }
  var HEAD = ["", "来件", "办结", "响应率", "解决率", "满意率", "按时办结率", "一次办结率", "在办", "超期"];
  function rowCells(r) {
    return [r.label, r.received, r.closed, pct(r.response), pct(r.resolution), pct(r.satisfaction), pct(r.on_time), pct(r.first_time), r.open, r.overdue];
  }
  function breakdown(caption, first, rows) {
    return grid(caption, [first].concat(HEAD.slice(1)), rows.map(rowCells), "本月没有数据");
  }

  function load() {
    document.getElementById("report-error").textContent = "";
    var p = params();
    var box = document.getElementById("report");
    pb.send("/api/analytics/reports/monthly", { query: p }).then(function (r) {
      document.getElementById("month").value = r.period;
      document.title = r.title + " — 泗阳网络直通车";
      var search = "?month=" + r.period + (r.department && central ? "&department=" + r.department : "");
      history.replaceState(null, "", search);
      var t = r.total;
      ST.fill(box,
        el("h2", { id: "report-title", tabindex: "-1" }, r.title),
        el("p", { class: "muted", id: "as-of" }, "生成时间 " + r.generated_at + "（热点、超期工单截至此时，随统计每分钟更新），数据截至 " + r.as_of.slice(11) + "（在办、超期截至 " + (r.open_as_of || r.as_of).slice(11) + "）。"),
        el("h3", null, "一、主要指标"),
        grid("主要指标", ["指标", "数值"], [
          ["来件量", t.received + " 件"], ["办结量", t.closed + " 件"], ["在办", t.open + " 件"], ["超期（在办）", t.overdue + " 件"],
          ["响应率", pct(t.response)], ["解决率", pct(t.resolution)], ["满意率", pct(t.satisfaction)], ["按时办结率", pct(t.on_time)],
          ["一次办结率", pct(t.first_time)], ["重复诉求率", pct(t.repeat)],
          ["平均办理时长", t.handling_days === null ? "—" : t.handling_days + " 个工作日（" + t.handled + " 件）"]
        ], ""),
        r.department ? null : [el("h3", null, "二、各承办单位"), breakdown("各承办单位", "承办单位", r.by_department)],
        el("h3", null, (r.department ? "二" : "三") + "、诉求分类和乡镇街道"),
        breakdown("各诉求分类", "诉求分类", r.by_category),
        breakdown("各乡镇街道（按诉求所在地）", "乡镇街道", r.by_township),
        el("h3", null, (r.department ? "三" : "四") + "、热点问题"),
        grid("热点问题（按热度）", ["热点", "件数", "范围内件数", "诉求人数", "近 7 天", "热度", "时间"], r.hotspots.map(function (h) {
          return [h.title, h.count, h.cases, h.residents, h.recent, h.heat.toFixed(1), h.first_at + " 至 " + h.last_at];
        }), "没有热点问题"),
        el("h3", null, (r.department ? "四" : "五") + "、超期最严重的工单"),
        grid("超期工单（在办超期，或本月超期答复）", ["受理编号", "标题", "主办单位", "状态", "超期环节", "期限", "答复时间", "超期天数"], r.overdue.map(function (c) {
          return [c.ticket, c.title, c.department || "—", ST.status(c.status), c.stage, c.due, c.replied || "尚未答复", c.days_late + " 天"];
        }), "没有超期工单"));
    }).catch(function (err) {
      ST.fill(box, el("h2", { id: "report-title" }, "报告生成失败"), el("p", { class: "form-error", role: "alert" }, ST.message(err)));
    });
  }
})();
