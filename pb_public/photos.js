// Photo picker shared by the submit and track pages: previews, removal, and
// compression in the browser (canvas → JPEG, longest side ≤ 1600 px,
// quality 0.8), so that a phone photo of 5 MB uploads as about 300 KB.
(function () {
  "use strict";
  var MAX_SIDE = 1600, QUALITY = 0.8, MAX_BYTES = 10 * 1024 * 1024;
  var el = SY.el;

  function decode(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }

  function toBlob(canvas, quality) {
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (b) { if (b) resolve(b); else reject(new Error("encode")); }, "image/jpeg", quality);
    });
  }

  // compress answers {blob, name} for an image file, or rejects with a
  // Chinese message.
  function compress(file) {
    var name = file.name || "photo";
    if (!/^image\//.test(file.type) && !/\.(jpe?g|png|gif|webp|heic|heif)$/i.test(name)) {
      return Promise.reject(new Error("「" + name + "」不是图片，这里只能添加照片"));
    }
    return decode(file).then(function (img) {
      var w = img.naturalWidth, h = img.naturalHeight;
      var s = Math.min(1, MAX_SIDE / Math.max(w, h, 1));
      var c = document.createElement("canvas");
      c.width = Math.max(1, Math.round(w * s));
      c.height = Math.max(1, Math.round(h * s));
      var ctx = c.getContext("2d");
      ctx.fillStyle = "#fff"; // transparent PNGs get a white background, not black
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 0, 0, c.width, c.height);
      return toBlob(c, QUALITY).then(function (b) { return b.size <= MAX_BYTES ? b : toBlob(c, 0.5); })
        .then(function (b) { return { blob: b, name: name.replace(/\.[^.]*$/, "") + ".jpg" }; });
    }, function () {
      // The browser cannot read it (HEIC outside Safari): send it as it is
      // when small enough; the server checks the real type.
      if (file.size <= MAX_BYTES) return { blob: file, name: name };
      throw new Error("「" + name + "」无法压缩且超过 10 MB，请换一张照片");
    }).then(function (f) {
      if (f.blob.size > MAX_BYTES) throw new Error("「" + name + "」压缩后仍超过 10 MB，请换一张照片");
      return f;
    });
  }

  function size(bytes) {
    return bytes < 1024 * 1024 ? Math.max(1, Math.round(bytes / 1024)) + " KB" : (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  // PhotoPicker wires a file input, a preview list, a status line and an
  // error line. It answers files() for the upload, busy() while compressing,
  // and clear().
  SY.PhotoPicker = function (input, list, status, error, max) {
    var items = [];
    var pending = 0;

    function render() {
      list.replaceChildren.apply(list, items.map(function (it, i) {
        var del = el("button", { type: "button", class: "btn-secondary", "aria-label": "删除第 " + (i + 1) + " 张照片" }, "删除");
        del.addEventListener("click", function () {
          URL.revokeObjectURL(it.url);
          items.splice(i, 1);
          render();
          SY.announce("已删除第 " + (i + 1) + " 张照片");
          (list.querySelector("button") || input).focus();
        });
        return el("li", null, el("img", { src: it.url, alt: "第 " + (i + 1) + " 张照片预览" }), el("span", null, size(it.blob.size)), del);
      }));
      if (!pending) status.textContent = items.length ? "已添加 " + items.length + " 张照片（最多 " + max + " 张）" : "";
    }

    input.addEventListener("change", function () {
      var files = Array.from(input.files || []);
      input.value = "";
      error.textContent = "";
      var room = max - items.length - pending;
      if (files.length > room) {
        error.textContent = "最多只能添加 " + max + " 张照片，多选的 " + (files.length - Math.max(room, 0)) + " 张没有添加";
        files = files.slice(0, Math.max(room, 0));
      }
      if (!files.length) return;
      pending += files.length;
      status.textContent = "正在处理照片…";
      files.forEach(function (file) {
        compress(file).then(function (f) {
          f.url = URL.createObjectURL(f.blob);
          items.push(f);
        }, function (e) {
          error.textContent = e.message;
        }).then(function () {
          pending--;
          render();
        });
      });
    });

    return {
      files: function () { return items.slice(); },
      busy: function () { return pending > 0; },
      clear: function () {
        items.forEach(function (it) { URL.revokeObjectURL(it.url); });
        items = [];
        render();
      }
    };
  };
})();
