// Submit page (submit.html): the appeal form with checks that mirror the
// server's (plugins/workflow/api_intake.go), similar answered questions
// before sending, the multipart POST /api/appeals, and the receipt with copy
// buttons and a PNG to save.
(function () {
  "use strict";
  var el = SY.el, $ = SY.$;
  var form = $("#submit-form"), send = $("#send"), formError = $("#form-error"), sendStatus = $("#send-status");
  var similarBox = $("#similar");
  var photos = SY.PhotoPicker($("#photos"), $("#photo-list"), $("#photos-status"), $("#attachments-error"), 9);
  var confirmedQuery = null; // the text for which the resident chose 仍要提交

  // ---- the form ----

  var kind = SY.param("kind");
  if (SY.KIND[kind]) form.querySelector('input[name=kind][value="' + kind + '"]').checked = true;

  function counter(id, max) {
    var input = $("#" + id), out = $("#" + id + "-count");
    function update() { out.textContent = "已输入 " + SY.chars(input.value.trim()) + "/" + max + " 字"; }
    input.addEventListener("input", update);
    update();
  }
  counter("title", 100);
  counter("content", 5000);

  function options(select, load, render) {
    SY.load($("#" + select.id + "-load"), load, function (res) {
      render(res.items).forEach(function (o) { select.append(el("option", { value: o.value }, o.label)); });
    });
  }
  options($("#category"), function () {
    return SY.records("categories", { filter: "public = true", sort: "sort,name", perPage: 200, fields: "id,name,parent" });
  }, function (items) {
    var ids = {};
    items.forEach(function (c) { ids[c.id] = true; });
    var out = [];
    items.filter(function (c) { return !c.parent || !ids[c.parent]; }).forEach(function (top) {
      out.push({ value: top.id, label: top.name });
      items.filter(function (c) { return c.parent === top.id; }).forEach(function (c) {
        out.push({ value: c.id, label: "　" + top.name + " · " + c.name });
      });
    });
    return out;
  });
  options($("#region"), function () {
    return SY.records("regions", { filter: 'kind = "乡镇" || kind = "街道"', sort: "-kind,code", perPage: 200, fields: "id,name" });
  }, function (items) {
    return items.map(function (r) { return { value: r.id, label: r.name }; });
  });

  $("#confidential").addEventListener("change", function () {
    var consent = $("#public_consent");
    consent.disabled = this.checked;
    if (this.checked) consent.checked = false;
  });

  // ---- checks (the same rules and words as the server) ----

  function hasControl(s) { return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s); }
  function checkText(errs, field, label, min, max) {
    var s = $("#" + field).value.trim(), n = SY.chars(s);
    if (hasControl(s)) errs[field] = label + "含有无效字符，请删除后重试";
    else if (n === 0) errs[field] = "请填写" + label;
    else if (n < min) errs[field] = label + "太短，至少需要 " + min + " 个字";
    else if (n > max) errs[field] = label + "不能超过 " + max + " 个字（当前 " + n + " 字）";
  }
  function validate() {
    var errs = {};
    if (!form.querySelector("input[name=kind]:checked")) errs.kind = "请选择诉求类型：咨询、投诉、求助、建议或举报";
    checkText(errs, "title", "标题", 4, 100);
    checkText(errs, "content", "诉求内容", 10, 5000);
    var address = $("#address").value.trim();
    if (SY.chars(address) > 200 || hasControl(address)) errs.address = "地址不能超过 200 字，且不能含有特殊控制字符";
    var name = $("#contact_name").value.trim();
    if (!name) errs.contact_name = "请填写联系人姓名，以便办理单位联系您（不会公开）";
    else if (SY.chars(name) > 40 || hasControl(name) || /[<>]/.test(name)) errs.contact_name = "姓名不能超过 40 字，且不能含有特殊字符";
    var phone = $("#contact_phone").value;
    if (!SY.normalizePhone(phone)) errs.contact_phone = "请填写联系电话，以便回访（不会公开）";
    else if (!SY.validPhone(phone)) errs.contact_phone = SY.PHONE_MESSAGE;
    return errs;
  }

  // ---- similar answered questions ----

  function similarQuery() {
    return ($("#title").value.trim() + " " + $("#content").value.trim()).slice(0, 300).trim();
  }

  function showSimilar(items, beforeSending) {
    SY.fill(similarBox,
      el("h2", null, "这些答复可能已解决您的问题"),
      el("p", { class: "muted" }, beforeSending ? "提交前请看一看；如果没有解决，请点“仍要提交”。" : "以下是已经答复过的相似问题，供您参考。"),
      items.map(function (it) {
        return el("details", null,
          el("summary", null, it.title),
          it.content ? el("p", { class: "pre" }, it.content) : null,
          el("div", { class: "reply" }, (it.source === "knowledge" ? "解答：" : "答复：") + it.answer),
          it.source === "appeal"
            ? el("a", { href: "appeal.html?id=" + encodeURIComponent(it.id), target: "_blank", rel: "noopener" }, "查看详情（新窗口打开）")
            : null);
      }));
    if (beforeSending) {
      var go = el("button", { type: "button", id: "send-anyway" }, "仍要提交");
      var done = el("button", { type: "button", class: "btn-secondary", id: "solved" }, "问题已解决，不提交了");
      go.addEventListener("click", function () { confirmedQuery = similarQuery(); submit(); });
      done.addEventListener("click", function () {
        similarBox.replaceChildren(el("p", null, "好的，感谢您使用泗阳网络直通车。"), el("a", { class: "btn", href: "index.html" }, "返回首页"));
        SY.focus(similarBox);
      });
      similarBox.append(go, done);
    }
    similarBox.hidden = false;
  }

  // fetchSimilar answers the similar answered questions; latest() tells
  // whether no newer search has started since (a late answer to an older
  // search must not replace a newer panel).
  var searches = 0;
  function fetchSimilar(q) {
    var mine = ++searches;
    return SY.api("/api/portal/similar?q=" + encodeURIComponent(q), { timeout: 8000 }).then(function (r) {
      return { items: (r && r.items) || [], latest: function () { return mine === searches; } };
    });
  }

  // While typing: once the title is written, show what is already answered.
  var shownFor = null;
  $("#title").addEventListener("change", function () {
    var q = similarQuery();
    if (SY.chars($("#title").value.trim()) < 4 || q === shownFor) return;
    shownFor = q;
    fetchSimilar(q).then(function (r) {
      if (r.items.length && r.latest()) showSimilar(r.items, false);
    }, function () { /* only a hint */ });
  });

  // ---- sending ----

  function busy(on, text) {
    send.disabled = on;
    send.textContent = on ? "正在提交…" : "提交诉求";
    sendStatus.textContent = text || "";
  }

  function submit() {
    SY.clearErrors(form);
    formError.replaceChildren();
    var errs = validate();
    if (Object.keys(errs).length) {
      SY.showErrors(errs);
      formError.append(SY.errorBox("填写有误，请按各项下方的提示修改后再提交"));
      return;
    }
    if (photos.busy()) {
      formError.append(SY.errorBox("照片还在处理中，请稍等几秒再提交"));
      return;
    }
    var q = similarQuery();
    if (q === confirmedQuery) { post(); return; }
    busy(true, "正在查找相似问题…");
    fetchSimilar(q).then(function (r) {
      busy(false);
      if (!r.items.length) { post(); return; }
      showSimilar(r.items, true);
      SY.focus(similarBox);
      similarBox.scrollIntoView({ block: "start" });
    }, function () {
      busy(false);
      post(); // the hint is a help, never a reason not to send
    });
  }

  function post() {
    var fd = new FormData();
    fd.append("kind", form.querySelector("input[name=kind]:checked").value);
    ["title", "content", "category", "region", "address", "contact_name", "contact_phone"].forEach(function (f) {
      fd.append(f, $("#" + f).value.trim());
    });
    fd.append("public_consent", $("#public_consent").checked ? "true" : "false");
    fd.append("confidential", $("#confidential").checked ? "true" : "false");
    if (SY.mapPoint) {
      fd.append("lat", String(SY.mapPoint.lat));
      fd.append("lon", String(SY.mapPoint.lon));
    }
    var files = photos.files();
    files.forEach(function (f) { fd.append("attachments", f.blob, f.name); });
    busy(true, files.length ? "正在提交并上传 " + files.length + " 张照片，网络较慢时请耐心等待…" : "正在提交…");
    SY.api("/api/appeals", { form: fd, timeout: 120000 }).then(function (r) {
      busy(false);
      receipt(r);
    }, function (err) {
      busy(false);
      if (err.status === 400 && Object.keys(err.data).length) {
        var left = SY.showErrors(err.data);
        formError.append(SY.errorBox(left.length ? left.join("；") : "提交内容有误，请按各项下方的提示修改"));
      } else {
        formError.append(SY.errorBox(err, function () { formError.replaceChildren(); post(); }));
      }
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    submit();
  });

  // ---- the receipt ----

  var current = null;
  function receipt(r) {
    current = r;
    current.title = $("#title").value.trim();
    current.submitted = SY.formatDate(new Date().toISOString());
    $("#receipt-message").textContent = r.message || "提交成功。";
    $("#receipt-ticket").textContent = r.ticket;
    $("#receipt-code").textContent = r.query_code;
    $("#receipt-status").textContent = r.status_label || SY.STATUS[r.status] || "";
    $("#receipt-due").textContent = r.due_accept ? SY.formatDate(r.due_accept) + " 前受理" : "";
    $("#receipt-track").href = "track.html?ticket=" + encodeURIComponent(r.ticket);
    form.hidden = true;
    $("#intro").hidden = true;
    photos.clear();
    var box = $("#receipt");
    box.hidden = false;
    SY.focus(box);
    window.scrollTo(0, 0);
  }
  $("#copy-ticket").addEventListener("click", function () { SY.copy(current.ticket, "受理编号"); });
  $("#copy-code").addEventListener("click", function () { SY.copy(current.query_code, "查询码"); });

  // wrap splits text into lines no wider than width (Chinese has no spaces,
  // so it breaks between any two characters).
  function wrap(ctx, text, width) {
    var lines = [], line = "";
    Array.from(text).forEach(function (ch) {
      if (ctx.measureText(line + ch).width > width && line) { lines.push(line); line = ""; }
      line += ch;
    });
    if (line) lines.push(line);
    return lines;
  }

  // drawReceipt paints the receipt on a canvas (text only, no page content
  // is copied), for residents who keep it in their photo album.
  function drawReceipt(r) {
    var W = 720, pad = 40, family = getComputedStyle(document.body).fontFamily;
    var c = document.createElement("canvas");
    c.width = W;
    c.height = 880;
    var ctx = c.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, c.height);
    ctx.fillStyle = "#b5202a";
    ctx.fillRect(0, 0, W, 110);
    ctx.fillStyle = "#fff";
    ctx.font = "bold 40px " + family;
    ctx.fillText("泗阳网络直通车", pad, 62);
    ctx.font = "24px " + family;
    ctx.fillText("诉求回执", pad, 96);
    var y = 170;
    function row(label, value, big) {
      ctx.fillStyle = "#555";
      ctx.font = "26px " + family;
      ctx.fillText(label, pad, y);
      ctx.fillStyle = "#000";
      ctx.font = (big ? "bold 52px " : "30px ") + family;
      wrap(ctx, value, W - 2 * pad).slice(0, 3).forEach(function (line) {
        y += big ? 64 : 42;
        ctx.fillText(line, pad, y);
      });
      y += 50;
    }
    row("受理编号", r.ticket, true);
    row("查询码", r.query_code, true);
    row("诉求标题", r.title);
    row("提交时间（北京时间）", r.submitted);
    ctx.fillStyle = "#b5202a";
    ctx.font = "24px " + family;
    wrap(ctx, "请妥善保存。凭受理编号和查询码，可在“泗阳网络直通车 → 进度查询”查看办理进度、补充材料和评价。查询码只显示一次，请勿告诉他人。", W - 2 * pad)
      .forEach(function (line) { y += 34; ctx.fillText(line, pad, y); });
    return c;
  }

  $("#save-receipt").addEventListener("click", function () {
    var canvas = drawReceipt(current);
    canvas.toBlob(function (blob) {
      if (!blob) { SY.announce("无法生成图片，请截图保存"); return; }
      var url = URL.createObjectURL(blob);
      var name = "诉求回执-" + current.ticket + ".png";
      var a = el("a", { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      // Some phone browsers (WeChat) ignore downloads: show the picture so
      // that it can be kept with a long press.
      $("#receipt-image").replaceChildren(
        el("p", { class: "hint" }, "如果没有自动下载，请长按下面的图片保存到手机。"),
        el("img", { src: url, alt: "诉求回执图片：受理编号 " + current.ticket + "，查询码 " + current.query_code }));
      SY.announce("回执图片已生成");
    }, "image/png");
  });
})();
