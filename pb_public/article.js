// One 政务公开 article (article.html?id=). The body is rich text that the
// server sanitises when it is saved (plugins/portal/sanitize.go); it is
// inserted as HTML only after a second, client-side pass with the same
// whitelist, so that a body stored some other way still cannot run code.
(function () {
  "use strict";
  var el = SY.el;
  var id = SY.param("id");

  var KEEP = { P: 1, BR: 1, H2: 1, H3: 1, H4: 1, UL: 1, OL: 1, LI: 1, STRONG: 1, EM: 1, B: 1, I: 1, U: 1, A: 1, IMG: 1,
    TABLE: 1, THEAD: 1, TBODY: 1, TR: 1, TH: 1, TD: 1, BLOCKQUOTE: 1 };
  var DROP = /^(SCRIPT|STYLE|IFRAME|FRAME|FRAMESET|OBJECT|EMBED|APPLET|SVG|MATH|TEMPLATE|NOSCRIPT|FORM|INPUT|BUTTON|SELECT|TEXTAREA|LINK|META|BASE|TITLE|VIDEO|AUDIO|SOURCE|CANVAS|DIALOG)$/;
  var ATTRS = { A: ["href", "title"], IMG: ["src", "alt", "title", "width", "height"], TH: ["colspan", "rowspan"], TD: ["colspan", "rowspan"] };

  function cleanURL(v) { return String(v).replace(/[\u0000-\u0020\u007f]/g, ""); }
  function safeHref(v) {
    var s = cleanURL(v);
    return /^(https?:|mailto:)/i.test(s) || !/^[a-z][a-z0-9+.-]*:/i.test(s);
  }
  function safeSrc(v) {
    var s = cleanURL(v);
    return s !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(s) && s.indexOf("//") !== 0 && s.indexOf("\\") < 0;
  }

  function clean(node) {
    Array.from(node.childNodes).forEach(function (n) {
      if (n.nodeType === Node.TEXT_NODE) return;
      if (n.nodeType !== Node.ELEMENT_NODE) { n.remove(); return; }
      var tag = n.tagName.toUpperCase();
      if (DROP.test(tag)) { n.remove(); return; }
      clean(n);
      if (!KEEP[tag]) { n.replaceWith.apply(n, Array.from(n.childNodes)); return; }
      var allowed = ATTRS[tag] || [];
      Array.from(n.attributes).forEach(function (a) {
        var name = a.name.toLowerCase();
        var ok = allowed.indexOf(name) >= 0 &&
          (name !== "href" || safeHref(a.value)) &&
          (name !== "src" || safeSrc(a.value)) &&
          (name !== "colspan" && name !== "rowspan" && name !== "width" && name !== "height" || /^\d{1,4}$/.test(a.value));
        if (!ok) n.removeAttribute(a.name);
      });
      if (tag === "A") {
        if (!n.hasAttribute("href")) { n.replaceWith.apply(n, Array.from(n.childNodes)); return; }
        n.setAttribute("rel", "noopener noreferrer nofollow");
      }
      if (tag === "IMG" && !n.hasAttribute("src")) n.remove();
    });
  }

  // safeHTML parses html in an inert document (nothing runs or loads
  // there), cleans it and answers the nodes for this page.
  function safeHTML(html) {
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + String(html || ""), "text/html");
    clean(doc.body);
    var frag = document.createDocumentFragment();
    Array.from(doc.body.childNodes).forEach(function (n) { frag.append(document.importNode(n, true)); });
    return frag;
  }

  var FILE_KINDS = { pdf: "PDF 文件", doc: "Word 文件", docx: "Word 文件", xls: "Excel 文件", xlsx: "Excel 文件",
    jpg: "图片", jpeg: "图片", png: "图片", gif: "图片", webp: "图片" };

  // fileLabel names an attachment for people. PocketBase stores
  // "name_abc123xyz0.pdf", keeping only Latin letters and digits of the
  // original name (a Chinese name becomes ten random characters).
  function fileLabel(name, i) {
    var ext = (name.split(".").pop() || "").toLowerCase();
    var kind = FILE_KINDS[ext] || "文件";
    var base = name.replace(/\.[^.]*$/, "");
    var m = /^(.+)_[a-z0-9]{10}$/i.exec(base);
    // A name without Latin letters is stored as random_random.ext.
    var named = m && !/^[a-z0-9]{10}$/.test(m[1]);
    return named ? m[1] + "." + ext + "（" + kind + "）" : "附件 " + (i + 1) + "（" + kind + "）";
  }

  SY.load(SY.$("#article"), function () {
    if (!id) return Promise.reject(new Error("没有指定要查看的信息，请从政务公开列表进入。"));
    return SY.record("articles", id, { expand: "department" });
  }, function (a, box) {
    var dept = a.expand && a.expand.department;
    var kindLabel = SY.ARTICLE_KIND[a.kind] || "政务公开";
    document.title = a.title + " — " + kindLabel + " — 泗阳网络直通车";
    SY.$("#back").href = "articles.html?kind=" + encodeURIComponent(a.kind);
    SY.$("#back").textContent = "← 返回" + kindLabel;
    var body = el("div", { class: "article-body", id: "body" });
    body.append(safeHTML(a.body));
    var files = a.attachments || [];
    SY.fill(box,
      el("h1", null, a.title),
      el("p", { class: "muted" }, [kindLabel, dept && dept.name, "发布时间：" + SY.formatDate(a.published_at, true)].filter(Boolean).join(" · ")),
      a.cover ? el("img", { class: "cover", src: SY.fileURL(a, a.cover, "480x270"), alt: "" }) : null,
      a.summary && !a.body ? el("p", null, a.summary) : null,
      body,
      files.length ? [
        el("h2", null, "附件"),
        el("ul", { class: "list" }, files.map(function (f, i) {
          return el("li", null, el("a", { class: "title", href: SY.fileURL(a, f), download: "" }, fileLabel(f, i)));
        }))
      ] : null);
  });
})();
