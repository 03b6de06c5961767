// Progress lookup by ticket number and query code (POST /api/track).
(function () {
  "use strict";
  var form = document.getElementById("track-form");
  var result = document.getElementById("result");

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? "" : String(value);
    if (cls) el.className = cls;
    return el;
  }

  function when(s) {
    if (!s) return "";
    var d = new Date(s.replace(" ", "T"));
    return isNaN(d) ? s : d.toLocaleString("zh-CN", { hour12: false });
  }

  function clearErrors() {
    ["ticket", "query_code", "form"].forEach(function (f) {
      document.getElementById(f + "-error").textContent = "";
    });
  }

  function render(v) {
    result.replaceChildren();
    result.append(text("h2", v.ticket + "　" + v.title));
    var p = document.createElement("p");
    p.append("当前状态：", text("span", v.status_label, "status"));
    if (v.department) p.append("　承办单位：" + v.department);
    result.append(p);
    if (v.merged_into) {
      result.append(text("p", "已与工单 " + v.merged_into.ticket + " 合并办理，该工单状态：" + v.merged_into.status_label, "muted"));
    }
    var reply = v.reply || (v.merged_into && v.merged_into.reply);
    if (reply) {
      result.append(text("h2", "答复（" + (reply.department || "") + "）"));
      result.append(text("div", reply.content, "reply"));
    }
    result.append(text("h2", "办理过程"));
    var ol = document.createElement("ol");
    ol.className = "timeline";
    (v.timeline || []).forEach(function (e) {
      var li = document.createElement("li");
      li.append(text("time", when(e.created)), text("span", e.summary || e.label));
      if (e.note) li.append(text("div", e.note, "muted"));
      ol.append(li);
    });
    result.append(ol);
    result.hidden = false;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearErrors();
    var body = { ticket: form.ticket.value.trim(), query_code: form.query_code.value.trim() };
    fetch("/api/track", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (r) {
        if (r.ok) return render(r.body);
        result.hidden = true;
        var data = r.body.data || {};
        Object.keys(data).forEach(function (f) {
          var el = document.getElementById(f + "-error");
          if (el) el.textContent = data[f].message;
        });
        document.getElementById("form-error").textContent = r.body.message || "查询失败，请稍后再试";
      })
      .catch(function () { document.getElementById("form-error").textContent = "网络连接失败，请稍后再试"; });
  });
})();
