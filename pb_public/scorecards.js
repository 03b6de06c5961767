// 互动评议 (scorecards.html?p=2026-11 or ?p=2026): the departments'
// 响应率, 按时办结率, 满意率, score and rank from GET /api/portal/scorecards.
// Departments with too few cases are shown as 样本不足, without rates.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;
  var select = $("#period");
  var chosen = SY.param("p");

  // The last twelve months and the last two years (China time).
  var today = SY.today().split("-"), y = +today[0], m = +today[1];
  for (var i = 0; i < 12; i++) {
    var mm = m - i, yy = y;
    while (mm < 1) { mm += 12; yy--; }
    var v = yy + "-" + (mm < 10 ? "0" : "") + mm;
    select.append(el("option", { value: v }, yy + "年" + mm + "月"));
  }
  select.append(el("option", { value: String(y) }, y + "年全年"), el("option", { value: String(y - 1) }, (y - 1) + "年全年"));
  if (chosen) select.value = chosen;

  function query() {
    if (/^\d{4}$/.test(chosen)) return "?year=" + chosen;
    if (/^\d{4}-\d{2}$/.test(chosen)) return "?period=" + chosen;
    return "";
  }

  function rate(r) {
    if (!r || r.rate === null || r.rate === undefined) return el("span", null, "暂无数据");
    var bar = el("span");
    bar.style.width = Math.max(0, Math.min(100, r.rate)) + "%";
    return [el("span", { class: "meter", "aria-hidden": "true" }, bar), el("span", null, r.rate + "%（" + r.count + "/" + r.base + "）")];
  }

  function periodLabel(p) {
    var parts = String(p || "").split("-");
    return parts.length === 2 ? parts[0] + "年" + (+parts[1]) + "月" : parts[0] + "年全年";
  }

  SY.load($("#list"), function () { return SY.api("/api/portal/scorecards" + query()); }, function (s, box) {
    if (s.period && select.querySelector('option[value="' + s.period + '"]')) select.value = s.period;
    $("#list-title").textContent = periodLabel(s.period) + "单位排名";
    if (s.weights) {
      $("#method-score").textContent = "综合得分 = " + s.weights.response + " × 响应率 + " + s.weights.on_time + " × 按时办结率 + " +
        s.weights.satisfaction + " × 满意率（没有数据的比率不计入，权重按比例调整）。";
    }
    if (s.min_cases) $("#method-min").textContent = "本期办件少于 " + s.min_cases + " 件的单位显示“样本不足”，不计算比率，也不参与排名。";
    var list = s.departments || [];
    if (!list.length) { box.append(el("p", { class: "empty" }, "本期暂无单位办理诉求。")); return; }
    box.append(el("ol", { class: "scores" }, list.map(function (d) {
      var head = el("h3", null,
        el("span", { class: "rank" }, d.insufficient ? "—" : d.rank ? "第 " + d.rank + " 名" : "未排名"),
        d.name, d.kind ? [" ", el("span", { class: "badge plain" }, d.kind)] : null);
      if (d.insufficient) {
        return el("li", { class: "insufficient" }, head,
          el("p", null, el("strong", null, "样本不足"), "：本期办件 " + d.cases + " 件，少于 " + (s.min_cases || 3) + " 件，暂不评价。"));
      }
      return el("li", null, head,
        el("p", { class: "muted" }, "本期办件 " + d.cases + " 件"),
        el("dl", null,
          el("dt", null, "响应率"), el("dd", null, rate(d.response)),
          el("dt", null, "按时办结率"), el("dd", null, rate(d.on_time)),
          el("dt", null, "满意率"), el("dd", null, rate(d.satisfaction)),
          el("dt", null, "综合得分"), el("dd", null, el("strong", null, d.score === null || d.score === undefined ? "暂无" : String(d.score)))));
    })));
  });
})();
