// 我的诉求 (mine.html): the signed-in resident's cases
// (GET /api/residents/appeals), and one case (?id=, GET
// /api/residents/appeals/{id}) drawn by caseview.js, where the resident
// rates, adds material or withdraws with their account, no query code.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;
  var list = $("#list"), result = $("#result"), account = $("#account");
  var id = SY.param("id");
  var me = SY.session.get("resident");

  function askSignIn(message) {
    account.hidden = true;
    result.hidden = true;
    SY.fill(list, el("div", { class: "notice" },
      el("p", null, message || "请先登录，登录后可以查看您提交的全部诉求。"),
      el("a", { class: "btn", href: "signin.html?next=" + encodeURIComponent("mine.html" + location.search) }, "去登录")),
      el("p", { class: "muted" }, "不登录也可以凭受理编号和查询码", el("a", { href: "track.html" }, "查询进度"), "。"));
  }
  // a sign-in that expired while the page was open
  function orAskSignIn(err) {
    if (err.status === 401) { askSignIn("登录已过期，请重新登录。"); return true; }
    return false;
  }

  if (!me) { askSignIn(); return; }

  var out = el("button", { type: "button", class: "btn-secondary", id: "sign-out" }, "退出登录");
  out.addEventListener("click", function () {
    SY.session.clear("resident");
    location.href = "index.html";
  });
  SY.fill(account, el("p", null, "已登录：", el("strong", null, SY.accountName(me.record))), out);

  // ---- the list ----
  function item(a) {
    var todo = a.can_rate ? "待您评价" : "";
    return el("li", null,
      el("a", { class: "title", href: "mine.html?id=" + encodeURIComponent(a.id) }, a.title),
      el("div", { class: "meta" },
        el("span", null, a.ticket),
        el("span", { class: "badge " + (a.status === "closed" ? "ok" : a.can_rate ? "main" : "plain") }, a.status_label),
        el("span", null, a.kind_label),
        el("span", null, "提交于 " + SY.formatDate(a.created, true))),
      todo ? el("p", { class: "todo" }, "➜ " + todo) : null);
  }

  function showList() {
    SY.load(list, function () {
      return SY.api("/api/residents/appeals?page=" + SY.page());
    }, function (res, box) {
      if (!res.items.length) {
        box.append(el("p", { class: "empty" }, "您还没有诉求。"),
          el("p", null, el("a", { class: "btn", href: "submit.html" }, "我要留言")),
          el("p", { class: "muted" }, "登录前提交的诉求：用同一手机号验证码登录后，近 180 天内留的该号码的诉求会自动出现在这里；其他的可以凭受理编号和查询码", el("a", { href: "track.html" }, "查询"), "。"));
        return;
      }
      box.append(el("ul", { class: "case-list" }, res.items.map(item)),
        SY.pager(res, function (n) { return SY.withParam("page", n); }));
    }).then(function () {
      var err = list.querySelector(".alert");
      if (err && !SY.session.get("resident")) askSignIn("登录已过期，请重新登录。");
    });
  }

  // ---- one case ----
  function showCase(focus) {
    list.replaceChildren(el("p", { class: "breadcrumb" }, el("a", { href: "mine.html" }, "← 返回我的诉求列表")));
    var status = el("div");
    list.append(status);
    status.replaceChildren(SY.loading());
    return SY.api("/api/residents/appeals/" + encodeURIComponent(id)).then(function (v) {
      status.replaceChildren();
      view.render(v);
      if (focus) SY.focus(result);
    }, function (err) {
      view.hide();
      if (orAskSignIn(err)) return;
      status.replaceChildren(SY.errorBox(err, err.network ? function () { showCase(true); } : null));
    });
  }

  var view = id ? SY.CaseView({
    result: result,
    act: function (action, body, timeout) { return SY.sendAction(id, action, body, null, timeout); },
    reload: function () { return showCase(true); }
  }) : null;

  if (id) showCase(false); else showList();
})();
