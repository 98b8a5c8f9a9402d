"""The incident's scope drawn for the PDF in three layers: the lots in question, the
materials they go back to, and how many lots of each item and status were made from them.

A few boxes per layer, the rest counted in a last one: the diagram shows the shape of the
scope on a page; the lots table and the XLSX's links sheet hold every lot and link.
"""

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from fpdf import FPDF

from tracelot.core.sql import values_in
from tracelot.incidents.models import ScopeRole
from tracelot.labels.document import FONT
from tracelot.lots.models import Lot, LotStatus
from tracelot.reports.incident.data import IncidentReport
from tracelot.trace.engine import Direction, reached_lot_ids

BOXES = 5  # per layer; what is left over is counted in one more box
BOX_WIDTH, BOX_HEIGHT, BOX_GAP = 52.0, 10.0, 3.0  # mm
IN_QUESTION, MATERIAL, MADE = (251, 226, 226), (253, 243, 214), (226, 236, 251)  # fills


@dataclass
class Box:
    lines: tuple[str, str]
    lot_ids: frozenset[int]


@dataclass
class Layer:
    title: str
    boxes: list[Box]
    fill: tuple[int, int, int]
    more: int = 0  # lots not drawn
    backward: bool = False  # its boxes are reached from the layer before by walking back


@dataclass
class ScopeGraph:
    layers: list[Layer]
    # ((layer, box), (next layer, box)): the left box leads to the right one.
    links: set[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=set)


def scope_graph(report: IncidentReport) -> ScopeGraph:
    """The layers of the scope and the links between the boxes drawn."""
    scope = report.scope
    ids = dict(Lot.objects.filter(pk__in=values_in(scope.lot_ids)).values_list("code", "pk"))
    rows = {row["code"]: row for row in scope.lots if row["code"] in ids}
    codes = {pk: code for code, pk in ids.items()}
    start = [codes[pk] for pk in report.start_ids if codes.get(pk) in rows]
    materials = [code for code in scope.materials if code in rows]
    made = [row for code, row in rows.items() if code not in set(materials)]
    layers = [
        _lot_layer(str(capfirst(ScopeRole.START.label)), start, rows, ids, fill=IN_QUESTION),
        _lot_layer(gettext("Materials"), materials, rows, ids, fill=MATERIAL, backward=True),
        _group_layer(made, ids),
    ]
    graph = ScopeGraph(layers=[layer for layer in layers if layer.boxes])
    for index, layer in enumerate(graph.layers[1:], start=1):
        direction = Direction.BACKWARD if layer.backward else Direction.FORWARD
        for left, box in enumerate(graph.layers[index - 1].boxes):
            reached = set(reached_lot_ids(lot_ids=sorted(box.lot_ids), direction=direction))
            for right, other in enumerate(layer.boxes):
                if reached & other.lot_ids:
                    graph.links.add(((index - 1, left), (index, right)))
    return graph


def _lot_layer(
    title: str,
    codes: list[str],
    rows: dict[str, dict[str, Any]],
    ids: dict[str, int],
    *,
    fill: tuple[int, int, int],
    backward: bool = False,
) -> Layer:
    boxes = [Box((code, rows[code]["item_name"]), frozenset({ids[code]})) for code in codes[:BOXES]]
    return Layer(title, boxes, fill, more=max(len(codes) - BOXES, 0), backward=backward)


def _group_layer(rows: list[dict[str, Any]], ids: dict[str, int]) -> Layer:
    """The lots made from the materials, counted by item and status, the biggest first."""
    groups: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        status = str(LotStatus(row["status"]).label) if row["status"] in LotStatus.values else ""
        groups.setdefault((row["item_name"], status or row["status"]), set()).add(ids[row["code"]])
    ordered = sorted(groups.items(), key=lambda group: (-len(group[1]), group[0]))
    boxes = [
        Box((item, f"{status}: {len(lots)}"), frozenset(lots))
        for (item, status), lots in ordered[:BOXES]
    ]
    more = sum(len(lots) for _key, lots in ordered[BOXES:])
    return Layer(gettext("Made from them"), boxes, MADE, more=more)


def graph_draw(pdf: FPDF, graph: ScopeGraph) -> None:
    """Draw the layers left to right, a link as an arrow from box to box."""
    if not graph.layers:
        return
    rows = max(len(layer.boxes) + (1 if layer.more else 0) for layer in graph.layers)
    height = 6 + rows * (BOX_HEIGHT + BOX_GAP)
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    gap = (pdf.epw - 3 * BOX_WIDTH) / 2
    places: dict[tuple[int, int], tuple[float, float]] = {}
    for index, layer in enumerate(graph.layers):
        x = pdf.l_margin + index * (BOX_WIDTH + gap)
        pdf.set_font(FONT, size=8)
        pdf.set_xy(x, top)
        pdf.cell(BOX_WIDTH, 5, _fit(pdf, layer.title, BOX_WIDTH), align="C")
        for row, box in enumerate(layer.boxes):
            y = top + 6 + row * (BOX_HEIGHT + BOX_GAP)
            places[(index, row)] = (x, y)
            _box(pdf, x, y, box.lines, layer.fill)
        if layer.more:
            y = top + 6 + len(layer.boxes) * (BOX_HEIGHT + BOX_GAP)
            more = ngettext("%(count)s more lot", "%(count)s more lots", layer.more)
            _box(pdf, x, y, (more % {"count": layer.more}, ""), (245, 245, 245))
    for left, right in sorted(graph.links):
        (x1, y1), (x2, y2) = places[left], places[right]
        _arrow(pdf, x1 + BOX_WIDTH, y1 + BOX_HEIGHT / 2, x2, y2 + BOX_HEIGHT / 2)
    pdf.set_xy(pdf.l_margin, top + height + 2)


def _box(pdf: FPDF, x: float, y: float, lines: tuple[str, str], fill: tuple[int, ...]) -> None:
    pdf.set_fill_color(*fill)
    pdf.set_draw_color(120, 120, 120)
    pdf.rect(x, y, BOX_WIDTH, BOX_HEIGHT, style="DF")
    pdf.set_font(FONT, size=7)
    shown = [line for line in lines if line]
    top = y + (BOX_HEIGHT - 4.5 * len(shown)) / 2  # one line (a count) in the middle
    for number, line in enumerate(shown):
        pdf.set_xy(x, top + number * 4.5)
        pdf.cell(BOX_WIDTH, 4.5, _fit(pdf, line, BOX_WIDTH - 2), align="C")
    pdf.set_draw_color(0, 0, 0)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut short with an ellipsis to fit `width` (a long item name in a box)."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _arrow(pdf: FPDF, x1: float, y1: float, x2: float, y2: float) -> None:
    pdf.set_draw_color(90, 90, 90)
    pdf.line(x1, y1, x2, y2)
    angle = math.atan2(y2 - y1, x2 - x1)
    for side in (-0.4, 0.4):
        pdf.line(x2, y2, x2 - 2 * math.cos(angle + side), y2 - 2 * math.sin(angle + side))
    pdf.set_draw_color(0, 0, 0)
