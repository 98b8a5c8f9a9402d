// Dashboard charts drawn with the vendored ECharts from the figures the page carries.
(function () {
  if (typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("charts-data").textContent);
  const drawn = [];
  const chart = (id, option) => {
    const box = document.getElementById(id);
    if (!box) return null; // no box: the page says in words that there is nothing to draw
    const instance = echarts.init(box);
    instance.setOption(option);
    drawn.push(instance);
    return instance;
  };
  chart("chart-output", {
    tooltip: { trigger: "axis" }, legend: {},
    xAxis: { type: "category", data: data.output.days },
    yAxis: { type: "value" },
    series: data.output.series.map((s) => ({ name: s.name, type: "bar", stack: "output", data: s.data })),
  });
  chart("chart-status", { tooltip: {}, series: [{ type: "pie", radius: "60%", data: data.status }] });

  // QC pass rates: one chart per group (line, shift, supplier), one line per member over
  // the ISO weeks. Names come from the master data: the tooltip's HTML escapes them.
  const escape = echarts.format.encodeHTML;
  const weeks = data.qc.weeks;
  const measured = (point) => point.data !== null && typeof point.data === "object";
  const tip = (points) => {
    const lines = [escape(weeks[points[0].dataIndex].title)];
    for (const point of points.filter(measured)) {
      lines.push(`${point.marker}${escape(point.seriesName)}: <b>${point.value} %</b> (${escape(point.data.note)})`);
    }
    return lines.join("<br>");
  };
  // ECharts' own colours, given here so that the list under each chart, which is the
  // chart's legend (HTML wraps a long name, a canvas legend cuts it), shows the same ones.
  const palette = ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"];
  const font = { fontFamily: window.getComputedStyle(document.body).fontFamily }; // the page's, with its CJK font
  const grey = "#8a8a90"; // the summed "other" series: dashed and grey, it is no one place
  for (const group of ["line", "shift", "supplier"]) {
    const series = data.qc[group];
    const colour = (s, n) => (s.url ? palette[n % palette.length] : grey);
    const qc = chart("chart-qc-" + group, {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      textStyle: font,
      tooltip: { trigger: "axis", confine: true, formatter: tip, textStyle: font },
      xAxis: { type: "category", data: weeks.map((week) => week.label) },
      yAxis: { type: "value", min: 0, max: 100, interval: 25, axisLabel: { formatter: "{value} %" } },
      series: series.map((s, n) => ({
        name: s.name,
        type: "line",
        showSymbol: true, // a week between two empty ones is a point, not nothing
        symbolSize: 8,
        cursor: s.url ? "pointer" : "default",
        itemStyle: { color: colour(s, n) },
        lineStyle: { color: colour(s, n), type: s.url ? "solid" : "dashed" },
        data: s.points.map((p) => (p === null ? "-" : { value: p.rate, note: p.note })),
      })),
    });
    if (!qc) continue;
    // A point opens the lot list of its line, shift or supplier, made or received that week.
    qc.on("click", (point) => {
      const s = series[point.seriesIndex];
      if (!s || !s.url || !measured(point)) return;
      const url = new URL(s.url, window.location.href);
      url.searchParams.set("date_from", weeks[point.dataIndex].from);
      url.searchParams.set("date_to", weeks[point.dataIndex].to);
      window.location.assign(url.toString());
    });
    // The list as the legend: each row's colour, and its line stands out while pointed at.
    for (const row of document.querySelectorAll(`[data-qc-legend="${group}"] tr[data-series]`)) {
      const n = Number(row.dataset.series);
      const swatch = document.createElement("span");
      swatch.className = series[n].url ? "swatch" : "swatch other";
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.borderColor = colour(series[n], n);
      (row.cells[0].querySelector("summary") || row.cells[0]).prepend(swatch);
      row.addEventListener("mouseenter", () => qc.dispatchAction({ type: "highlight", seriesIndex: n }));
      row.addEventListener("mouseleave", () => qc.dispatchAction({ type: "downplay", seriesIndex: n }));
    }
  }
  window.addEventListener("resize", () => drawn.forEach((instance) => instance.resize()));
})();
