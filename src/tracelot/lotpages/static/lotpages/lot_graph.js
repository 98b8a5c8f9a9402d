// The lot page's genealogy graph, drawn with cytoscape where lot_graph_layout.js placed it:
// left to right from suppliers to customers, item names on the lots with their codes below,
// quantities on the links. Tapping a lot opens its page; tapping a group of lots opens the
// group into its lots. On a narrow (phone) box the labels wrap tighter; a graph too wide to
// read whole is shown readable around the lot traced, and the reader pans.
(function () {
  "use strict";

  const layouts = window.tracelotGraphLayout;
  const NARROW = 600; // px: a box narrower than this is a phone's
  const FONT = 'system-ui, "Noto Sans CJK SC", "Noto Sans SC", sans-serif';
  const LARGEST_ZOOM = 1.5; // a small graph is fitted no larger than this

  // Sizes in graph pixels; `readable` is the least zoom at which labels can still be read.
  const SIZES = {
    wide: {
      font: 12, edgeFont: 11, textWidth: 130, codeWidth: 180,
      gap: 60, labelMargin: 12, row: 14, padding: 7, readable: 0.8,
    },
    narrow: {
      font: 13, edgeFont: 12, textWidth: 70, codeWidth: 84,
      gap: 24, labelMargin: 4, row: 10, padding: 4, readable: 0.75,
    },
  };

  // The colours of the legend under the graph (tracelot.css, .graph-legend).
  const STYLE = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "text-wrap": "wrap",
        "text-max-width": 1000, // wrapped already, by the layout
        "text-valign": "center",
        "text-halign": "center",
        "font-family": FONT,
        "line-height": 1.25,
        color: "#1d1d1f",
        shape: "round-rectangle",
        width: "data(width)",
        height: "data(height)",
        "background-color": "#e8f0fb",
        "border-width": 1,
        "border-color": "#0b5cad",
        "min-zoomed-font-size": 5,
      },
    },
    { selector: "node[kind = 'group']", style: { "border-style": "double", "border-width": 4, "background-color": "#d6e4f7" } },
    { selector: "node[kind = 'lot'][status = 'on_hold']", style: { "border-width": 2 } },
    { selector: "node[status = 'on_hold']", style: { "border-color": "#b3261e", "background-color": "#fbe6e4" } },
    { selector: "node[start = 'yes']", style: { "border-width": 3, "border-color": "#e0a100" } },
    { selector: "node[start = 'yes'][status != 'on_hold']", style: { "background-color": "#fff4d6" } },
    { selector: "node[kind = 'supplier']", style: { "background-color": "#e3f4e8", "border-color": "#1b7f3b" } },
    { selector: "node[kind = 'customer']", style: { "background-color": "#f1e6f6", "border-color": "#6a1b9a" } },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "curve-style": "straight",
        "target-arrow-shape": "triangle",
        "line-color": "#8a9aa8",
        "target-arrow-color": "#8a9aa8",
        // written where the layout found room on the line, not always in its middle
        "source-label": "data(label)",
        "source-text-offset": "data(offset)",
        "font-family": FONT,
        color: "#3b4a57",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.9,
        "text-background-padding": 2,
        "min-zoomed-font-size": 5,
      },
    },
  ];

  function style(size) {
    return [
      ...STYLE,
      { selector: "node", style: { "font-size": size.font } },
      { selector: "edge", style: { "font-size": size.edgeFont } },
    ];
  }

  // The width of text in the graph's font at `font` pixels, as the canvas draws it.
  function measure(font) {
    const context = document.createElement("canvas").getContext("2d");
    context.font = font + "px " + FONT;
    return (text) => context.measureText(text).width;
  }

  function elements(shown, at) {
    const drawn = [];
    for (const node of shown.nodes) {
      const data = {
        id: node.id,
        label: node.label,
        kind: node.kind,
        status: node.status || "",
        start: node.start ? "yes" : "no",
        width: node.width,
        height: node.height,
        count: node.members ? node.members.length : 1,
      };
      drawn.push({ group: "nodes", data: data, position: at.get(node.id) });
    }
    for (const link of shown.links) {
      const data = { id: link.id, source: link.from, target: link.to, label: link.label, offset: link.offset || 0 };
      drawn.push({ group: "edges", data: data });
    }
    return drawn;
  }

  // Fit `part` of the graph to the box; where that makes labels too small to read, show
  // them readable around its centre.
  function fitted(cy, part, size) {
    cy.fit(part, 8);
    const zoom = cy.zoom();
    if (zoom >= size.readable && zoom <= LARGEST_ZOOM) return;
    cy.zoom(Math.min(Math.max(zoom, size.readable), LARGEST_ZOOM));
    cy.center(part);
  }

  // Pan so that a graph bigger than the box leaves no empty margin inside it, and a smaller
  // one sits in its middle: centring on a lot near an end would show half a box of nothing.
  function filled(cy) {
    const graph = cy.elements().renderedBoundingBox();
    const margin = 8;
    const shift = (low, high, room) => {
      if (high - low <= room - 2 * margin) return (room - (high - low)) / 2 - low;
      if (low > margin) return margin - low;
      if (high < room - margin) return room - margin - high;
      return 0;
    };
    cy.panBy({ x: shift(graph.x1, graph.x2, cy.width()), y: shift(graph.y1, graph.y2, cy.height()) });
  }

  function draw(box, trace) {
    const graph = layouts.genealogy(trace);
    const opened = new Set();
    const groupLabel = box.dataset.groupLabel || "{count} × {item}";
    const counted = {
      case: [box.dataset.caseOne, box.dataset.caseOther],
      pcs: [box.dataset.pieceOne, box.dataset.pieceOther],
    };
    let narrow = box.clientWidth < NARROW;
    let cy = null;

    // Show the lots in `focus` (a group just opened), or else the whole graph; when that is
    // too wide to read whole, around the lot traced, which is what the reader looks for first.
    function frame(focus) {
      const size = narrow ? SIZES.narrow : SIZES.wide;
      fitted(cy, focus ? cy.nodes().filter((node) => focus.has(node.id())) : cy.elements(), size);
      const start = cy.nodes("[start = 'yes']");
      if (!focus && cy.zoom() === size.readable && start.length) cy.center(start);
      filled(cy);
    }

    function render(focus) {
      const size = narrow ? SIZES.narrow : SIZES.wide;
      const shown = layouts.visible(graph, opened, groupLabel);
      layouts.labelled(shown, size, measure, counted);
      const drawn = elements(shown, layouts.layout(shown, size));
      if (cy) cy.destroy();
      cy = cytoscape({
        container: box,
        elements: drawn,
        layout: { name: "preset" },
        style: style(size),
        minZoom: 0.1,
        maxZoom: 3,
        autoungrabify: true,
      });
      box._cy = cy; // for the browser tests
      frame(focus);
      cy.on("tap", "node", (event) => {
        const node = event.target;
        if (node.data("kind") === "group") {
          opened.add(node.id());
          render(new Set(shown.groups.get(node.id()).members));
        } else if (node.data("kind") === "lot") {
          window.location = box.dataset.lotUrl.replace("LOTCODE", encodeURIComponent(node.id()));
        }
      });
      cy.on("mouseover", "node[kind = 'lot'], node[kind = 'group']", () => {
        box.style.cursor = "pointer";
      });
      cy.on("mouseout", "node", () => {
        box.style.cursor = "";
      });
      box.dataset.state = "drawn";
    }

    render(null);
    // A phone turned sideways, a window resized: wrap the labels for the new width, or fit.
    resized = () => {
      if (!cy || !box.isConnected) return;
      if (narrow !== box.clientWidth < NARROW) {
        narrow = !narrow;
        render(null);
      } else {
        cy.resize();
        frame(null);
      }
    };
  }

  let resized = () => {}; // what the graph drawn last does when the window's size changes
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(() => resized(), 150);
  });

  window.tracelotGraph = function () {
    const box = document.getElementById("graph");
    if (!box || typeof cytoscape === "undefined" || !layouts) return;
    fetch(box.dataset.url, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((trace) => draw(box, trace));
  };
  // The trace panel is swapped in by htmx; draw its graph each time it arrives.
  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (e.target.id === "trace") window.tracelotGraph();
  });
})();
