"""A trace rendered for people (a table) and for tools (JSON, Graphviz dot)."""

import json

from django.utils.translation import gettext
from rich.console import Console
from rich.table import Table

from tracelot.trace.engine import Trace


def trace_json(trace: Trace) -> str:
    return json.dumps(trace.as_json(), ensure_ascii=False, indent=2)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def trace_dot(trace: Trace) -> str:
    """Graphviz: lots as boxes, suppliers and customers as the roots and leaves."""
    lines = ["digraph trace {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"]
    start = set(trace.start)
    for lot in trace.lots:
        style = ", style=bold" if lot["code"] in start else ""
        label = f"{lot['code']}\\n{lot['item']} {lot['quantity']} {lot['unit']}\\n{lot['status']}"
        lines.append(f"  {_quote(lot['code'])} [label={_quote(label)}{style}];")
    for edge in trace.edges:
        lines.append(
            f"  {_quote(edge['from'])} -> {_quote(edge['to'])} [label={_quote(edge['quantity'])}];"
        )
    for supplier in trace.suppliers:
        node = _quote("supplier:" + supplier["code"])
        lines.append(f"  {node} [shape=house, label={_quote(supplier['name'])}];")
        lines.extend(f"  {node} -> {_quote(code)};" for code in supplier["lots"])
    for customer in trace.customers:
        node = _quote("customer:" + customer["code"])
        lines.append(f"  {node} [shape=invhouse, label={_quote(customer['name'])}];")
        lines.extend(f"  {_quote(code)} -> {node};" for code in customer["lots"])
    lines.append("}")
    return "\n".join(lines)


def trace_table(trace: Trace, console: Console) -> None:
    title = (
        gettext("Backward trace of %(start)s")
        if trace.direction == "backward"
        else gettext("Forward trace of %(start)s")
    ) % {"start": ", ".join(trace.start)}
    lots = Table(title=title)
    for header in (
        gettext("Lot"),
        gettext("Item"),
        gettext("GS1 batch"),
        gettext("On hand"),
        gettext("Status"),
        gettext("Supplier lot"),
    ):
        lots.add_column(header)
    for lot in trace.lots:
        lots.add_row(
            lot["code"],
            lot["item"],
            lot["lot"],
            f"{lot['quantity']} {lot['unit']}",
            lot["status"],
            lot["supplier_lot"] or "",
        )
    console.print(lots)
    for title, who, parties in (
        (gettext("Suppliers"), gettext("Supplier"), trace.suppliers),
        (gettext("Customers"), gettext("Customer"), trace.customers),
    ):
        if parties:
            table = Table(title=title)
            for header in (who, gettext("GLN"), gettext("Lots")):
                table.add_column(header)
            for party in parties:
                table.add_row(party["name"], party["gln"] or "", ", ".join(party["lots"]))
            console.print(table)
    console.print(
        gettext("%(lots)s lots, %(edges)s links, %(shipments)s shipments.")
        % {"lots": len(trace.lots), "edges": len(trace.edges), "shipments": len(trace.shipments)}
    )
