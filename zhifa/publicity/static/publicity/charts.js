/* zhifa: the annual report's charts (ECharts, served from this site). Each table stays on the page; a chart is drawn
   above it from the same rows (#stat-data). Without JavaScript the tables are the report. */
(function () {
  "use strict";
  var source = document.getElementById("stat-data");
  if (!source || !window.echarts) return;
  var tables = JSON.parse(source.textContent);
  tables.forEach(function (t) {
    var box = document.querySelector('.chart[data-chart="' + t.key + '"]');
    if (!box || !t.rows.length) return;
    box.hidden = false;
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", t.title);
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    var labels = t.rows.map(function (r) { return r[0]; });
    var values = t.rows.map(function (r) { return r[1]; });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels, inverse: true, axisLabel: { width: 160, overflow: "truncate" } },
      series: [{ type: "bar", data: values, label: { show: true, position: "right" }, itemStyle: { color: "#1f5f99" } }],
      tooltip: {}
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
