// 督办视图: at-risk (预警) and overdue (超时) cases per department from
// GET /api/sla/board, and each department's 三率 (响应率, 按时办结率, 满意率)
// for a month from GET /api/portal/scorecards — the same formulas as the
// public 互动评议 page. Supervisors 督办 from the case detail.
(function () {
  "use strict";
  var pb = ST.pb, el = ST.el;
  var me = null, openId = "";
  var board = document.getElementById("board");
  var detail = document.getElementById("detail");

  ST.signIn(["supervisor", "admin", "operator"], "此页面仅供平台和督办人员使用", function (m) {
    me = m;
    var period = document.getElementById("period");
    var now = new Date(Date.now() + 8 * 3600 * 1000);
    period.value = now.getUTCFullYear() + "-" + String(now.getUTCMonth() + 1).padStart(2, "0");
    document.getElementById("period-form").addEventListener("submit", function (ev) { ev.preventDefault(); rates(); });
    ST.watchConnection();
    ST.onReconnect(loadBoard);
    var timer = null;
    ST.live("appeals", function (e) {
      clearTimeout(timer);
      timer = setTimeout(loadBoard, 200);
      if (e.record.id === openId) open(openId, true);
    });
    ST.live("appeal_events", function (e) {
      if (e.action === "create" && e.record.action === "sla_overdue") {
        pb.collection("appeals").getOne(e.record.appeal).then(function (a) { ST.bump("工单超时：" + a.ticket + " " + ST.clip(a.title, 30)); }).catch(function () {});
      }
    });
    rates();
    loadBoard();
  });

  function pct(r) {
    if (!r || r.rate === null || r.rate === undefined) return "—";
    return r.rate.toFixed(1) + "%（" + r.count + "/" + r.base + "）";
  }

  function rates() {
    var period = document.getElementById("period").value;
    var table = document.getElementById("rates");
    pb.send("/api/portal/scorecards", { query: period ? { period: period } : {} }).then(function (s) {
      document.getElementById("rates-note").textContent = s.period + "：响应率 = 按时签收数 / 应签收数；按时办结率 = 期限内答复数 / 答复数；满意率 = 满意和非常满意数 / 参评数（基本满意不计入）。" +
        "案件少于 " + s.min_cases + " 件的单位不计算比率。";
      ST.fill(table,
        el("thead", null, el("tr", null, ["单位", "案件数", "响应率", "按时办结率", "满意率", "综合得分", "排名"].map(function (h) { return el("th", { scope: "col" }, h); }))),
        el("tbody", null, s.departments.length ? s.departments.map(function (d) {
          return el("tr", null, el("th", { scope: "row" }, d.name), el("td", null, d.cases),
            el("td", null, d.insufficient ? "案件不足" : pct(d.response)), el("td", null, d.insufficient ? "案件不足" : pct(d.on_time)),
            el("td", null, d.insufficient ? "案件不足" : pct(d.satisfaction)), el("td", null, d.score === null || d.score === undefined ? "—" : d.score.toFixed(1)),
            el("td", null, d.rank ? "第 " + d.rank + " 名" : "—"));
        }) : el("tr", null, el("td", { colspan: 7 }, "该时段没有派单。"))));
    }).catch(function (err) {
      ST.fill(table, el("caption", { class: "form-error", role: "alert" }, ST.message(err)));
    });
  }

  function loadBoard() {
    pb.send("/api/sla/board", {}).then(function (r) {
      // the server keeps the board up to half a minute while nothing on it changes
      document.getElementById("board-as-of").textContent = r.as_of ? "剩余时间截至 " + ST.fmt(r.as_of).slice(-5) + "。" : "";
      if (!r.departments.length) {
        ST.fill(board, el("p", { class: "empty" }, "目前没有预警或超时的工单。"));
        return;
      }
      ST.fill(board, r.departments.map(function (g) {
        var list = el("ul", { class: "queue" }, g.items.map(function (it) {
          var word = it.sla.state === "overdue" ? "已超时" : "即将超时";
          return el("li", null, el("button", { type: "button", class: "case sla-" + it.sla.state, "data-id": it.id, onclick: function () { open(it.id); } },
            el("span", { class: "title" }, it.title),
            el("span", { class: "meta" }, el("span", null, it.ticket), el("span", null, ST.status(it.status)),
              el("span", { class: "tag sla-" + it.sla.state }, word), el("span", null, it.sla.stage_label + "：" + it.sla.left_text))));
        }));
        ST.arrowKeys(list);
        return el("section", { class: "dept", "aria-label": g.name },
          el("h3", null, g.name + "：超时 " + g.overdue + " 件，预警 " + g.warning + " 件"), list);
      }));
      if (openId) board.querySelectorAll('button[data-id="' + openId + '"]').forEach(function (b) { b.setAttribute("aria-current", "true"); });
    }).catch(function (err) {
      ST.fill(board, el("p", { class: "form-error", role: "alert" }, ST.message(err)));
    });
  }

  function open(id, refresh) {
    openId = id;
    ST.loadCase(id, true).then(function (c) {
      var box = ST.renderCase(detail, c, { contact: false });
      var s = c.appeal.status;
      if (ST.can("supervise", me.role, s)) {
        box.append(ST.actionForm(id, "supervise", { title: "督办", fields: [{ name: "note", label: "督办意见", type: "textarea", required: true }], done: function () { open(id, true); } }));
      } else if (ST.can("urge", me.role, s)) {
        box.append(ST.actionForm(id, "urge", { title: "催办", fields: [{ name: "note", label: "催办意见", type: "textarea" }], done: function () { open(id, true); } }));
      }
      if (!refresh) ST.$("#case-title", detail).focus();
    }).catch(function (err) {
      ST.fill(detail, el("p", { class: "form-error", role: "alert" }, ST.message(err)));
    });
  }
})();
