// 平台工作台: the platform's operators run the loop here — review, dispatch,
// 退单 and 改派, 延期/挂起 approvals, reply review, 回访, 催办, search, 代录
// and the knowledge base. Queues stay live through PocketBase realtime;
// every change of a case goes through /api/appeals/{id}/actions/{action}.
(function () {
  "use strict";
  var pb = ST.pb, el = ST.el;
  var me = null, role = "";
  var depts = [], categories = [], regions = [];
  var tab = "review", openId = "";
  var queue = document.getElementById("queue");
  var detail = document.getElementById("detail");
  var tool = document.getElementById("tool");

  function statusFilter(list) { return list.map(function (s) { return 'status = "' + s + '"'; }).join(" || "); }

  // The queues: what each lists, in which order, and what it is called.
  var QUEUES = {
    review: { title: "待受理", note: "按紧急程度和提交时间排列：疑似紧急、紧急的在前，先到先办。",
      filter: 'status = "submitted"', sort: "-urgent_flag,-priority,created" },
    dispatch: { title: "待派单", note: "已受理、待选择主办和协办单位的工单。",
      filter: 'status = "accepted"', sort: "-priority,accepted_at" },
    returned: { title: "退单改派", note: "承办单位退回的工单，请核实理由后重新派单。",
      exportFilter: 'status = "accepted" && assignments_via_appeal.status ?= "returned"', sort: "-updated" },
    requests: { title: "延期/挂起审批", note: "承办单位提交的延期、挂起申请，按提交先后排列。",
      exportFilter: 'extensions_via_appeal.status ?= "pending"', sort: "created" },
    replies: { title: "答复审核", note: "承办单位已答复，审核通过后进入回访；不合格的退回重办。",
      filter: 'status = "replied"', sort: "replied_at" },
    callback: { title: "回访", note: "按回访期限排列。电话回访后记录五级满意度。",
      filter: 'status = "callback"', sort: "due_callback" },
    inhand: { title: "在办催办", note: "办理中的工单，按期限排列；可催办、改派。",
      filter: statusFilter(["dispatched", "handling", "suspended"]), sort: "sla_due_at" },
    search: { title: "查询工单", note: "按受理编号、关键词、状态或承办单位查询全部工单。" },
    register: { title: "代录诉求", note: "为来电、来信、来访的群众登记诉求。" },
    knowledge: { title: "知识库", note: "维护知识库条目：公开的条目会在居民留言前作为相似问答推荐。" }
  };

  ST.signIn(["operator", "supervisor", "admin"], "此页面仅供平台人员使用；承办单位请使用承办单位工作台", function (m) {
    me = m;
    role = m.role;
    ST.bindSoundToggle(document.getElementById("sound"));
    Promise.all([
      ST.departments(),
      pb.collection("categories").getFullList({ sort: "sort,name" }),
      pb.collection("regions").getFullList({ sort: "name" })
    ]).then(function (r) {
      depts = r[0]; categories = r[1]; regions = r[2];
    }).catch(function (err) {
      ST.fill(detail, el("p", { class: "form-error", role: "alert" }, "基础数据加载失败：" + ST.message(err)));
    }).then(function () {
      document.getElementById("tabs").addEventListener("click", function (ev) {
        var b = ev.target.closest("button[data-tab]");
        if (b) show(b.getAttribute("data-tab"), true);
      });
      ST.arrowKeys(queue);
      ST.watchConnection();
      ST.onReconnect(function () { reload(); counts(); });
      subscribe();
      var start = (location.hash || "").slice(1);
      show(QUEUES[start] ? start : "review", false);
      counts();
    });
  });

  // ---- tabs and queues ------------------------------------------------------

  function show(name, focus) {
    tab = name;
    document.querySelectorAll("#tabs button").forEach(function (b) {
      if (b.getAttribute("data-tab") === name) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    });
    document.getElementById("queue-heading").textContent = QUEUES[name].title;
    document.getElementById("queue-note").textContent = QUEUES[name].note;
    history.replaceState(null, "", "#" + name);
    var q = QUEUES[name];
    exportList = q.filter || q.exportFilter ? { filter: q.filter || q.exportFilter, sort: q.sort, title: q.title } : null;
    exportBox();
    tool.replaceChildren();
    queue.replaceChildren();
    if (name === "search") searchTool();
    else if (name === "register") registerTool();
    else if (name === "knowledge") knowledgeTool();
    else reload();
    if (focus) document.getElementById("queue-heading").focus();
  }

  function reload() {
    var q = QUEUES[tab];
    var req;
    if (tab === "returned") req = returnedList();
    else if (tab === "requests") req = requestList();
    else if (q.filter) req = pb.collection("appeals").getList(1, 200, { filter: q.filter, sort: q.sort, expand: "lead_department" }).then(function (r) { return r.items.map(function (a) { return { appeal: a }; }); });
    else return;
    if (tab === "replies") req = req.then(withReplyQuality);
    var current = tab;
    req.then(function (rows) {
      if (current !== tab) return;
      if (tab === "inhand") rows.sort(function (x, y) { return ST.byDeadline(x.appeal, y.appeal); });
      renderRows(rows);
    }).catch(function (err) {
      ST.fill(queue, el("li", { class: "form-error", role: "alert" }, "队列加载失败：" + ST.message(err)));
    });
  }

  function renderRows(rows) {
    ST.fillQueue(queue, rows.length ? rows.map(function (r) {
      var a = r.appeal;
      return ST.caseRow(a, [
        el("span", null, ST.kind(a.kind)),
        ST.relName(a, "lead_department") ? el("span", null, "主办：" + ST.relName(a, "lead_department")) : null,
        r.extra || null
      ], open);
    }) : el("li", { class: "empty" }, "队列为空。新的工单会自动出现在这里。"), openId, document.getElementById("queue-heading"));
  }

  // ---- export to Excel --------------------------------------------------------

  // exportList is the list on screen as the server's export takes it: the
  // same filter and sort (GET /api/analytics/exports/cases.xlsx, audited).
  // Contact data only when ticked, and each export says so in the audit log.
  var exportList = null;
  function exportBox() {
    var box = document.getElementById("export-box");
    if (!box) {
      box = el("div", { id: "export-box", class: "row export" });
      queue.after(box); // after the rows: Tab from the heading still reaches the first case
    }
    if (!exportList) { box.hidden = true; return; }
    box.hidden = false;
    var contact = el("input", { type: "checkbox", id: "export-contact" });
    var status = el("p", { class: "muted", role: "status", id: "export-status" });
    var button = el("button", { type: "button", class: "secondary", id: "export-xlsx", onclick: function () {
      var list = exportList;
      button.disabled = true;
      status.textContent = "正在导出…";
      ST.download("/api/analytics/exports/cases.xlsx", { filter: list.filter, sort: list.sort, title: list.title, contact: contact.checked ? "1" : "" }).then(function (name) {
        status.textContent = "已导出「" + list.title + "」：" + name + (contact.checked ? "（含联系方式，已记入审计日志）" : "（已记入审计日志）");
      }).catch(function (err) {
        status.textContent = "导出失败：" + ST.message(err);
      }).finally(function () { button.disabled = false; });
    } }, "导出 Excel");
    ST.fill(box, button, el("label", { class: "inline", for: "export-contact" }, contact, "含诉求人联系方式（仅限办理需要）"), status);
  }

  // returnedList: accepted cases whose last lead task was returned.
  function returnedList() {
    return pb.collection("assignments").getFullList({ filter: 'status = "returned" && appeal.status = "accepted"', sort: "-returned_at", expand: "appeal,department" })
      .then(function (list) {
        var seen = {};
        return list.filter(function (t) { return t.expand && t.expand.appeal && !seen[t.appeal] && (seen[t.appeal] = true); }).map(function (t) {
          return { appeal: t.expand.appeal, extra: el("span", { class: "tag sla-warning" }, ST.relName(t, "department") + " 退单") };
        });
      });
  }
  // withReplyQuality adds the stored quality of each pending reply to its
  // row, so the operator sees the weak ones before opening them.
  function withReplyQuality(rows) {
    if (!rows.length) return rows;
    return pb.collection("replies").getFullList({ filter: 'review_status = "pending" && role != "assist"', sort: "created", fields: "appeal,quality_score,quality_perfunctory,quality" })
      .then(function (list) {
        var by = {};
        list.forEach(function (r) { by[r.appeal] = r; });
        rows.forEach(function (row) {
          var r = by[row.appeal.id], q = r && ST.parseQuality(r.quality);
          if (!q) return;
          row.extra = el("span", { class: "tag " + (r.quality_perfunctory || q.level === "差" ? "sla-overdue" : "sla-normal") },
            "答复质量 " + q.score + " 分（" + q.level + "）" + (r.quality_perfunctory ? "，疑似形式主义" : ""));
        });
        return rows;
      }).catch(function () { return rows; });
  }
  function requestList() {
    return pb.collection("extensions").getFullList({ filter: 'status = "pending"', sort: "created", expand: "appeal,department" })
      .then(function (list) {
        return list.filter(function (r) { return r.expand && r.expand.appeal; }).map(function (r) {
          return { appeal: r.expand.appeal, extra: el("span", { class: "tag sla-warning" },
            ST.relName(r, "department") + (r.kind === "extend" ? " 申请延期 " + r.days + " 个工作日" : " 申请挂起")) };
        });
      });
  }

  // counts shows how many cases wait in each queue, in the tabs.
  var countTimer = null;
  function counts() {
    clearTimeout(countTimer);
    countTimer = setTimeout(function () {
      var jobs = {
        review: pb.collection("appeals").getList(1, 1, { filter: QUEUES.review.filter }),
        dispatch: pb.collection("appeals").getList(1, 1, { filter: QUEUES.dispatch.filter }),
        returned: pb.collection("assignments").getList(1, 1, { filter: 'status = "returned" && appeal.status = "accepted"' }),
        requests: pb.collection("extensions").getList(1, 1, { filter: 'status = "pending"' }),
        replies: pb.collection("appeals").getList(1, 1, { filter: QUEUES.replies.filter }),
        callback: pb.collection("appeals").getList(1, 1, { filter: QUEUES.callback.filter }),
        inhand: pb.collection("appeals").getList(1, 1, { filter: QUEUES.inhand.filter })
      };
      Object.keys(jobs).forEach(function (k) {
        jobs[k].then(function (r) {
          var slot = document.querySelector('[data-count="' + k + '"]');
          if (slot) slot.textContent = r.totalItems ? "（" + r.totalItems + "）" : "";
        }).catch(function () { /* counts are a convenience */ });
      });
    }, 150);
  }

  // ---- realtime -------------------------------------------------------------

  var NEWS = {
    submit: "新诉求", return: "承办单位退单", reply: "承办单位已答复，待审核", request_extension: "延期申请",
    request_suspension: "挂起申请", sla_overdue: "工单超时", supplement: "诉求人补充了材料", rate: "回访评价"
  };
  var reloadTimer = null;
  function soon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(function () { if (QUEUES[tab].filter || tab === "returned" || tab === "requests") reload(); }, 120);
    counts();
  }
  function subscribe() {
    ST.live("appeals", function (e) {
      soon();
      if (e.record.id === openId) open(openId, true);
    });
    ST.live("extensions", soon);
    ST.live("assignments", soon);
    ST.live("appeal_events", function (e) {
      if (e.action !== "create") return;
      var ev = e.record;
      var what = NEWS[ev.action];
      if (!what || ev.actor_staff === me.id) return;
      pb.collection("appeals").getOne(ev.appeal).then(function (a) {
        ST.bump(what + "：" + a.ticket + " " + ST.clip(a.title, 30));
      }).catch(function () { /* gone */ });
    });
  }

  // ---- the case -------------------------------------------------------------

  function open(id, refresh) {
    if (!refresh) {
      openId = id;
      ST.markCurrent(queue, id);
    }
    ST.showCase(detail, id, {
      fresh: !refresh, central: true,
      current: function () { return openId === id; },
      render: function (c) { addActions(ST.renderCase(detail, c, { contact: true, quality: true }), c); }
    });
  }
  function again() { open(openId, true); }

  function deptOptions(empty) {
    return [["", empty]].concat(depts.map(function (d) { return [d.id, d.name + "（" + d.kind + "）"]; }));
  }
  function catOptions() {
    return [["", "（不改）"]].concat(categories.map(function (c) { return [c.id, c.name]; }));
  }
  function kindOptions(keep) {
    return [["", keep ? "（不改）" : "请选择"]].concat(Object.keys(ST.table.kinds).map(function (k) { return [k, ST.table.kinds[k]]; }));
  }
  var PRIORITY = [["", "（不改）"], ["normal", "一般"], ["urgent", "紧急"]];

  function addActions(box, c) {
    var a = c.appeal, s = a.status, id = a.id;
    var can = function (name) { return ST.can(name, role, s); };
    var pendingReq = c.requests.filter(function (r) { return r.status === "pending"; })[0];

    if (s === "submitted" || s === "accepted") {
      var sugBox = el("div", { class: "card suggestion", "aria-live": "polite" }, el("p", { class: "muted" }, "正在分析派单建议…"));
      box.append(el("h3", null, "派单建议"), sugBox);
      var form = dispatchForm(a, s === "submitted");
      box.append(form);
      pb.send("/api/dispatch/suggest/" + encodeURIComponent(id), {}).then(function (sug) {
        renderSuggestion(sugBox, sug, a);
        prefill(form, sug);
      }).catch(function (err) { ST.fill(sugBox, el("p", { class: "form-error" }, "派单建议暂不可用：" + ST.message(err))); });
    }
    if (can("reject")) {
      box.append(ST.actionForm(id, "reject", {
        title: "不予受理", danger: true, confirm: "确定不予受理该诉求吗？诉求人将收到原因说明。",
        fields: [
          { name: "reason", label: "原因", type: "select", required: true, options: [["", "请选择"]].concat(Object.keys(ST.table.rejectReasons).map(function (k) { return [k, ST.table.rejectReasons[k]]; })) },
          { name: "note", label: "说明（告知诉求人）", type: "textarea" }
        ], done: leave
      }));
    }
    if (can("direct_answer") && a.kind === "consult") box.append(directAnswerForm(a));
    if (can("merge")) {
      box.append(ST.actionForm(id, "merge", {
        title: "并单", confirm: "确定将本诉求并入原工单吗？",
        intro: el("p", { class: "muted" }, "与在办工单反映同一问题时，并入原工单一并办理。"),
        fields: [{ name: "target", label: "原工单受理编号", required: true }], done: leave
      }));
    }
    if (pendingReq) {
      var kind = pendingReq.kind === "extend" ? "延期 " + pendingReq.days + " 个工作日" : "挂起";
      box.append(el("h3", null, "待审批：" + kind), el("p", { class: "pre" }, "理由：" + pendingReq.reason));
      var approve = pendingReq.kind === "extend" ? "approve_extension" : "approve_suspension";
      if (can(approve)) box.append(ST.actionForm(id, approve, { fields: [{ name: "note", label: "审批意见", type: "textarea" }], done: again }));
      if (can("deny_request")) box.append(ST.actionForm(id, "deny_request", { label: "驳回申请", danger: true, fields: [{ name: "note", label: "驳回理由", type: "textarea", required: true }], done: again }));
    }
    if (s === "replied") {
      var pending = c.replies.filter(function (r) { return r.role === "lead" && r.review_status === "pending"; }).pop();
      if (pending) {
        box.append(el("p", { class: "warnbox" }, "待审核的答复见上方「答复」。审核要点：是否回应诉求、过程和结果是否清楚、有无泄露个人信息。"));
        var pq = ST.qualityView(ST.parseQuality(pending.quality), "待审核答复的质量评估");
        if (pq) box.append(el("div", { id: "review-quality" }, pq));
      }
      if (can("approve_reply")) box.append(ST.actionForm(id, "approve_reply", { title: "审核答复", label: "审核通过", fields: [{ name: "note", label: "审核意见（可选）", type: "textarea" }], done: leave }));
      if (can("send_back")) box.append(ST.actionForm(id, "send_back", { label: "退回重办", danger: true, fields: [{ name: "note", label: "退回理由和重办要求", type: "textarea", required: true }], done: leave }));
    }
    if (s === "callback") box.append(callbackForms(a));
    if (can("resume")) box.append(ST.actionForm(id, "resume", { title: "恢复办理", done: again }));
    if (can("urge")) box.append(ST.actionForm(id, "urge", { title: "催办", fields: [{ name: "note", label: "催办意见", type: "textarea" }], done: again }));
    if (can("supervise")) box.append(ST.actionForm(id, "supervise", { title: "督办", fields: [{ name: "note", label: "督办意见", type: "textarea", required: true }], done: again }));
    if (can("redispatch")) {
      box.append(ST.actionForm(id, "redispatch", {
        title: "改派", confirm: "确定改派吗？原承办单位的任务将被取消。",
        fields: [
          { name: "department", label: "新主办单位", type: "select", required: true, options: deptOptions("请选择") },
          { name: "assisting", label: "协办单位", type: "checks", options: depts.map(function (d) { return [d.id, d.name]; }) },
          { name: "note", label: "改派说明", type: "textarea" }
        ], done: again
      }));
    }
    if (can("revoke_dispatch")) box.append(ST.actionForm(id, "revoke_dispatch", { title: "撤回派单", fields: [{ name: "note", label: "说明", type: "textarea" }], done: again }));
  }

  // leave: the case left this queue; the queue reloads live.
  function leave(res) {
    ST.fill(detail, el("p", { class: "notice", role: "status" }, res.appeal.ticket + " 已处理，当前状态：" + res.appeal.status_label + "。"));
    openId = "";
    var done = queue.querySelector('button[data-id="' + res.appeal.id + '"]');
    if (done) done.parentNode.remove();
    var first = queue.querySelector("button.case");
    if (first) first.focus();
    else document.getElementById("queue-heading").focus();
    soon();
  }

  function renderSuggestion(box, s, a) {
    var parts = [];
    if (s.category) parts.push(el("p", null, "分类建议：", el("strong", null, s.category.name), "（置信度 " + Math.round(s.category.confidence * 100) + "%）"));
    if (s.rule) parts.push(el("p", null, "匹配规则：" + s.rule.name + (s.rule.reasons && s.rule.reasons.length ? "（" + s.rule.reasons.join("；") + "）" : "")),
      s.rule.flagged ? el("p", { class: "warnbox" }, "注意：" + s.rule.flag_reason) : null);
    var lead = depts.filter(function (d) { return d.id === s.department; })[0];
    parts.push(el("p", null, "建议主办：", el("strong", null, lead ? lead.name : "无建议"),
      s.assisting && s.assisting.length ? "；协办：" + depts.filter(function (d) { return s.assisting.indexOf(d.id) >= 0; }).map(function (d) { return d.name; }).join("、") : ""));
    if (s.urgent) parts.push(el("p", { class: "warnbox" }, "疑似紧急：" + (s.urgency || []).join("；")));
    if (s.emotion) parts.push(el("p", { class: "warnbox" }, "诉求人情绪激烈，请谨慎处理。"));
    if (s.explain) parts.push(el("details", null, el("summary", null, "建议依据"), el("p", { class: "pre muted" }, s.explain)));
    if (s.duplicates && s.duplicates.length) {
      parts.push(el("h3", null, "疑似重复（可并单）"), el("ul", { class: "duplicates" }, s.duplicates.map(function (d) {
        return el("li", null, d.ticket + " " + d.title + "（" + ST.status(d.status) + "，相似度 " + Math.round(d.score * 100) + "%" + (d.same_place ? "，同一地点" : "") + "）",
          ST.can("merge", role, a.status) ? el("button", { type: "button", class: "secondary", "data-merge": d.ticket, onclick: function () {
            var target = detail.querySelector('form[data-action="merge"] input[name="target"]');
            if (target) { target.value = d.ticket; target.focus(); }
          } }, "并入此单") : null);
      })));
    }
    ST.fill(box, parts);
  }

  function prefill(form, s) {
    if (s.department && form.department && !form.department.value) form.department.value = s.department;
    (s.assisting || []).forEach(function (id) {
      var box = form.querySelector('input[name="assisting"][value="' + id + '"]');
      if (box) box.checked = true;
    });
  }

  // dispatchForm: lead and assisting departments in one step, with the
  // classification the operator confirms or corrects; from 待受理 it
  // accepts first (two timeline entries, each through the engine).
  function dispatchForm(a, acceptFirst) {
    var form = el("form", { class: "action-form", "data-action": "dispatch", novalidate: true },
      el("h3", null, acceptFirst ? "受理并派单" : "派单"),
      ST.field({ name: "kind", label: "诉求类型", type: "select", options: kindOptions(true) }),
      ST.field({ name: "category", label: "分类", type: "select", options: catOptions() }),
      ST.field({ name: "priority", label: "紧急程度", type: "select", options: PRIORITY }),
      ST.field({ name: "department", label: "主办单位", type: "select", required: true, options: deptOptions("请选择") }),
      ST.field({ name: "assisting", label: "协办单位（可多选）", type: "checks", options: depts.map(function (d) { return [d.id, d.name]; }) }),
      el("button", { type: "submit", "data-action-button": "dispatch" }, acceptFirst ? "受理并派单" : "派单"),
      acceptFirst && ST.can("accept", role, a.status) ? el("button", { type: "button", class: "secondary", "data-action-button": "accept" }, "仅受理") : null,
      el("p", { class: "form-error", role: "alert" }));
    function classification() {
      var v = ST.values(form);
      var out = {};
      ["kind", "category", "priority"].forEach(function (k) { if (v[k]) out[k] = v[k]; });
      return out;
    }
    function run(withDispatch) {
      ST.clearErrors(form);
      var v = ST.values(form);
      if (withDispatch && !v.department) {
        ST.$('[data-error-for="department"]', form).textContent = "请选择主办单位";
        ST.$(".form-error", form).textContent = "提交内容有误：请选择主办单位";
        return;
      }
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      var accepted = !acceptFirst;
      var step = acceptFirst ? ST.perform(a.id, "accept", classification()) : Promise.resolve(null);
      step.then(function (res) {
        accepted = true;
        if (!withDispatch) return res;
        var body = acceptFirst ? {} : classification();
        body.department = v.department;
        body.assisting = v.assisting || [];
        return ST.perform(a.id, "dispatch", body);
      }).then(function (res) {
        ST.announce((withDispatch ? "已派单：" : "已受理：") + res.appeal.ticket);
        leave(res);
      }).catch(function (err) {
        ST.showErrors(form, err, { department: "主办单位", assisting: "协办单位" });
        if (acceptFirst && accepted) {
          ST.$(".form-error", form).textContent = "已受理，但派单没有成功：" + ST.message(err) + "。该工单已转入「待派单」队列。";
        }
      }).finally(function () { form.querySelectorAll("button").forEach(function (b) { b.disabled = false; }); });
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
    var only = form.querySelector('[data-action-button="accept"]');
    if (only) only.addEventListener("click", function () { run(false); });
    return form;
  }

  // kbLookup offers knowledge answers for a question: at first the public
  // entries most like its title (the portal's similarity endpoint), then
  // whatever the operator searches for by keyword (internal entries too);
  // each answer has a button that puts it into target.
  function kbLookup(title, target) {
    var results = el("div", { "aria-live": "polite" }, el("p", { class: "muted" }, "正在查找知识库…"));
    var input = el("input", { type: "search", "aria-label": "按关键词查找知识库", placeholder: "按关键词查找知识库（如 居住证）" });
    var find = el("button", { type: "button", class: "secondary" }, "查找知识库");
    function show(items) {
      if (!items.length) { ST.fill(results, el("p", { class: "muted" }, "知识库中没有找到相近的问题，请自行撰写答复，或派单办理。")); return; }
      ST.fill(results, el("ul", { class: "kb-items" }, items.map(function (i) {
        return el("li", null, el("strong", null, i.question), el("p", { class: "pre muted" }, ST.clip(i.answer, 200)),
          el("button", { type: "button", class: "secondary", "data-kb": i.id, onclick: function () { target.value = i.answer; target.focus(); } }, "使用此答案"));
      })));
    }
    function failed(err) { ST.fill(results, el("p", { class: "form-error" }, "知识库查找失败：" + ST.message(err))); }
    pb.send("/api/portal/similar", { query: { q: String(title || "").slice(0, 200) } }).then(function (r) {
      show((r.items || []).filter(function (i) { return i.source === "knowledge"; }).map(function (i) { return { id: i.id, question: i.title, answer: i.answer }; }));
    }).catch(failed);
    function search() {
      var q = input.value.trim();
      if (!q) return;
      pb.collection("knowledge").getList(1, 8, { filter: pb.filter("question ~ {:q} || answer ~ {:q} || keywords ~ {:q}", { q: q }), sort: "-hits" })
        .then(function (r) { show(r.items); }).catch(failed);
    }
    find.addEventListener("click", search);
    input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); search(); } });
    return el("div", { class: "kb" }, el("div", { class: "row" }, input, find), results);
  }

  function directAnswerForm(a) {
    var f = ST.actionForm(a.id, "direct_answer", {
      title: "直接答复（简单咨询）",
      intro: el("p", { class: "muted" }, "咨询类诉求可由平台直接答复，答复后进入回访。"),
      fields: [{ name: "content", label: "答复内容", type: "textarea", required: true, rows: 5 }],
      done: leave
    });
    var area = f.querySelector("textarea[name=content]");
    f.insertBefore(kbLookup(a.title, area), f.querySelector("button[type=submit]"));
    return f;
  }

  function callbackForms(a) {
    var sat = ST.table.satisfaction;
    var levels = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"];
    var wrap = el("div", null,
      el("h3", null, "电话回访"),
      el("div", { class: "script" },
        el("p", null, "1. 您好，这里是泗阳网络直通车（12345）回访。请问是诉求人本人吗？"),
        el("p", null, "2. 您于 " + ST.fmt(a.created, true) + " 反映的「" + a.title + "」（受理编号 " + a.ticket + "），承办单位已经答复。请问您收到答复了吗？"),
        el("p", null, "3. 请问您反映的问题解决了吗？"),
        el("p", null, "4. 您对办理结果是否满意？满意程度分为：非常满意、满意、基本满意、不满意、非常不满意。"),
        el("p", null, "5. 您还有其他意见或建议吗？感谢您的支持，再见。"),
        el("p", { class: "muted" }, "提示：联系方式请点击上方「查看联系方式」，每次查看都会记录。不满意的工单将退回承办单位重新办理。")));
    if (ST.can("rate", role, a.status)) {
      wrap.append(ST.actionForm(a.id, "rate", {
        title: "记录回访结果", label: "提交回访结果",
        fields: [
          { name: "satisfaction", label: "满意度", type: "radios", required: true, options: levels.map(function (l) { return [l, sat[l]]; }) },
          { name: "resolved", label: "问题是否解决", type: "radios", required: true, options: [["true", "已解决"], ["false", "未解决"]] },
          { name: "note", label: "群众意见（可选）", type: "textarea" }
        ],
        bools: ["resolved"], what: { satisfaction: "满意度", resolved: "是否解决" }, done: leave
      }));
    }
    if (ST.can("archive", role, a.status)) {
      wrap.append(ST.actionForm(a.id, "archive", {
        title: "无法回访时办结归档", label: "办结归档", danger: true, confirm: "确定不经评价直接办结归档吗？",
        fields: [{ name: "reason", label: "归档原因", type: "select", required: true,
          options: [["", "请选择"]].concat(Object.keys(ST.table.archiveReasons).map(function (k) { return [k, ST.table.archiveReasons[k]]; })) },
        { name: "note", label: "说明", type: "textarea" }], done: leave
      }));
    }
    return wrap;
  }

  // ---- search ---------------------------------------------------------------

  function searchTool() {
    var statuses = [["", "全部状态"]].concat(Object.keys(ST.table.statuses).map(function (k) { return [k, ST.table.statuses[k]]; }));
    var form = el("form", { id: "search-form", role: "search", novalidate: true },
      ST.field({ name: "q", label: "受理编号或关键词" }),
      ST.field({ name: "status", label: "状态", type: "select", options: statuses }),
      ST.field({ name: "department", label: "主办单位", type: "select", options: deptOptions("全部单位") }),
      el("button", { type: "submit" }, "查询"),
      el("p", { class: "form-error", role: "alert" }));
    tool.append(form);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      ST.clearErrors(form);
      var v = ST.values(form);
      var parts = [];
      var q = (v.q || "").trim();
      if (/^sy\d{10,}$/i.test(q)) parts.push(pb.filter("ticket = {:t}", { t: q.toUpperCase() }));
      else if (q) parts.push(pb.filter("(title ~ {:q} || content ~ {:q} || address ~ {:q} || ticket ~ {:q})", { q: q }));
      if (v.status) parts.push(pb.filter("status = {:s}", { s: v.status }));
      if (v.department) parts.push(pb.filter("lead_department = {:d}", { d: v.department }));
      exportList = { filter: parts.join(" && "), sort: "-created", title: "查询结果" };
      exportBox();
      pb.collection("appeals").getList(1, 50, { filter: parts.join(" && "), sort: "-created", expand: "lead_department" }).then(function (r) {
        document.getElementById("queue-note").textContent = "共找到 " + r.totalItems + " 件" + (r.totalItems > 50 ? "，显示最新的 50 件" : "") + "。";
        renderRows(r.items.map(function (a) { return { appeal: a }; }));
      }).catch(function (err) { ST.showErrors(form, err); });
    });
  }

  // ---- 代录 -----------------------------------------------------------------

  function registerTool() {
    var channels = [["phone", "电话"], ["letter", "信件"], ["window", "窗口来访"]];
    var form = el("form", { id: "register-form", novalidate: true },
      ST.field({ name: "channel", label: "来源", type: "radios", required: true, options: channels, value: "phone" }),
      ST.field({ name: "kind", label: "诉求类型", type: "select", required: true, options: kindOptions(false) }),
      ST.field({ name: "title", label: "标题", required: true, hint: "4–100 字，概括反映的问题" }),
      ST.field({ name: "content", label: "诉求内容", type: "textarea", required: true, rows: 6, hint: "按群众所述记录：时间、地点、问题、诉求" }),
      ST.field({ name: "category", label: "分类", type: "select", options: [["", "（不选）"]].concat(categories.map(function (c) { return [c.id, c.name]; })) }),
      ST.field({ name: "region", label: "乡镇/街道", type: "select", options: [["", "（不选）"]].concat(regions.map(function (r) { return [r.id, r.name]; })) }),
      ST.field({ name: "address", label: "地址" }),
      ST.field({ name: "contact_name", label: "联系人姓名", required: true }),
      ST.field({ name: "contact_phone", label: "联系电话", required: true, type: "tel" }),
      ST.field({ name: "flags", label: "群众意愿", type: "checks", options: [["public_consent", "同意公开（脱敏后）"], ["confidential", "保密"], ["anonymous", "对承办单位匿名"]] }),
      el("button", { type: "submit" }, "登记诉求"),
      el("p", { class: "form-error", role: "alert" }));
    var kbSlot = el("div", { id: "register-kb" });
    tool.append(form, kbSlot);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      ST.clearErrors(form);
      var v = ST.values(form);
      var flags = v.flags || [];
      var body = {
        channel: v.channel, kind: v.kind, title: v.title, content: v.content, category: v.category, region: v.region,
        address: v.address, contact_name: v.contact_name, contact_phone: v.contact_phone,
        public_consent: flags.indexOf("public_consent") >= 0, confidential: flags.indexOf("confidential") >= 0, anonymous: flags.indexOf("anonymous") >= 0
      };
      var button = ST.$("button[type=submit]", form);
      button.disabled = true;
      pb.send("/api/appeals", { method: "POST", body: body }).then(function (r) {
        form.reset();
        ST.announce("已登记：" + r.ticket);
        var receipt = el("div", { class: "notice", role: "status", id: "receipt" },
          el("p", null, el("strong", null, "登记成功。"), "请告知群众：受理编号 ", el("strong", { class: "ticket" }, r.ticket), "，查询码 ",
            el("strong", { class: "code" }, r.query_code), "（查询码只显示这一次）。"),
          el("button", { type: "button", class: "secondary", onclick: function () { open(r.id); } }, "打开该工单"));
        ST.fill(kbSlot, receipt);
        if (body.kind === "consult") {
          var f = directAnswerForm({ id: r.id, kind: "consult", title: body.title, content: body.content });
          kbSlot.append(f);
        }
      }).catch(function (err) {
        ST.showErrors(form, err, { title: "标题", content: "诉求内容", contact_name: "联系人", contact_phone: "联系电话", kind: "诉求类型", channel: "来源" });
      }).finally(function () { button.disabled = false; });
    });
  }

  // ---- 知识库 ---------------------------------------------------------------

  function knowledgeTool() {
    var searchForm = el("form", { role: "search", novalidate: true },
      ST.field({ name: "q", label: "查找条目" }), el("button", { type: "submit", class: "secondary" }, "查找"),
      el("button", { type: "button", id: "kb-new" }, "新建条目"));
    tool.append(searchForm);
    function list() {
      var q = (searchForm.q.value || "").trim();
      pb.collection("knowledge").getList(1, 100, { filter: q ? pb.filter("question ~ {:q} || answer ~ {:q} || keywords ~ {:q}", { q: q }) : "", sort: "-updated", expand: "category" })
        .then(function (r) {
          if (!r.items.length) { ST.fill(queue, el("li", { class: "empty" }, "没有条目。")); return; }
          ST.fill(queue, r.items.map(function (k) {
            return el("li", null, el("button", { type: "button", class: "case", "data-id": k.id, onclick: function () { edit(k); } },
              el("span", { class: "title" }, k.question),
              el("span", { class: "meta" }, el("span", null, k.public ? "公开" : "仅内部"), el("span", null, ST.relName(k, "category") || "未分类"),
                el("span", null, "查看 " + (k.hits || 0) + " 次"), el("span", null, "更新于 " + ST.fmt(k.updated)))));
          }));
        }).catch(function (err) { ST.fill(queue, el("li", { class: "form-error", role: "alert" }, ST.message(err))); });
    }
    function edit(k) {
      openId = k ? k.id : "";
      var form = el("form", { id: "kb-form", novalidate: true },
        el("h2", { id: "case-title", tabindex: "-1" }, k ? "编辑知识库条目" : "新建知识库条目"),
        ST.field({ name: "question", label: "问题", required: true, value: k ? k.question : "" }),
        ST.field({ name: "answer", label: "答案（纯文本）", type: "textarea", required: true, rows: 8, value: k ? k.answer : "" }),
        ST.field({ name: "category", label: "分类", type: "select", value: k ? k.category : "", options: [["", "（不选）"]].concat(categories.map(function (c) { return [c.id, c.name]; })) }),
        ST.field({ name: "keywords", label: "关键词", hint: "以空格或逗号分隔，参与相似问题匹配", value: k ? k.keywords : "" }),
        ST.field({ name: "public", label: "公开", type: "checks", options: [["yes", "对居民公开（在居民留言前推荐）"]], value: k && k.public ? ["yes"] : [] }),
        el("button", { type: "submit" }, "保存"),
        k ? el("button", { type: "button", class: "danger", id: "kb-delete" }, "删除") : null,
        el("p", { class: "form-error", role: "alert" }));
      ST.fill(detail, form);
      form.querySelector("#case-title").focus();
      var what = { question: "问题", answer: "答案", category: "分类", keywords: "关键词" };
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        ST.clearErrors(form);
        var v = ST.values(form);
        var data = { question: v.question.trim(), answer: v.answer.trim(), category: v.category, keywords: v.keywords.trim(), public: (v.public || []).length > 0 };
        var missing = false;
        ["question", "answer"].forEach(function (f) {
          if (!data[f]) { missing = true; ST.$('[data-error-for="' + f + '"]', form).textContent = "请填写" + what[f]; }
        });
        if (missing) { ST.$(".form-error", form).textContent = "提交内容有误：请填写问题和答案"; return; }
        var save = k ? pb.collection("knowledge").update(k.id, data) : pb.collection("knowledge").create(data);
        save.then(function (rec) {
          ST.fill(detail, el("p", { class: "notice", role: "status" }, "已保存：" + rec.question));
          ST.announce("知识库条目已保存");
          list();
        }).catch(function (err) { ST.showErrors(form, err, what); });
      });
      var del = form.querySelector("#kb-delete");
      if (del) del.addEventListener("click", function () {
        if (!window.confirm("确定删除该条目吗？")) return;
        pb.collection("knowledge").delete(k.id).then(function () {
          ST.fill(detail, el("p", { class: "notice", role: "status" }, "已删除。"));
          list();
        }).catch(function (err) { ST.showErrors(form, err, what); });
      });
    }
    searchForm.addEventListener("submit", function (ev) { ev.preventDefault(); list(); });
    searchForm.querySelector("#kb-new").addEventListener("click", function () { edit(null); });
    list();
  }
})();
