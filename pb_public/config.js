// Settings an administrator may change without touching the pages' code.
window.SY_CONFIG = {
  // 地图选点。tiles 留空（默认）时不显示地图，居民只填写地址。
  // 启用时填写本单位自建瓦片服务的地址模板，例如 "/tiles/{z}/{x}/{y}.png"；
  // 页面不得从互联网加载任何内容，请勿填写外网地址。
  map: {
    tiles: "",
    attribution: "",
    center: [33.7215, 118.6985], // 泗阳县城（纬度, 经度）
    zoom: 14,
    minZoom: 9,
    maxZoom: 18
  }
};
