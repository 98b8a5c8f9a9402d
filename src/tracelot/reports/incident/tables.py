"""The sections of the incident report as tables: headers in the reader's language, then rows
of plain values (datetimes, Decimals, text), so that the PDF and the XLSX print the same
columns from one place. Columns named after a model field take the field's own name."""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from tracelot.accounts.models import Signature
from tracelot.core.clock import plant_time
from tracelot.core.sql import values_in
from tracelot.edges.models import Edge
from tracelot.incidents.causes import KIND_LABELS
from tracelot.incidents.containment import Containment
from tracelot.incidents.models import Action, EntryKind, Incident, IncidentEntry, RecallCustomer
from tracelot.items.models import unit_symbol
from tracelot.lots.models import LotStatus
from tracelot.quality.models import Decision
from tracelot.reports.incident.data import BALANCE_COLUMNS, IncidentReport

Table = tuple[list[str], list[list[Any]]]


def field_label(model: type[Model], name: str) -> str:
    """A column named as the model names its field, in the reader's language."""
    field = model._meta.get_field(name)
    return str(capfirst(str(getattr(field, "verbose_name", name))))


def model_title(model: type[Model], *, plural: bool = True) -> str:
    """A section named as the model names its records, in the reader's language."""
    name = model._meta.verbose_name_plural if plural else model._meta.verbose_name
    return str(capfirst(str(name)))


def joined(values: Sequence[str]) -> str:
    return str(pgettext("list separator", ", ")).join(value for value in values if value)


def _label(choices: Any, value: str) -> str:
    """A stored choice as the reader's language names it (an unknown one as stored)."""
    return str(choices(value).label) if value in choices.values else value


def summary_table(report: IncidentReport) -> Table:
    """The incident in one row: what, how bad, whose, since when, and how it was closed."""
    incident = report.incident
    closing = incident.close_signature
    conclusion = [e.text for e in report.entries if e.kind == EntryKind.CLOSED]
    pairs: list[tuple[str, Any]] = [
        (field_label(Incident, "number"), incident.number),
        (field_label(Incident, "title"), incident.title),
        (field_label(Incident, "severity"), incident.get_severity_display()),
        (field_label(Incident, "status"), incident.get_status_display()),
        (field_label(Incident, "owner"), incident.owner.display_name),
        (field_label(Incident, "opened_at"), incident.opened_at),
        (field_label(Incident, "opened_by"), incident.opened_by.display_name),
        (field_label(Incident, "source"), _source(incident)),
        (field_label(Incident, "description"), incident.description),
        (field_label(Incident, "closed_at"), incident.closed_at),
        (field_label(Incident, "close_signature"), closing.printed_name if closing else ""),
        (gettext("Conclusion"), conclusion[-1] if conclusion else ""),
    ]
    return [label for label, _value in pairs], [[value for _label, value in pairs]]


def _source(incident: Incident) -> str:
    """The source, with what it named as given."""
    given = [
        str(incident.customer.display_name) if incident.customer else "",
        incident.supplier_lot,
        incident.customer_lot_text,
        str(incident.item.display_name) if incident.item else "",
        incident.line.code if incident.line else "",
    ]
    if incident.window_start and incident.window_end:
        given.append(f"{plant_time(incident.window_start)} - {plant_time(incident.window_end)}")
    return " · ".join([incident.get_source_display(), *(g for g in given if g)])


def status_table(report: IncidentReport) -> Table:
    counts: dict[str, int] = defaultdict(int)
    for row in report.scope.lots:
        counts[_label(LotStatus, row["status"])] += 1
    return [gettext("Status"), gettext("Count")], [[k, v] for k, v in sorted(counts.items())]


def scope_table(report: IncidentReport, *, limit: int | None = None) -> Table:
    headers = [
        gettext("Lot"),
        gettext("Item"),
        gettext("Status"),
        gettext("On hand"),
        gettext("Unit"),
        gettext("Where"),
        gettext("Shipped to"),
    ]
    rows = [
        [
            row["code"],
            row["item_name"],
            _label(LotStatus, row["status"]),
            Decimal(str(row["quantity"])),
            unit_symbol(row["unit"]),
            row["location"] or "",
            joined(row["shipped_to"]),
        ]
        for row in report.scope.lots[:limit]
    ]
    return headers, rows


def edges_table(report: IncidentReport) -> Table:
    """The links of the scope's genealogy: which lot went into which, how much, on which
    work order; links from outside the scope (an excluded lot's) are left out."""
    inside = set(report.scope.lot_ids)
    edges = (
        Edge.objects.filter(target_id__in=values_in(report.scope.lot_ids))
        .order_by("pk")
        .values_list(
            "source_id", "source__code", "target__code", "quantity", "step__work_order__number"
        )
    )
    headers = [
        gettext("Input lot"),
        gettext("Output lot"),
        gettext("Input into the step"),
        gettext("Work order"),
    ]
    rows = [
        [source, target, quantity, work_order or ""]
        for source_id, source, target, quantity, work_order in edges
        if source_id in inside
    ]
    return headers, rows


