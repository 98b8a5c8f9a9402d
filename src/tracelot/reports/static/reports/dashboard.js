// Dashboard charts drawn with the vendored ECharts from the figures the page carries.
(function () {
  if (typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("charts-data").textContent);
  const chart = (id, option) => {
    const box = document.getElementById(id);
    if (box) echarts.init(box).setOption(option);
  };
  chart("chart-output", {
    tooltip: { trigger: "axis" }, legend: {},
    xAxis: { type: "category", data: data.output.days },
    yAxis: { type: "value" },
    series: data.output.series.map((s) => ({ name: s.name, type: "bar", stack: "output", data: s.data })),
  });
  const groups = ["line", "shift", "supplier"];
  const names = [];
  const rates = [];
  for (const group of groups) for (const row of data.qc[group]) { names.push(row.name); rates.push(row.rate); }
  chart("chart-qc", {
    tooltip: {}, xAxis: { type: "category", data: names, axisLabel: { rotate: 30 } },
    yAxis: { type: "value", min: 0, max: 100 }, series: [{ type: "bar", data: rates }],
  });
  chart("chart-status", { tooltip: {}, series: [{ type: "pie", radius: "60%", data: data.status }] });
})();
