// The layout of the lot page's genealogy graph (drawn by lot_graph.js), computed here so that
// the same trace always draws the same way: suppliers at the left, then each lot at its depth
// in the genealogy (materials before what was made of them), then customers at the right.
// More than GROUP_OVER lots of one item at one depth are one group node until it is opened.
// Nothing here touches the page: text is measured by a function the caller passes.
window.tracelotGraphLayout = (function () {
  "use strict";

  const GROUP_OVER = 8;

  // ---- quantities ------------------------------------------------------------------------

  // "2947.2000" → "2947.2", "80.0" → "80": quantities as people read them.
  function plain(text) {
    const value = String(text);
    if (!value.includes(".") || /e/i.test(value)) return value;
    return value.replace(/0+$/, "").replace(/\.$/, "");
  }

  // "12480.5" → "12,480.5": thousands grouped, as the lot page's tables write quantities.
  function grouped(text) {
    const [whole, fraction] = plain(text).split(".");
    const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return fraction ? digits + "." + fraction : digits;
  }

  // A share the trace worked out (not a recorded quantity), to the places a reader needs:
  // 1092.9, 12.35, 0.123; a sum of shares that rounds to 2351 reads 2351.
  function rounded(text) {
    const value = Number(text);
    const places = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
    return value.toFixed(places);
  }

  // A quantity with its unit as the lot page writes it: "1,234.5 kg", "1 case", "48 cases",
  // "48 箱", "≈ 12.35 kg" for a share. `counted` holds, for the units counted in words, the
  // reader's forms for one and for more: {case: ["{number} case", "{number} cases"]}.
  function amount(sum, unit, symbol, counted) {
    const number = grouped(sum.share ? rounded(sum.quantity) : sum.quantity);
    const forms = counted[unit];
    const text = forms && forms[0] && forms[1]
      ? forms[Number(sum.quantity) === 1 ? 0 : 1].replace("{number}", number)
      : (number + " " + symbol).trim();
    return sum.share ? "≈ " + text : text;
  }

  // The exact sum of two decimal strings: the quantities of collapsed lots add up.
  function addDecimal(a, b) {
    if (/e/i.test(a + b)) return String(Number(a) + Number(b));
    const scale = Math.max((a.split(".")[1] || "").length, (b.split(".")[1] || "").length);
    const scaled = (text) => {
      const [whole, fraction = ""] = text.replace("-", "").split(".");
      const digits = BigInt(whole + fraction.padEnd(scale, "0"));
      return text.startsWith("-") ? -digits : digits;
    };
    const sum = scaled(a) + scaled(b);
    let digits = (sum < 0n ? -sum : sum).toString().padStart(scale + 1, "0");
    if (scale) digits = digits.slice(0, -scale) + "." + digits.slice(-scale);
    return (sum < 0n ? "-" : "") + plain(digits);
  }

  // The largest of many numbers, or 0 (spreading thousands into Math.max overflows).
  function largest(values) {
    let most = 0;
    for (const value of values) if (value > most) most = value;
    return most;
  }

  // ---- the genealogy -----------------------------------------------------------------------

  // Nodes: suppliers, lots and customers; links: what went where, with quantities.
  function genealogy(trace) {
    const start = new Set(trace.start);
    const lots = new Map();
    for (const lot of trace.lots) {
      lots.set(lot.code, {
        id: lot.code,
        kind: "lot",
        item: lot.item,
        name: lot.item_display_name || lot.item_name || lot.item,
        status: lot.status,
        start: start.has(lot.code),
        unit: lot.unit,
        symbol: lot.unit_symbol || lot.unit,
      });
    }
    const parties = [];
    const links = [];
    // `in_lot`, where the trace gives it, is the part of what the input gave its step that
    // is in this output lot: it adds up right when a step made several lots, where
    // `quantity` (all the input gave the step) would count the input once per output lot.
    // Worked out, not recorded, so it is written as approximate where it differs. Both are
    // in the unit of the input lot.
    for (const edge of trace.edges) {
      const share = edge.in_lot !== undefined && plain(edge.in_lot) !== plain(edge.quantity);
      const input = lots.get(edge.from);
      links.push({
        from: edge.from,
        to: edge.to,
        quantity: share ? edge.in_lot : edge.quantity,
        share: share,
        unit: input ? input.unit : "",
        symbol: input ? input.symbol : "",
      });
    }
    for (const party of trace.suppliers) {
      const id = "supplier:" + party.code;
      parties.push({ id: id, kind: "supplier", name: party.display_name || party.name });
      for (const code of party.lots) if (lots.has(code)) links.push({ from: id, to: code });
    }
    for (const party of trace.customers) {
      const id = "customer:" + party.code;
      parties.push({ id: id, kind: "customer", name: party.display_name || party.name || party.code });
    }
    links.push(...shipped(trace, lots));
    return { lots: lots, parties: parties, links: links };
  }

  // Links from lots to their customers, with what was shipped summed per lot and unit.
  function shipped(trace, lots) {
    const sums = new Map(); // "lot>customer:code" → unit → {quantity, unit, symbol}
    for (const shipment of trace.shipments || []) {
      const key = shipment.lot + ">customer:" + shipment.customer.code;
      if (!sums.has(key)) sums.set(key, new Map());
      const units = sums.get(key);
      const known = units.get(shipment.unit);
      if (known) known.quantity = addDecimal(known.quantity, shipment.quantity);
      else {
        const symbol = shipment.unit_symbol || shipment.unit;
        units.set(shipment.unit, { quantity: shipment.quantity, unit: shipment.unit, symbol: symbol });
      }
    }
    const links = [];
    for (const party of trace.customers) {
      const id = "customer:" + party.code;
      for (const code of party.lots) {
        if (!lots.has(code)) continue;
        const units = sums.get(code + ">" + id);
        if (!units) links.push({ from: code, to: id });
        else for (const sum of units.values()) links.push({ from: code, to: id, ...sum });
      }
    }
    return links;
  }

  // The depth of each lot: the longest chain of lots before it (1 for a lot made of no other
  // lot). A rework loop would make that endless: the links that close a loop, found by a
  // depth-first walk in code order, are left out of the count.
  function depths(lots, links) {
    const next = new Map();
    for (const code of lots.keys()) next.set(code, []);
    for (const link of links) if (lots.has(link.from) && lots.has(link.to)) next.get(link.from).push(link.to);
    for (const targets of next.values()) targets.sort();
    const state = new Map(); // 1: on the walk's path, 2: done
    const finished = [];
    const closing = new Set();
    for (const root of [...lots.keys()].sort()) {
      if (state.has(root)) continue;
      const stack = [[root, 0]];
      state.set(root, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const targets = next.get(top[0]);
        if (top[1] < targets.length) {
          const target = targets[top[1]++];
          if (state.get(target) === 1) closing.add(top[0] + ">" + target);
          else if (!state.has(target)) {
            state.set(target, 1);
            stack.push([target, 0]);
          }
        } else {
          state.set(top[0], 2);
          finished.push(top[0]);
          stack.pop();
        }
      }
    }
    const depth = new Map();
    for (const code of lots.keys()) depth.set(code, 1);
    for (const code of finished.reverse()) {
      for (const target of next.get(code)) {
        if (!closing.has(code + ">" + target)) depth.set(target, Math.max(depth.get(target), depth.get(code) + 1));
      }
    }
    return depth;
  }

  // What is drawn: each lot or the group it is collapsed into (unless `opened`), each at its
  // level, and one link between two nodes with the quantities of collapsed lots summed per
  // unit. `groupLabel` names a group: "{count} lots of {item}" in the reader's language.
  function visible(graph, opened, groupLabel) {
    const depth = depths(graph.lots, graph.links);
    const last = largest(depth.values()) + 1;
    const level = new Map(depth);
    for (const party of graph.parties) level.set(party.id, party.kind === "supplier" ? 0 : last);
    const byItem = new Map();
    for (const lot of graph.lots.values()) {
      if (lot.start) continue; // the lot traced stays in sight
      const key = level.get(lot.id) + ":" + lot.item;
      if (!byItem.has(key)) byItem.set(key, []);
      byItem.get(key).push(lot);
    }
    const nodes = [...graph.parties];
    const groups = new Map();
    const shownAs = new Map();
    for (const [key, members] of byItem) {
      const id = "group:" + key;
      if (members.length <= GROUP_OVER || opened.has(id)) continue;
      const group = {
        id: id,
        kind: "group",
        name: groupLabel.replace("{count}", members.length).replace("{item}", members[0].name),
        status: members.some((lot) => lot.status === "on_hold") ? "on_hold" : "",
        members: members.map((lot) => lot.id),
      };
      groups.set(id, group);
      nodes.push(group);
      level.set(id, level.get(members[0].id));
      for (const lot of members) shownAs.set(lot.id, id);
    }
    for (const lot of graph.lots.values()) if (!shownAs.has(lot.id)) nodes.push(lot);
    const links = new Map();
    for (const link of graph.links) {
      const from = shownAs.get(link.from) || link.from;
      const to = shownAs.get(link.to) || link.to;
      if (from === to) continue;
      const key = from + ">" + to;
      if (!links.has(key)) links.set(key, { id: key, from: from, to: to, amounts: new Map() });
      if (link.quantity === undefined) continue;
      const amounts = links.get(key).amounts; // unit → {quantity, share, symbol}
      const known = amounts.get(link.unit) || { quantity: "0", share: false };
      amounts.set(link.unit, {
        quantity: addDecimal(known.quantity, link.quantity),
        share: known.share || Boolean(link.share),
        symbol: link.symbol,
      });
    }
    return { nodes: nodes, links: [...links.values()], level: level, groups: groups };
  }

  // ---- labels ------------------------------------------------------------------------------

  const CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef";
  const WORDS = new RegExp("[" + CJK + "]+|[^\\s" + CJK + "]+|\\s+", "g");
  const CJK_RUN = new RegExp("^[" + CJK + "]+$");
  const CODE_PARTS = /[^-]+-?|-/g;
  const OPENING = /[(（【《「“]$/;

  // The lines of `text` no wider than `width` where it can be broken: names at spaces (and
  // Chinese between characters, where a run of them is too long for a line), lot codes
  // after a hyphen.
  function wrap(measure, text, width, parts) {
    const words = [];
    for (const word of String(text).match(parts || WORDS) || []) {
      const pieces = CJK_RUN.test(word) && measure(word) > width ? [...word] : [word];
      for (const piece of pieces) {
        // a line never ends with an opening bracket: it goes with what it opens
        if (words.length && OPENING.test(words[words.length - 1])) words[words.length - 1] += piece;
        else words.push(piece);
      }
    }
    const lines = [];
    let line = "";
    for (const word of words) {
      const longer = (line + word).replace(/^\s+/, "");
      if (line && measure(longer.trimEnd()) > width && !/^\s+$/.test(word)) {
        lines.push(line.trim());
        line = word;
      } else line = longer;
    }
    if (line.trim()) lines.push(line.trim());
    return lines;
  }

  // Each node's label (its name, a lot's code below) and size, each link's label and size,
  // in graph pixels. `measure(font)` answers a function that measures text in that font size;
  // `counted` is as amount() reads it.
  function labelled(shown, size, measure, counted) {
    const inNodes = measure(size.font);
    for (const node of shown.nodes) {
      const lines = wrap(inNodes, node.name, size.textWidth);
      if (node.kind === "lot") lines.push(...wrap(inNodes, node.id, size.codeWidth, CODE_PARTS));
      node.label = lines.join("\n");
      // A little more than measured: text drawn zoomed out is hinted a little wider.
      node.width = Math.ceil(largest(lines.map(inNodes)) * 1.04) + 2 * size.padding + 2;
      node.height = Math.ceil(lines.length * size.font * 1.25) + 2 * size.padding;
    }
    const onLinks = measure(size.edgeFont);
    for (const link of shown.links) {
      link.label = [...link.amounts].map(([unit, sum]) => amount(sum, unit, sum.symbol, counted)).join(" + ");
      link.width = link.label ? Math.ceil(onLinks(link.label) * 1.04) + 6 : 0;
      link.height = Math.ceil(size.edgeFont * 1.25) + 6;
    }
  }

  // ---- places ------------------------------------------------------------------------------

  // The columns, left to right; in each, nodes ordered to keep links short (a few sweeps of
  // the median of their neighbours' places, which is deterministic).
  function columns(shown) {
    const byLevel = new Map();
    for (const node of shown.nodes) {
      const level = shown.level.get(node.id);
      if (!byLevel.has(level)) byLevel.set(level, []);
      byLevel.get(level).push(node);
    }
    const ordered = [...byLevel.keys()].sort((a, b) => a - b).map((level) => byLevel.get(level));
    for (const column of ordered) column.sort((a, b) => (a.name + a.id).localeCompare(b.name + b.id));
    const place = new Map();
    const remember = (column) => column.forEach((node, i) => place.set(node.id, i / Math.max(1, column.length - 1)));
    ordered.forEach(remember);
    const before = new Map();
    const after = new Map();
    for (const link of shown.links) {
      if (!before.has(link.to)) before.set(link.to, []);
      if (!after.has(link.from)) after.set(link.from, []);
      before.get(link.to).push(link.from);
      after.get(link.from).push(link.to);
    }
    const median = (ids, fallback) => {
      if (!ids) return fallback;
      const values = ids.map((id) => place.get(id)).sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)];
    };
    for (let sweep = 0; sweep < 4; sweep++) {
      const neighbours = sweep % 2 ? after : before;
      for (const column of sweep % 2 ? [...ordered].reverse() : ordered) {
        const keys = new Map(column.map((node) => [node.id, median(neighbours.get(node.id), place.get(node.id))]));
        column.sort((a, b) => keys.get(a.id) - keys.get(b.id));
        remember(column);
      }
    }
    return ordered;
  }

  // Each node's centre: the columns side by side, each stacked around the middle. The space
  // after a column holds the quantities on the links that leave it, `wider` more where they
  // did not fit.
  function centres(shown, ordered, size, wider) {
    const gaps = new Map();
    for (const link of shown.links) {
      const level = shown.level.get(link.from);
      gaps.set(level, Math.max(gaps.get(level) || size.gap, link.width + 2 * size.labelMargin));
    }
    const at = new Map();
    let x = 0;
    ordered.forEach((column, i) => {
      const level = shown.level.get(column[0].id);
      const width = largest(column.map((node) => node.width));
      if (i) x += width / 2;
      let y = -(column.reduce((sum, node) => sum + node.height, 0) + size.row * (column.length - 1)) / 2;
      for (const node of column) {
        at.set(node.id, { x: x, y: y + node.height / 2 });
        y += node.height + size.row;
      }
      x += width / 2 + (gaps.get(level) || size.gap) + (wider.get(level) || 0);
    });
    return at;
  }

  // Rectangles {x1, y1, x2, y2} filed in a grid of cells: how much of a new one the others
  // cover is found from its own cells, not from every rectangle.
  function rectangles() {
    const CELL = 80;
    const cells = new Map();
    const each = (r, visit) => {
      for (let i = Math.floor(r.x1 / CELL); i <= Math.floor(r.x2 / CELL); i++) {
        for (let j = Math.floor(r.y1 / CELL); j <= Math.floor(r.y2 / CELL); j++) visit(i + "," + j);
      }
    };
    return {
      add(r) {
        each(r, (key) => {
          if (!cells.has(key)) cells.set(key, []);
          cells.get(key).push(r);
        });
      },
      covered(r) {
        const seen = new Set();
        let area = 0;
        each(r, (key) => {
          for (const other of cells.get(key) || []) {
            if (seen.has(other)) continue;
            seen.add(other);
            const w = Math.min(r.x2, other.x2) - Math.max(r.x1, other.x1);
            const h = Math.min(r.y2, other.y2) - Math.max(r.y1, other.y1);
            if (w > 0 && h > 0) area += w * h;
          }
        });
        return area;
      },
    };
  }

  function around(centre, width, height) {
    return { x1: centre.x - width / 2, y1: centre.y - height / 2, x2: centre.x + width / 2, y2: centre.y + height / 2 };
  }

  // Where on its line each link's quantity is written (`offset` from where the line leaves
  // its source, for cytoscape's source-text-offset): the middle, or the first of a few places
  // off it where it covers no node and no other quantity (else where it covers least).
  // Crossing links would otherwise write their quantities over each other. Answers, for each
  // level where some did not fit, the widest of them.
  const ALONG = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9];

  function placeQuantities(shown, at) {
    const crowded = new Map();
    const nodes = new Map(shown.nodes.map((node) => [node.id, node]));
    const taken = rectangles();
    for (const node of shown.nodes) taken.add(around(at.get(node.id), node.width + 2, node.height + 2));
    const length = (link) => Math.hypot(at.get(link.to).x - at.get(link.from).x, at.get(link.to).y - at.get(link.from).y);
    const labelled = shown.links.filter((link) => link.label);
    labelled.sort((a, b) => length(a) - length(b) || (a.id < b.id ? -1 : 1));
    for (const link of labelled) {
      const from = at.get(link.from);
      const whole = length(link) || 1;
      const ux = (at.get(link.to).x - from.x) / whole;
      const uy = (at.get(link.to).y - from.y) / whole;
      // how far the line runs inside a node's box
      const inside = (node) => Math.min(node.width / 2 / Math.max(Math.abs(ux), 1e-6), node.height / 2 / Math.max(Math.abs(uy), 1e-6));
      const start = inside(nodes.get(link.from));
      const open = Math.max(0, whole - start - inside(nodes.get(link.to)));
      let best = null;
      for (const share of ALONG) {
        const offset = share * open;
        const centre = { x: from.x + ux * (start + offset), y: from.y + uy * (start + offset) };
        // a few pixels to spare: a line leaves a rounded corner a little off the box's
        const r = around(centre, link.width + 4, link.height + 2);
        const covered = taken.covered(r);
        if (!best || covered < best.covered) best = { offset: offset, r: r, covered: covered };
        if (!covered) break;
      }
      link.offset = best.offset;
      taken.add(best.r);
      if (best.covered) {
        const level = shown.level.get(link.from);
        crowded.set(level, Math.max(crowded.get(level) || 0, link.width));
      }
    }
    return crowded;
  }

  // Each node's centre, with the quantities on the links placed where they cover nothing:
  // where they did not fit, the columns they leave are moved apart (a few times at most).
  function layout(shown, size) {
    const ordered = columns(shown);
    const wider = new Map();
    for (let round = 0; ; round++) {
      const at = centres(shown, ordered, size, wider);
      const crowded = placeQuantities(shown, at);
      if (!crowded.size || round === 6) return at;
      for (const [level, width] of crowded) wider.set(level, (wider.get(level) || 0) + width);
    }
  }

  return {
    genealogy: genealogy,
    visible: visible,
    labelled: labelled,
    layout: layout,
    // for the browser tests
    addDecimal: addDecimal,
    amount: amount,
    depths: depths,
  };
})();