def causes_table(report: IncidentReport) -> Table:
    headers = [
        gettext("Kind"),
        gettext("Key"),
        gettext("Name"),
        gettext("In failed lots"),
        gettext("In passed lots"),
        gettext("Lift"),
        gettext("p-value"),
    ]
    rows = [
        [
            str(KIND_LABELS.get(c.kind, c.kind)),
            c.key,
            c.name,
            c.failed_with,
            c.passed_with,
            round(c.score, 4),
            float(f"{c.p_value:.6g}"),
        ]
        for c in report.causes
    ]
    return headers, rows


def timeline_table(report: IncidentReport) -> Table:
    headers = [gettext("When"), gettext("What"), gettext("Who"), gettext("Details")]
    rows = [
        [entry.at, entry.get_kind_display(), entry.by.display_name, _details(entry)]
        for entry in report.entries
    ]
    return headers, rows


def _details(entry: IncidentEntry) -> str:
    """An entry in words, as the incident page shows it."""
    data = entry.data
    if entry.kind == EntryKind.SCOPE_CHANGED:
        change = gettext("%(came)s came in, %(went)s went out") % {
            "came": len(data.get("in", [])),
            "went": len(data.get("out", [])),
        }
        return " · ".join(part for part in (data.get("lot", ""), entry.text, change) if part)
    if entry.kind == EntryKind.CONTAINED:
        return Containment(
            held=data.get("held", []),
            already_on_hold=data.get("already_on_hold", []),
            out_of_plant=data.get("out_of_plant", 0),
        ).summary()
    if entry.kind == EntryKind.OPENED:
        return joined(data.get("lots", []))
    # A recall closed without every acknowledgement keeps its signed reason in the data.
    return " · ".join(part for part in (entry.text, str(data.get("reason") or "")) if part)


def decisions_table(report: IncidentReport) -> Table:
    headers = [
        field_label(Decision, name)
        for name in ("kind", "lots", "reason", "status", "decided_by", "decided_at", "done_at")
    ]
    rows = [
        [
            d.get_kind_display(),
            joined(sorted(lot.code for lot in d.lots.all())),
            d.reason,
            d.get_status_display(),
            d.decided_by.display_name,
            d.decided_at,
            d.done_at,
            d.work_order.number if d.work_order else "",
        ]
        for d in report.decisions
    ]
    return [*headers, field_label(Decision, "work_order")], rows


def signatures_table(report: IncidentReport, *, hash_length: int = 64) -> Table:
    """Every signature of the incident: its decisions', the recall's start and close, the
    incident's close; with whether what was signed still hashes to the signed hash."""
    headers = [
        field_label(Signature, name)
        for name in ("printed_name", "meaning", "signed_at", "subject", "content_hash")
    ]
    rows = [
        [
            row.signature.printed_name,
            row.signature.get_meaning_display(),
            row.signature.signed_at,
            row.signature.subject,
            row.signature.content_hash[:hash_length],
            gettext("yes") if row.verifies else gettext("no"),
        ]
        for row in report.signatures
    ]
    return [*headers, str(capfirst(gettext("verifies")))], rows


def balance_table(report: IncidentReport) -> Table:
    """Per unit: what the lots of the scope were made or received with, what came back,
    and where it all went; reworked is part of the other columns, not added to them."""
    labels = {
        "made": gettext("Made or received"),
        "recovered": gettext("Recovered"),
        "in_stock": gettext("In stock"),
        "shipped": gettext("Shipped"),
        "consumed": gettext("Consumed"),
        "scrapped": gettext("Scrapped"),
        "sent_back": str(capfirst(LotStatus.RETURNED.label)),
        "unaccounted": gettext("Unaccounted"),
        "reworked": gettext("Reworked"),
    }
    headers = [gettext("Unit"), *(labels[column] for column in BALANCE_COLUMNS)]
    rows = [
        [unit_symbol(unit), *(row[column] for column in BALANCE_COLUMNS)]
        for unit, row in report.balance.items()
    ]
    return headers, rows


def progress_table(report: IncidentReport) -> Table:
    """The recall per customer and unit: shipped, told, answered, recovered, outstanding."""
    headers = [
        gettext("Customer"),
        gettext("Unit"),
        gettext("Shipped"),
        field_label(RecallCustomer, "notified_at"),
        field_label(RecallCustomer, "acknowledged_at"),
        gettext("Recovered"),
        gettext("Outstanding"),
    ]
    rows = [
        [
            customer.row.customer.display_name,
            unit_symbol(unit),
            shipped,
            customer.row.notified_at,
            customer.row.acknowledged_at,
            customer.recovered.get(unit, Decimal(0)),
            customer.outstanding[unit],
        ]
        for customer in (report.progress.customers if report.progress else [])
        for unit, shipped in sorted(customer.shipped.items())
    ]
    return headers, rows


def actions_table(report: IncidentReport) -> Table:
    names = ("kind", "description", "owner", "due_on", "status", "verified_by", "effectiveness")
    rows = [
        [
            a.get_kind_display(),
            a.description,
            a.owner.display_name,
            a.due_on,
            a.get_status_display(),
            a.verified_by.display_name if a.verified_by else "",
            a.effectiveness,
        ]
        for a in report.actions
    ]
    return [field_label(Action, name) for name in names], rows
