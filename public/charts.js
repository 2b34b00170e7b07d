// The one piece of hand-written JavaScript: a bridge from the Rust pages (which build ECharts
// options with charming and pass them as JSON) to ECharts (public/vendor/echarts.min.js, bundled
// from the pinned npm package with only the charts the pages use by `make npm`: scripts/echarts.mjs).
(function () {
  "use strict";
  function draw(el, optionJson, group) {
    if (!window.echarts || !el) return;
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "canvas" });
    var option = JSON.parse(optionJson);
    chart.setOption(option, { notMerge: true });
    if (group) {
      chart.group = group;
      window.echarts.connect(group);
    }
    if (!el.__mmiResize && window.ResizeObserver) {
      el.__mmiResize = new ResizeObserver(function () { chart.resize(); });
      el.__mmiResize.observe(el);
    }
    // For tests and screen readers: how many series and points the chart now shows.
    var series = option.series || [];
    var points = 0;
    for (var i = 0; i < series.length; i++) points += (series[i].data || []).length;
    el.dataset.series = String(series.length);
    el.dataset.points = String(points);
    el.dataset.drawn = "true";
  }
  function dispose(el) {
    var chart = el && window.echarts && window.echarts.getInstanceByDom(el);
    if (chart) chart.dispose();
  }
  window.mmiCharts = { draw: draw, dispose: dispose };
})();
