// 数据看板: the county's figures for supervisors, operators and admins —
// intake and closures over time, 三率 and 按时办结率 by department, the
// current overdue and at-risk cases, hotspots with their cases, and the
// cases by township. Every figure comes from GET /api/analytics/metrics
// (docs/metrics.md), GET /api/sla/board and GET /api/analytics/hotspots;
// every chart (vendor/chartjs) has a table with the same numbers, so the
// page reads the same without the pictures.
(function () {
  "use strict";
  var pb = ST.pb, el = ST.el;
  var charts = {};
  var month = "";

  ST.signIn(["supervisor", "operator", "admin"], "数据看板仅供平台和督办人员使用；承办单位请在承办单位工作台查看本单位工单", function () {
    if (window.Chart) {
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.animation = false; // figures, not motion (and prefers-reduced-motion)
    }
    var q = new URLSearchParams(location.search);
    month = /^\d{4}-\d{2}$/.test(q.get("month") || "") ? q.get("month") : "";
    document.getElementById("period-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var v = document.getElementById("month").value;
      if (!/^\d{4}-\d{2}$/.test(v)) {
        document.getElementById("dash-error").textContent = "请选择统计月份";
        return;
      }
      month = v;
      history.replaceState(null, "", "?month=" + month);
      load();
    });
    load();
    hotspots();
    risk();
  });

  // ---- helpers --------------------------------------------------------------

  function metrics(query) {
    return pb.send("/api/analytics/metrics", { query: query });
  }
  function pct(r) {
    if (!r || r.rate === null || r.rate === undefined) return "—";
    return r.rate.toFixed(1) + "%（" + r.count + "/" + r.base + "）";
  }
  function rateValue(r) { return r && typeof r.rate === "number" ? r.rate : null; }
  function table(node, head, rows, empty) {
    ST.fill(node,
      el("thead", null, el("tr", null, head.map(function (h) { return el("th", { scope: "col" }, h); }))),
      el("tbody", null, rows.length ? rows.map(function (r) {
        return el("tr", null, r.map(function (c, i) { return i === 0 ? el("th", { scope: "row" }, c) : el("td", null, c); }));
      }) : el("tr", null, el("td", { colspan: head.length }, empty || "暂无数据"))));
  }
  // draw replaces the chart on canvas id; summary is its short description
  // (the table under it has the numbers).
  var COLORS = ["#1f4e8c", "#c2410c", "#1d6b33", "#7a4b00", "#6b21a8"];
  function draw(id, type, labels, sets, opts, summary) {
    var canvas = document.getElementById(id);
    canvas.setAttribute("aria-label", summary);
    if (charts[id]) charts[id].destroy();
    if (!window.Chart) return;
    charts[id] = new Chart(canvas, {
      type: type,
      data: {
        labels: labels,
        datasets: sets.map(function (s, i) {
          return Object.assign({ backgroundColor: COLORS[i % COLORS.length], borderColor: COLORS[i % COLORS.length], borderWidth: 2 }, s);
        })
      },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } }, opts || {})
    });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
  function fail(err) {
    document.getElementById("dash-error").textContent = "数据加载失败：" + ST.message(err);
  }

  // ---- the month's figures ----------------------------------------------------

  function load() {
    document.getElementById("dash-error").textContent = "";
    var period = month ? { month: month } : {};
    metrics(Object.assign({ by: "department" }, period)).then(function (f) {
      month = f.period;
      document.getElementById("month").value = month;
      document.getElementById("report-link").href = "report.html?month=" + month;
      summary(f.total);
      asOf(f.as_of, f.open_as_of);
      departments(f);
      return Promise.all([trend(), daily(), townships()]);
    }).catch(fail);
  }

  // asOf shows when the figures were last brought up to date (the roll-up
  // refreshes every minute): 数据截至 HH:MM, and when 在办/超期 were
  // counted (the same job's snapshot), China time.
  function asOf(s, open) {
    var node = document.getElementById("as-of");
    var at = hhmm(s);
    if (!at) { node.textContent = ""; return; }
    node.textContent = "数据截至 " + at + "（在办、超期截至 " + (hhmm(open) || at) + "）";
  }

  function hhmm(s) {
    var t = new Date(String(s || "").replace(" ", "T"));
    if (isNaN(t.getTime())) return "";
    var cn = new Date(t.getTime() + 8 * 3600 * 1000);
    return pad(cn.getUTCHours()) + ":" + pad(cn.getUTCMinutes());
  }

  function summary(t) {
    var items = [
      ["来件量", t.received + " 件"], ["办结量", t.closed + " 件"], ["在办", t.open + " 件"], ["超期（在办）", t.overdue + " 件"],
      ["响应率", pct(t.response)], ["解决率", pct(t.resolution)], ["满意率", pct(t.satisfaction)], ["按时办结率", pct(t.on_time)],
      ["一次办结率", pct(t.first_time)], ["重复诉求率", pct(t.repeat)],
      ["平均办理时长", t.handling_days === null ? "—" : t.handling_days + " 个工作日（" + t.handled + " 件）"]
    ];
    ST.fill(document.getElementById("summary"), items.map(function (it) {
      return el("div", { class: "stat" }, el("dt", null, it[0]), el("dd", null, it[1]));
    }));
  }

  function departments(f) {
    var rows = f.rows.filter(function (r) { return r.key !== ""; });
    table(document.getElementById("depts-table"),
      ["承办单位", "来件", "办结", "响应率", "解决率", "满意率", "按时办结率", "一次办结率", "在办", "超期"],
      rows.map(function (r) {
        return [r.label, r.received, r.closed, pct(r.response), pct(r.resolution), pct(r.satisfaction), pct(r.on_time), pct(r.first_time), r.open, r.overdue];
      }), "本月没有派往承办单位的工单");
    draw("depts-chart", "bar", rows.map(function (r) { return r.label; }), [
      { label: "响应率", data: rows.map(function (r) { return rateValue(r.response); }) },
      { label: "满意率", data: rows.map(function (r) { return rateValue(r.satisfaction); }) },
      { label: "解决率", data: rows.map(function (r) { return rateValue(r.resolution); }) },
      { label: "按时办结率", data: rows.map(function (r) { return rateValue(r.on_time); }) }
    ], { scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } },
    f.period + " 各承办单位的响应率、满意率、解决率和按时办结率柱状图；数值见下表");
  }

  function trend() {
    var y = +month.slice(0, 4), m = +month.slice(5, 7);
    var start = new Date(Date.UTC(y, m - 12, 1));
    var from = start.getUTCFullYear() + "-" + pad(start.getUTCMonth() + 1) + "-01";
    var to = month + "-" + pad(lastDay(y, m));
    return metrics({ by: "month", from: from, to: to }).then(function (f) {
      var byKey = {};
      f.rows.forEach(function (r) { byKey[r.key] = r; });
      var keys = [];
      for (var i = 0; i < 12; i++) {
        var d = new Date(Date.UTC(y, m - 12 + i, 1));
        keys.push(d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1));
      }
      var rows = keys.map(function (k) { return byKey[k] || { key: k, received: 0, closed: 0 }; });
      document.getElementById("monthly-caption").textContent = "近 12 个月来件量和办结量（" + keys[0] + " 至 " + month + "）";
      table(document.getElementById("monthly-table"), ["月份", "来件量", "办结量", "满意率", "按时办结率"], rows.map(function (r) {
        return [r.key, r.received, r.closed, pct(r.satisfaction), pct(r.on_time)];
      }));
      draw("monthly-chart", "line", keys, [
        { label: "来件量", data: rows.map(function (r) { return r.received; }), tension: 0.2 },
        { label: "办结量", data: rows.map(function (r) { return r.closed; }), tension: 0.2, borderDash: [6, 4] }
      ], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, "近 12 个月来件量（实线）和办结量（虚线）折线图；数值见下表");
    });
  }

  function daily() {
    return metrics({ by: "day", month: month }).then(function (f) {
      var y = +month.slice(0, 4), m = +month.slice(5, 7);
      var byKey = {};
      f.rows.forEach(function (r) { byKey[r.key] = r; });
      var keys = [];
      for (var d = 1; d <= lastDay(y, m); d++) keys.push(month + "-" + pad(d));
      var rows = keys.map(function (k) { return byKey[k] || { key: k, received: 0, closed: 0 }; });
      document.getElementById("daily-caption").textContent = month + " 每日来件量和办结量";
      table(document.getElementById("daily-table"), ["日期", "来件量", "办结量"], rows.map(function (r) { return [r.key, r.received, r.closed]; }));
      draw("daily-chart", "bar", keys.map(function (k) { return k.slice(8); }), [
        { label: "来件量", data: rows.map(function (r) { return r.received; }) },
        { label: "办结量", data: rows.map(function (r) { return r.closed; }) }
      ], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, month + " 每日来件量和办结量柱状图；数值见「每日数据表」");
    });
  }

  function townships() {
    return metrics({ by: "township", month: month }).then(function (f) {
      var rows = f.rows;
      table(document.getElementById("town-table"), ["乡镇街道", "来件", "办结", "满意率", "在办", "超期"], rows.map(function (r) {
        return [r.label, r.received, r.closed, pct(r.satisfaction), r.open, r.overdue];
      }), "本月没有来件");
      var box = document.getElementById("town-chart").parentNode;
      box.style.height = Math.max(160, rows.length * 28 + 60) + "px";
      draw("town-chart", "bar", rows.map(function (r) { return r.label; }), [
        { label: "来件量", data: rows.map(function (r) { return r.received; }) }
      ], { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }, month + " 各乡镇街道来件量横向柱状图；数值见下表");
    });
  }

  // ---- now: overdue and at risk ------------------------------------------------

  function risk() {
    pb.send("/api/sla/board", {}).then(function (r) {
      var rows = r.departments;
      // the server keeps the board up to half a minute while nothing on it changes
      document.getElementById("risk-caption").textContent = "在办工单中已超时、即将超时的件数" + (hhmm(r.as_of) ? "（截至 " + hhmm(r.as_of) + "）" : "");
      table(document.getElementById("risk-table"), ["单位", "已超时", "即将超时", "最紧迫的工单"], rows.map(function (g) {
        var first = g.items[0];
        return [g.name, g.overdue + " 件", g.warning + " 件", first ? first.ticket + " " + ST.clip(first.title, 24) + "（" + first.sla.left_text + "）" : "—"];
      }), "目前没有超时或预警的工单");
      draw("risk-chart", "bar", rows.map(function (g) { return g.name; }), [
        { label: "已超时", data: rows.map(function (g) { return g.overdue; }) },
        { label: "即将超时", data: rows.map(function (g) { return g.warning; }) }
      ], { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }, "各单位已超时和即将超时工单的堆叠柱状图；数值见下表");
    }).catch(fail);
  }

  // ---- hotspots ------------------------------------------------------------------

  function hotspots() {
    pb.send("/api/analytics/hotspots", { query: { limit: 20 } }).then(function (r) {
      var t = document.getElementById("hot-table");
      ST.fill(t,
        el("thead", null, el("tr", null, ["热点", "件数", "诉求人", "近 7 天", "热度", "时间", ""].map(function (h) { return el("th", { scope: "col" }, h); }))),
        el("tbody", null, r.hotspots.length ? r.hotspots.map(function (h) {
          return el("tr", null, el("th", { scope: "row" }, h.title), el("td", null, h.count), el("td", null, h.residents), el("td", null, h.recent),
            el("td", null, h.heat.toFixed(1)), el("td", null, ST.fmt(h.first_at).slice(0, 5) + " 至 " + ST.fmt(h.last_at).slice(0, 5)),
            el("td", null, el("button", { type: "button", class: "secondary", "data-hotspot": h.id, onclick: function () { drill(h.id); } }, "查看工单")));
        }) : el("tr", null, el("td", { colspan: 7 }, "目前没有热点问题。"))));
      ST.fill(document.getElementById("hot-alerts"), r.alerts.length ? r.alerts.map(function (a) {
        return el("li", null, el("span", { class: "tag " + (a.kind === "new" ? "new" : "sla-warning") }, a.kind === "new" ? "新热点" : "快速增长"), " ", a.message, el("span", { class: "muted" }, "（" + ST.fmt(a.created) + "）"));
      }) : el("li", { class: "muted" }, "暂无预警。"));
    }).catch(function (err) {
      ST.fill(document.getElementById("hot-table"), el("caption", { class: "form-error", role: "alert" }, ST.message(err)));
    });
  }

  function drill(id) {
    var box = document.getElementById("hot-detail");
    ST.fill(box, el("p", { class: "muted", role: "status" }, "正在加载…"));
    pb.send("/api/analytics/hotspots/" + encodeURIComponent(id), {}).then(function (h) {
      var t = el("table", { class: "grid" });
      table(t, ["受理编号", "标题", "状态", "主办单位", "提交时间"], h.cases.map(function (c) {
        return [c.ticket, c.title, ST.status(c.status), c.department || "—", ST.fmt(c.created, true)];
      }), "该热点的工单已不存在");
      ST.fill(box, el("h3", { id: "hot-cases-title", tabindex: "-1" }, h.title + "：" + h.cases.length + " 件工单"),
        el("div", { class: "table-wrap" }, t));
      ST.$("#hot-cases-title", box).focus();
    }).catch(function (err) {
      ST.fill(box, el("p", { class: "form-error", role: "alert" }, ST.message(err)));
    });
  }
})();
