// 承办单位工作台: a department's handlers work their cases here. The queue
// is the department's own tasks (GET /api/workbench/queue), kept live by
// PocketBase realtime (appeals, appeal_events, assignments); every change
// goes through the workflow action endpoint.
(function () {
  "use strict";
  var pb = ST.pb, el = ST.el;
  var me = null, dept = "";
  var VIEWS = {
    todo: ["dispatched", "handling", "suspended"],
    review: ["replied"],
    done: ["callback", "closed"]
  };
  var view = "todo";
  var cases = {};   // id -> appeal record of the current view
  var flags = {};   // id -> what happened since it was last opened (新派单, 催办, …)
  var openId = "";
  var queue = document.getElementById("queue");
  var detail = document.getElementById("detail");

  ST.signIn(["handler"], "此页面仅供承办单位人员使用；平台人员请使用平台工作台", function (m) {
    me = m;
    dept = m.department;
    document.getElementById("app").hidden = false;
    ST.bindSoundToggle(document.getElementById("sound"));
    if (!dept) {
      ST.fill(detail, el("p", { class: "form-error", role: "alert" }, "您的账号没有所属单位，请联系系统管理员"));
      return;
    }
    pb.collection("departments").getOne(dept).then(function (d) {
      document.getElementById("dept-name").textContent = " · " + d.name;
    }).catch(function () { /* the name is decoration */ });
    document.getElementById("view").addEventListener("change", function (ev) { view = ev.target.value; load(); });
    document.getElementById("mark-read").addEventListener("click", function () {
      flags = {};
      ST.markRead();
      render();
    });
    ST.arrowKeys(queue);
    ST.watchConnection();
    ST.onReconnect(function () { load(); if (openId) openCase(openId, true); });
    subscribe();
    load();
  });

  function myRole(a) {
    if (a.lead_department === dept) return "lead";
    if ((a.assisting_departments || []).indexOf(dept) >= 0) return "assist";
    return "";
  }

  // ---- the queue ----------------------------------------------------------

  // The queue comes from GET /api/workbench/queue: the department's own
  // tasks, most urgent deadline first (已办结: latest first), a page at a
  // time; realtime keeps the loaded rows current and adds new ones.
  var PER_PAGE = { todo: 100, review: 100, done: 30 };
  var next = "";    // cursor of the next page ("" when all are loaded)
  var loads = 0;

  function fetchPage(cursor) {
    return pb.send("/api/workbench/queue", { query: { view: view, perPage: PER_PAGE[view], cursor: cursor || "" } });
  }

  function load() {
    var token = ++loads;
    return fetchPage("").then(function (page) {
      if (token !== loads) return;
      cases = {};
      page.items.forEach(function (a) { cases[a.id] = a; });
      next = page.next;
      render();
    }).catch(function (err) {
      if (token !== loads) return;
      ST.fill(queue, el("li", { class: "form-error", role: "alert" }, "工单列表加载失败：" + ST.message(err)));
    });
  }

  function loadMore(button) {
    var token = loads;
    button.disabled = true;
    button.textContent = "正在加载…";
    fetchPage(next).then(function (page) {
      if (token !== loads) return;
      var added = {}, count = 0;
      page.items.forEach(function (a) {
        if (!cases[a.id]) { cases[a.id] = a; added[a.id] = true; count++; }
      });
      next = page.next;
      render();
      // The button is gone (disabling it already took the focus away): a
      // keyboard user goes on at the first case added, where the list grew.
      var first = Array.prototype.find.call(queue.querySelectorAll("button.case"), function (b) {
        return added[b.getAttribute("data-id")];
      });
      if (first) first.focus();
      ST.announce("已加载 " + count + " 条工单" + (next ? "" : "，已全部加载"));
    }).catch(function (err) {
      button.disabled = false;
      button.textContent = "加载更多";
      button.focus();
      ST.announce("加载失败：" + ST.message(err));
    });
  }

  function render() {
    var list = Object.keys(cases).map(function (id) { return cases[id]; });
    list.sort(view === "done" ? function (x, y) { return x.updated < y.updated ? 1 : -1; } : ST.byDeadline);
    var rows = list.map(function (a) {
      var role = myRole(a);
      return ST.caseRow(a, [
        el("span", { class: "tag" }, role === "lead" ? "主办" : "协办"),
        a.urge_count ? el("span", { class: "tag sla-warning" }, "催办 " + a.urge_count + " 次") : null,
        a.supervise_count ? el("span", { class: "tag sla-overdue" }, "督办 " + a.supervise_count + " 次") : null,
        flags[a.id] ? el("span", { class: "tag new" }, flags[a.id]) : null
      ], openCase);
    });
    if (!rows.length) rows = el("li", { class: "empty" }, view === "todo" ? "暂无待办工单。新派单会自动出现在这里。" : "暂无工单。");
    else if (next) rows.push(el("li", { class: "more" }, el("button", { type: "button", class: "btn btn-secondary", onclick: function (ev) { loadMore(ev.currentTarget); } }, "加载更多")));
    ST.fillQueue(queue, rows, openId, document.getElementById("queue-heading"));
  }

  // ---- realtime -------------------------------------------------------------

  var MESSAGES = {
    urge: "催办", sla_overdue: "超时催办", sla_warning: "即将超时预警", supervise: "督办",
    supplement: "诉求人补充了材料", send_back: "审核退回重办", approve_reply: "答复已审核通过",
    approve_extension: "延期申请已批准", approve_suspension: "挂起申请已批准", deny_request: "延期/挂起申请被驳回",
    resume: "恢复办理", rate: "回访评价", sign: "同事已签收", reply: "同事已答复", return: "同事已退单",
    request_extension: "同事申请了延期", request_suspension: "同事申请了挂起", assist_reply: "协办单位已答复",
    assist_sign: "协办单位已签收"
  };

  function subscribe() {
    ST.live("appeals", function (e) {
      var a = e.record;
      var old = cases[a.id];
      if (old && old.task) a.task = old.task; // the department's task comes with the assignments
      if (e.action !== "delete" && myRole(a) && VIEWS[view].indexOf(a.status) >= 0) cases[a.id] = a;
      else delete cases[a.id];
      render();
      if (a.id === openId) openCase(a.id, true);
    });
    ST.live("appeal_events", function (e) {
      if (e.action !== "create") return;
      var ev = e.record;
      var own = ev.actor_staff && ev.actor_staff === me.id;
      withAppeal(ev.appeal, function (a) {
        var what;
        if (ev.action === "dispatch" || ev.action === "redispatch") what = myRole(a) === "assist" ? "新协办任务" : "新派单";
        else what = MESSAGES[ev.action];
        if (what && !own) {
          flags[a.id] = what;
          ST.bump(what + "：" + a.ticket + " " + ST.clip(a.title, 30));
          render();
        }
        if (a.id === openId) openCase(a.id, true);
      });
    });
    // A department keeps seeing its own tasks after 退单 or 改派 (and only
    // those): this is how its other handlers learn that a case left them.
    // A task deleted (by maintenance code; never through the API) is
    // checked the same way.
    ST.live("assignments", function (e) {
      var t = e.record;
      if (t.department !== dept) return;
      if (e.action !== "delete" && t.status !== "returned" && t.status !== "cancelled") {
        ownTask(t);
        return;
      }
      pb.collection("appeals").getOne(t.appeal).then(function (a) {
        if (!myRole(a)) gone(t);
      }).catch(function () { gone(t); });
    });
  }

  // ownTask keeps a listed case's row on the department's own task (its
  // deadline orders the queue), as GET /api/workbench/queue gives it.
  function ownTask(t) {
    var a = cases[t.appeal];
    if (!a || (a.task && a.task.id !== t.id && t.role !== "lead")) return;
    a.task = { id: t.id, role: t.role, status: t.status, due: t.status === "pending" ? t.due_sign : t.status === "done" ? t.updated : t.due_finish };
    render();
  }

  function gone(t) {
    var a = cases[t.appeal];
    delete cases[t.appeal];
    delete flags[t.appeal];
    render();
    var what = t.status === "returned" ? "已退单，退回平台重新派单" : "已改派或撤回，本单位不再办理";
    if (a || t.appeal === openId) ST.announce("工单" + (a ? " " + a.ticket : "") + what);
    if (t.appeal === openId) {
      openId = "";
      ST.fill(detail, el("p", { class: "notice", role: "status" }, "该工单" + what + "。"));
    }
  }

  // withAppeal finds the case in the list or reads it (a case this view
  // does not show, or one that just arrived).
  function withAppeal(id, f) {
    if (cases[id]) { f(cases[id]); return; }
    pb.collection("appeals").getOne(id).then(f).catch(function () { /* no longer ours */ });
  }

  // ---- the case -------------------------------------------------------------

  function openCase(id, refresh) {
    if (!refresh) {
      openId = id;
      delete flags[id];
      render();
    }
    ST.showCase(detail, id, {
      fresh: !refresh,
      current: function () { return openId === id; },
      render: function (c) {
        var role = myRole(c.appeal);
        var actions = ST.renderCase(detail, c, { contact: role === "lead" });
        if (role === "assist") actions.before(el("p", { class: "muted" }, "本单位为协办单位：协办单位不能查看诉求人联系方式，请将协办意见答复主办单位。"));
        addActions(actions, c, role);
      },
      failed: function (err) {
        if (err && err.status === 404) {
          delete cases[id];
          render();
        }
      }
    });
  }

  function reopen() { openCase(openId, true); }

  // qualityHints checks the 答复 as it is written (POST
  // /api/analytics/reply-quality, 0.8 s after the last keystroke) and shows
  // the score and the reasons — 形式主义 and the rest — beside the form,
  // read out politely by screen readers. The check never blocks sending.
  function qualityHints(appealId, form) {
    var area = form.querySelector('textarea[name="content"]');
    var box = el("div", { class: "quality-live", id: "reply-quality", "aria-live": "polite", "aria-atomic": "true" },
      el("p", { class: "muted" }, "输入答复后，系统会提示答复是否切题、完整、有依据、具体、及时，并提示疑似形式主义的写法。"));
    area.closest(".field").after(box);
    var timer = null, seq = 0;
    area.addEventListener("input", function () {
      clearTimeout(timer);
      var text = area.value.trim();
      if (text.length < 2) return;
      timer = setTimeout(function () {
        var mine = ++seq;
        pb.send("/api/analytics/reply-quality", { method: "POST", body: { appeal: appealId, content: area.value } }).then(function (q) {
          if (mine === seq) ST.fill(box, ST.qualityView(q, "答复质量评估"));
        }).catch(function (err) {
          if (mine === seq) ST.fill(box, el("p", { class: "muted" }, "答复质量评估暂不可用：" + ST.message(err)));
        });
      }, 800);
    });
    return form;
  }

  function addActions(box, c, role) {
    var a = c.appeal, s = a.status, id = a.id;
    var who = role === "lead" ? "handler:lead" : "handler:assist";
    var can = function (name) { return ST.can(name, who, s); };
    var pending = c.requests.some(function (r) { return r.status === "pending"; });
    var mine = c.assignments.filter(function (t) {
      return t.department === dept && ["pending", "signed", "replied"].indexOf(t.status) >= 0;
    })[0];
    var forms = [];

    if (can("sign")) {
      forms.push(ST.actionForm(id, "sign", {
        title: "签收",
        intro: el("p", { class: "muted" }, "签收后开始计算办结时限；如不属于本单位职责，请在退单时限内退单。"),
        failed: function (err, form) {
          if (err && err.status === 409) {
            // Two handlers signing at once: the engine lets one win.
            err.response = { message: "签收失败：该工单已由本单位其他人员签收（或状态已变化），无需重复签收。" + (err.response && err.response.message ? "（" + err.response.message + "）" : "") };
            setTimeout(reopen, 1500);
          }
        },
        done: reopen
      }));
    }
    if (can("assist_sign") && mine && mine.role === "assist" && mine.status === "pending") {
      forms.push(ST.actionForm(id, "assist_sign", { title: "协办签收", done: reopen }));
    }
    if (can("reply")) {
      forms.push(qualityHints(id, ST.actionForm(id, "reply", {
        title: "答复",
        intro: el("div", { class: "warnbox" }, el("strong", null, "答复要点："),
          "写明核查情况、办理过程、处理结果和政策依据；不能解决的说明原因和后续安排；请勿写入诉求人的姓名和电话。答复经平台审核后告知诉求人。"),
        fields: [
          { name: "content", label: "答复内容", type: "textarea", required: true, rows: 6, hint: "至少 10 个字" },
          { name: "attachments", label: "附件（现场照片、文件，最多 9 个）", type: "file" }
        ],
        done: reopen
      })));
    }
    if (can("assist_reply") && mine && mine.role === "assist" && mine.status !== "pending") {
      forms.push(ST.actionForm(id, "assist_reply", {
        title: "协办答复（答复主办单位）",
        fields: [
          { name: "content", label: "协办意见", type: "textarea", required: true, rows: 5, hint: "写明本单位的核查和办理情况，至少 10 个字" },
          { name: "attachments", label: "附件（最多 9 个）", type: "file" }
        ],
        done: reopen
      }));
    }
    if (can("resume")) forms.push(ST.actionForm(id, "resume", { title: "恢复办理", done: reopen }));
    if (can("request_extension") && !pending) {
      forms.push(ST.actionForm(id, "request_extension", {
        title: "申请延期",
        intro: el("p", { class: "muted" }, "每件工单只能延期一次，须在办结期限前申请，由平台审批。"),
        fields: [
          { name: "days", label: "延长的工作日数", type: "number", min: 1, step: 1, required: true },
          { name: "note", label: "延期理由", type: "textarea", required: true }
        ],
        numbers: ["days"], done: reopen
      }));
    }
    if (can("request_suspension") && !pending) {
      forms.push(ST.actionForm(id, "request_suspension", {
        title: "申请挂起",
        intro: el("p", { class: "muted" }, "如需等待司法鉴定、汛期停工等，经平台批准后暂停计时，恢复后继续计时。"),
        fields: [{ name: "note", label: "挂起理由", type: "textarea", required: true }],
        done: reopen
      }));
    }
    if (pending) box.append(el("p", { class: "warnbox" }, "已有延期/挂起申请待平台审批。"));
    if (can("return")) {
      forms.push(ST.actionForm(id, "return", {
        title: "退单",
        label: "退单",
        danger: true,
        confirm: "确定将该工单退回平台吗？退单后本单位将不能再查看该工单。",
        intro: el("p", { class: "muted" }, "仅限不属于本单位职责的诉求，须在退单时限内。"),
        fields: [{ name: "note", label: "退单理由", type: "textarea", required: true, hint: "说明为何不属于本单位职责，建议由哪个单位办理" }],
        done: function () {
          delete cases[id];
          openId = "";
          render();
          ST.fill(detail, el("p", { class: "notice", role: "status" }, "已退单，工单已退回平台重新派单。"));
        }
      }));
    }
    if (!forms.length && VIEWS.todo.indexOf(s) < 0) {
      box.append(el("p", { class: "muted" }, s === "replied" ? "答复已提交，等待平台审核。" : "本工单当前无需本单位操作。"));
    }
    forms.forEach(function (f) { box.append(f); });
  }
})();
