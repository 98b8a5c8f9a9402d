// The lot page's genealogy graph: lots as nodes, suppliers and customers at the ends;
// clicking a lot opens its page.
window.tracelotGraph = function () {
  const box = document.getElementById("graph");
  if (!box || typeof cytoscape === "undefined") return;
  fetch(box.dataset.url, { headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((trace) => {
      const start = new Set(trace.start);
      const elements = [];
      for (const lot of trace.lots) {
        elements.push({ data: { id: lot.code, label: lot.code + "\n" + lot.item, kind: start.has(lot.code) ? "start" : lot.status } });
      }
      for (const edge of trace.edges) {
        elements.push({ data: { id: edge.from + ">" + edge.to, source: edge.from, target: edge.to } });
      }
      for (const party of trace.suppliers) {
        const id = "supplier:" + party.code;
        elements.push({ data: { id: id, label: party.name, kind: "supplier" } });
        for (const code of party.lots) elements.push({ data: { id: id + ">" + code, source: id, target: code } });
      }
      for (const party of trace.customers) {
        const id = "customer:" + party.code;
        elements.push({ data: { id: id, label: party.name, kind: "customer" } });
        for (const code of party.lots) elements.push({ data: { id: code + ">" + id, source: code, target: id } });
      }
      const graph = cytoscape({
        container: box,
        elements: elements,
        layout: { name: elements.length > 400 ? "grid" : "breadthfirst", directed: true, spacingFactor: 0.9 },
        style: [
          { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "font-size": 9, "background-color": "#0b5cad", shape: "round-rectangle", width: 16, height: 16 } },
          { selector: "node[kind = 'start']", style: { "background-color": "#e0a100", width: 24, height: 24 } },
          { selector: "node[kind = 'on_hold']", style: { "background-color": "#b3261e" } },
          { selector: "node[kind = 'supplier']", style: { shape: "tag", "background-color": "#1b7f3b" } },
          { selector: "node[kind = 'customer']", style: { shape: "diamond", "background-color": "#6a1b9a" } },
          { selector: "edge", style: { width: 1, "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#9aa", "target-arrow-color": "#9aa" } },
        ],
      });
      graph.on("tap", "node", (event) => {
        const id = event.target.id();
        if (id.includes(":")) return;
        window.location = box.dataset.lotUrl.replace("LOTCODE", encodeURIComponent(id));
      });
    });
};
// The trace panel is swapped in by htmx; draw its graph each time it arrives.
document.body.addEventListener("htmx:afterSwap", (e) => {
  if (e.target.id === "trace") window.tracelotGraph();
});
