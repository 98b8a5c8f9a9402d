"""What the incident report says, read once for its PDF and its XLSX: the incident, its
suspect scope, likely causes, timeline, signed decisions, mass balance, recall and CAPA."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from tracelot.accounts.models import Signature
from tracelot.accounts.signatures import signature_verifies
from tracelot.core.sql import values_in
from tracelot.incidents.causes import Candidate, likely_causes, passed_lot_ids_for
from tracelot.incidents.models import Action, Incident, IncidentEntry, Recall, ScopeRole
from tracelot.incidents.recall import mass_balance
from tracelot.incidents.recalling import Progress, recall_progress
from tracelot.incidents.scope import Scope
from tracelot.incidents.services import incident_scope
from tracelot.ledger.kinds import standing
from tracelot.ledger.models import Event, EventKind
from tracelot.quality.models import Decision, DecisionKind, DecisionStatus

CAUSES_SHOWN = 10  # as on the incident page


@dataclass
class SignatureRow:
    signature: Signature
    verifies: bool


@dataclass
class IncidentReport:
    incident: Incident
    scope: Scope
    start_ids: list[int]  # the lots in question: the failed lots of the likely causes
    causes: list[Candidate]
    entries: list[IncidentEntry]
    decisions: list[Decision]
    signatures: list[SignatureRow]
    balance: dict[str, dict[str, Decimal]]
    recall: Recall | None
    progress: Progress | None
    actions: list[Action]


def incident_report(*, incident: Incident) -> IncidentReport:
    """Everything the report prints about `incident`, read from the database once."""
    scope = incident_scope(incident=incident)
    start = list(incident.lots.filter(role=ScopeRole.START).values_list("lot_id", flat=True))
    causes = likely_causes(
        failed_lot_ids=start,
        passed_lot_ids=passed_lot_ids_for(failed_lot_ids=start),
        limit=CAUSES_SHOWN,
    )
    decisions = list(
        Decision.objects.filter(site_id=incident.site_id, context=incident.number)
        .select_related("decided_by", "work_order")
        .prefetch_related(
            "lots", Prefetch("signatures", queryset=Signature.objects.order_by("signed_at", "pk"))
        )
        .order_by("decided_at", "pk")
    )
    recall = (
        Recall.objects.filter(incident=incident)
        .select_related("start_signature", "close_signature", "started_by")
        .first()
    )
    return IncidentReport(
        incident=incident,
        scope=scope,
        start_ids=start,
        causes=causes.candidates,
        entries=list(incident.entries.select_related("by")),
        decisions=decisions,
        signatures=_signatures(incident, decisions, recall),
        balance=balance(lot_ids=scope.lot_ids, codes={row["code"] for row in scope.lots}),
        recall=recall,
        progress=recall_progress(recall=recall) if recall is not None else None,
        actions=list(incident.actions.select_related("owner", "verified_by")),
    )


def _signatures(
    incident: Incident, decisions: Sequence[Decision], recall: Recall | None
) -> list[SignatureRow]:
    # A decision's signatures are checked against its record as it stands now; the others
    # against their own stored content (what they signed is not kept elsewhere).
    rows = [
        SignatureRow(signature, signature_verifies(signature, decision.record))
        for decision in decisions
        for signature in decision.signatures.all()
    ]
    others = [recall.start_signature, recall.close_signature] if recall is not None else []
    others.append(incident.close_signature)
    rows += [SignatureRow(s, signature_verifies(s)) for s in others if s is not None]
    return rows


# The mass balance's columns, in print order: what came in, then where it went.
BALANCE_COLUMNS = (
    "made",
    "recovered",
    "in_stock",
    "shipped",
    "consumed",
    "scrapped",
    "sent_back",
    "unaccounted",
    "reworked",
)


def balance(*, lot_ids: list[int], codes: set[str]) -> dict[str, dict[str, Decimal]]:
    """The mock recall's mass balance of the lots, per unit, with what went back to the
    supplier taken out of the unaccounted and how much was reworked (already counted where
    it went: in stock, or consumed into the rework work order)."""
    rows: dict[str, dict[str, Decimal]] = {}
    for unit, figures in mass_balance(lot_ids=lot_ids).items():
        row = dict.fromkeys(BALANCE_COLUMNS, Decimal(0))
        row.update({column: Decimal(value) for column, value in figures.items()})
        # Every return of these lots is goods coming back from customers: the recall's
        # returns, and any other a customer sent back, which is recovered all the same.
        row["recovered"] = row.pop("returned")
        rows[unit] = row
    # incidents.recall.mass_balance predates the send_back kind and leaves it unaccounted.
    for unit, quantity in _sent_back(lot_ids).items():
        row = rows.setdefault(unit, dict.fromkeys(BALANCE_COLUMNS, Decimal(0)))
        row["sent_back"] += quantity
        row["unaccounted"] -= quantity
    for unit, quantity in _reworked(lot_ids, codes).items():
        rows.setdefault(unit, dict.fromkeys(BALANCE_COLUMNS, Decimal(0)))["reworked"] += quantity
    return dict(sorted(rows.items()))


def _sent_back(lot_ids: list[int]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    events = Event.objects.filter(
        lot_id__in=values_in(lot_ids), kind__in=[EventKind.SEND_BACK, EventKind.REVERSAL]
    )
    for kind, reversed_kind, quantity, unit in events.values_list(
        "kind", "reverses__kind", "quantity", "lot__unit"
    ):
        spec, signed = standing(kind, reversed_kind, quantity)
        if spec.kind == EventKind.SEND_BACK:
            totals[unit] += signed
    return totals


def _reworked(lot_ids: list[int], codes: set[str]) -> dict[str, Decimal]:
    """What the lots held when a signed rework decision sent them to be reworked."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    decisions = Decision.objects.filter(
        kind=DecisionKind.REWORK, status=DecisionStatus.DONE, lots__in=values_in(lot_ids)
    ).distinct()
    for record in decisions.values_list("record", flat=True):
        for lot in record.get("lots", []):
            if lot["code"] in codes:
                totals[lot["unit"]] += Decimal(lot["quantity"])
    return totals
