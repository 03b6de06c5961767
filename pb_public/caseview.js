// One case as its resident sees it, shared by the track page (ticket +
// query code) and 我的诉求 (signed in): status, facts, the accepted reply,
// the public timeline with attachments, and the forms the resident may use
// next — 评价 (待回访), 补充材料, 撤回. The page supplies how to act:
//
//   var view = SY.CaseView({
//     result: SY.$("#result"),                 // where the case is drawn
//     act: function (action, body) { … },      // body: object or FormData → SY.api promise
//     reload: function () { … }                // fetch and view.render() again
//   });
//
// The forms (#rate, #supplement, #withdraw) are in the page's HTML.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;

  function fact(label, value) {
    return value ? [el("dt", null, label), el("dd", null, value)] : null;
  }

  // files shows attachments under their original names: photos as small
  // pictures that open full size, other files as download links.
  SY.files = function (list, label) {
    if (!list || !list.length) return null;
    return el("ul", { class: "files", "aria-label": label || "附件" }, list.map(function (f) {
      if (f.image) {
        return el("li", { class: "file-photo" },
          el("a", { href: f.url, target: "_blank", rel: "noopener" },
            el("img", { src: f.url, alt: f.name, loading: "lazy" }),
            el("span", null, f.name)));
      }
      return el("li", null, el("a", { href: f.url, download: f.name }, "📎 " + f.name));
    }));
  };

  SY.CaseView = function (opts) {
    var result = opts.result;
    var flash = ""; // a confirmation to show with the next rendering
    var photos = SY.PhotoPicker($("#supplement-photos"), $("#supplement-photo-list"),
      $("#supplement-photos-status"), $("#supplement-attachments-error"), 9);

    function render(v) {
      var reply = v.reply || (v.merged_into && v.merged_into.reply);
      SY.fill(result,
        flash ? el("div", { class: "notice", role: "status" }, el("p", null, flash)) : null,
        el("h2", null, v.ticket + "　" + v.title),
        el("p", null, "当前状态：", el("span", { class: "status" }, v.status_label || SY.STATUS[v.status] || v.status)),
        v.merged_into ? el("p", { class: "notice" }, "您的诉求已与相同问题的诉求 " + v.merged_into.ticket +
          " 合并办理，该诉求当前状态：" + v.merged_into.status_label + "。") : null,
        el("dl", { class: "facts" },
          fact("诉求类型", v.kind_label),
          fact("承办单位", v.department),
          fact("问题分类", v.category),
          fact("地址", v.address),
          fact("提交时间", SY.formatDate(v.created)),
          fact("办理期限", v.due_finish && !v.closed_at ? SY.formatDate(v.due_finish) : ""),
          fact("办结时间", SY.formatDate(v.closed_at)),
          fact("联系人", [v.contact_name, v.contact_phone].filter(Boolean).join("　")),
          fact("是否公开", v.confidential ? "保密，不公开" : v.public ? "同意公开（隐去个人信息）" : "不公开"),
          fact("您的评价", SY.SATISFACTION[v.satisfaction] || "")),
        reply ? [
          el("h3", null, "答复" + (reply.department ? "（" + reply.department + "）" : "")),
          el("div", { class: "reply", id: "reply" }, reply.content),
          SY.files(reply.attachments, "答复附件"),
          el("p", { class: "muted" }, "答复时间：" + SY.formatDate(reply.created))
        ] : null,
        el("h3", null, "我的诉求"),
        el("div", { class: "text-block" }, v.content),
        SY.files(v.attachments, "提交时的附件"),
        el("h3", null, "办理过程"),
        el("ol", { class: "timeline" }, (v.timeline || []).map(function (e) {
          return el("li", null,
            el("time", null, SY.formatDate(e.created)),
            el("span", null, e.summary || e.label),
            e.note ? el("div", { class: "note" }, e.note) : null,
            SY.files(e.attachments, "补充的附件"));
        })));
      flash = "";
      result.hidden = false;
      actions(v);
    }

    function actions(v) {
      ["rate-form", "supplement-form"].forEach(function (id) { $("#" + id).reset(); SY.clearErrors($("#" + id)); });
      ["rate-form-error", "supplement-form-error", "withdraw-error"].forEach(function (id) { $("#" + id).replaceChildren(); });
      photos.clear();
      $("#withdraw-confirm").hidden = true;
      $("#withdraw-start").setAttribute("aria-expanded", "false");
      $("#rate").hidden = !(v && v.can_rate);
      $("#supplement").hidden = !(v && v.can_supplement);
      $("#withdraw").hidden = !(v && v.can_withdraw);
    }

    // after an action: show the case again, with a confirmation on top
    function done(message) {
      flash = message;
      return opts.reload();
    }

    // ---- rate ----
    $("#rate-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = this, btn = $("#rate-send");
      SY.clearErrors(f);
      $("#rate-form-error").replaceChildren();
      var sat = f.querySelector("input[name=satisfaction]:checked"), res = f.querySelector("input[name=resolved]:checked");
      var errs = {};
      if (!sat) errs.satisfaction = "请选择满意度：非常满意、满意、基本满意、不满意或非常不满意";
      if (!res) errs.resolved = "请选择问题是否已解决";
      if (Object.keys(errs).length) { SY.showErrors(errs, "rate-"); return; }
      btn.disabled = true;
      opts.act("rate", { satisfaction: sat.value, resolved: res.value === "true", note: $("#rate-note").value.trim() })
        .then(function () {
          var bad = sat.value === "dissatisfied" || sat.value === "very_dissatisfied";
          return done(bad ? "已收到您的评价，诉求已退回承办单位重新办理。" : "感谢您的评价！");
        }, function (err) {
          var left = err.status === 400 ? SY.showErrors(err.data, "rate-") : [];
          if (err.status !== 400 || left.length) $("#rate-form-error").append(SY.errorBox(err));
        }).finally(function () { btn.disabled = false; });
    });

    // ---- supplement (text and/or up to 9 photos) ----
    $("#supplement-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = this, btn = $("#supplement-send"), content = $("#supplement-content").value.trim();
      var files = photos.files();
      SY.clearErrors(f);
      $("#supplement-form-error").replaceChildren();
      if (photos.busy()) { $("#supplement-form-error").append(SY.errorBox("照片还在处理中，请稍等几秒再提交")); return; }
      if (!content && !files.length) { SY.showErrors({ content: "请填写补充内容或上传附件" }, "supplement-"); return; }
      if (SY.chars(content) > 10000) { SY.showErrors({ content: "内容不能超过 10000 字" }, "supplement-"); return; }
      var fd = new FormData();
      fd.append("content", content);
      files.forEach(function (p) { fd.append("attachments", p.blob, p.name); });
      btn.disabled = true;
      btn.textContent = "正在提交…";
      opts.act("supplement", fd, 120000).then(function () {
        return done("补充材料已提交，承办单位会看到。");
      }, function (err) {
        var left = err.status === 400 ? SY.showErrors(err.data, "supplement-") : [];
        if (err.status !== 400 || left.length) $("#supplement-form-error").append(SY.errorBox(err));
      }).finally(function () { btn.disabled = false; btn.textContent = "提交补充材料"; });
    });

    // ---- withdraw (asks first) ----
    $("#withdraw-start").addEventListener("click", function () {
      $("#withdraw-confirm").hidden = false;
      this.setAttribute("aria-expanded", "true");
      SY.focus($("#withdraw-confirm"));
    });
    $("#withdraw-no").addEventListener("click", function () {
      $("#withdraw-confirm").hidden = true;
      $("#withdraw-start").setAttribute("aria-expanded", "false");
      $("#withdraw-start").focus();
    });
    $("#withdraw-yes").addEventListener("click", function () {
      var btn = this;
      $("#withdraw-error").replaceChildren();
      btn.disabled = true;
      opts.act("withdraw", { note: $("#withdraw-note").value.trim() }).then(function () {
        return done("诉求已撤回。");
      }, function (err) {
        var left = err.status === 400 ? SY.showErrors(err.data, "withdraw-") : [];
        if (err.status !== 400 || left.length) $("#withdraw-error").append(SY.errorBox(err));
      }).finally(function () { btn.disabled = false; });
    });

    return { render: render, hide: function () { result.hidden = true; actions(null); } };
  };

  // sendAction posts an action to the case (id or ticket number): body is an
  // object (sent as JSON) or FormData (multipart, for photos); extra fields
  // (the query code) are added to either.
  SY.sendAction = function (appeal, action, body, extra, timeout) {
    var opts = { timeout: timeout };
    Object.keys(extra || {}).forEach(function (k) {
      if (body instanceof FormData) body.append(k, extra[k]); else body[k] = extra[k];
    });
    if (body instanceof FormData) opts.form = body; else opts.json = body;
    return SY.api("/api/appeals/" + encodeURIComponent(appeal) + "/actions/" + action, opts);
  };
})();
