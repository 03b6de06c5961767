// Map picker of the submit page: shown only when SY_CONFIG.map.tiles names
// a tile server (none is configured by default, so the page asks for an
// address only). A tap on the map marks the place; SY.mapPoint holds it.
(function () {
  "use strict";
  var cfg = (window.SY_CONFIG && window.SY_CONFIG.map) || {};
  SY.mapPoint = null;
  if (!cfg.tiles) return;

  var box = SY.$("#map"), status = SY.$("#map-status");
  var zoom = cfg.zoom || 14;
  var center = project(cfg.center[0], cfg.center[1], zoom);
  var pin = SY.el("span", { class: "pin" });
  SY.$("#map-part").hidden = false;

  function project(lat, lon, z) {
    var n = 256 * Math.pow(2, z), s = Math.sin(lat * Math.PI / 180);
    return { x: (lon + 180) / 360 * n, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n };
  }
  function unproject(x, y, z) {
    var n = 256 * Math.pow(2, z), m = Math.PI - 2 * Math.PI * y / n;
    return { lat: 180 / Math.PI * Math.atan(Math.sinh(m)), lon: x / n * 360 - 180 };
  }
  function tile(z, x, y) {
    return cfg.tiles.replace("{z}", z).replace("{x}", x).replace("{y}", y);
  }

  function draw() {
    var w = box.clientWidth, h = box.clientHeight, left = center.x - w / 2, top = center.y - h / 2;
    var n = Math.pow(2, zoom), nodes = [];
    for (var tx = Math.floor(left / 256); tx <= Math.floor((left + w) / 256); tx++) {
      for (var ty = Math.floor(top / 256); ty <= Math.floor((top + h) / 256); ty++) {
        if (ty < 0 || ty >= n) continue;
        var img = SY.el("img", { src: tile(zoom, ((tx % n) + n) % n, ty), alt: "", draggable: "false" });
        img.style.left = (tx * 256 - left) + "px";
        img.style.top = (ty * 256 - top) + "px";
        nodes.push(img);
      }
    }
    if (SY.mapPoint) {
      var p = project(SY.mapPoint.lat, SY.mapPoint.lon, zoom);
      pin.style.left = (p.x - left) + "px";
      pin.style.top = (p.y - top) + "px";
      nodes.push(pin);
    }
    if (cfg.attribution) nodes.push(SY.el("span", { class: "attribution" }, cfg.attribution));
    box.replaceChildren.apply(box, nodes);
  }

  function setZoom(z) {
    z = Math.max(cfg.minZoom || 3, Math.min(cfg.maxZoom || 18, z));
    var c = unproject(center.x, center.y, zoom);
    zoom = z;
    center = project(c.lat, c.lon, zoom);
    draw();
  }

  function mark(point) {
    SY.mapPoint = point;
    status.textContent = point
      ? "已标出位置（纬度 " + point.lat.toFixed(5) + "，经度 " + point.lon.toFixed(5) + "）。再点一下可以修改。"
      : "点一下地图即可标出位置。";
    draw();
  }

  var drag = null;
  box.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, y: e.clientY, moved: 0 };
    box.setPointerCapture(e.pointerId);
  });
  box.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    drag.moved += Math.abs(dx) + Math.abs(dy);
    drag.x = e.clientX; drag.y = e.clientY;
    center = { x: center.x - dx, y: center.y - dy };
    draw();
  });
  box.addEventListener("pointerup", function (e) {
    if (drag && drag.moved < 6) {
      var r = box.getBoundingClientRect();
      mark(unproject(center.x - r.width / 2 + (e.clientX - r.left), center.y - r.height / 2 + (e.clientY - r.top), zoom));
    }
    drag = null;
  });
  SY.$("#map-in").addEventListener("click", function () { setZoom(zoom + 1); });
  SY.$("#map-out").addEventListener("click", function () { setZoom(zoom - 1); });
  SY.$("#map-clear").addEventListener("click", function () { mark(null); });
  window.addEventListener("resize", draw);
  draw();
})();
