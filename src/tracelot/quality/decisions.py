"""Signed decisions on lots: release after investigation, and the disposition of
nonconforming lots (不合格品评审): use as is (concession), rework, scrap, return to supplier.

A decision is signed when it is taken and carried out at once as ledger events, all lots or
none, unless it needs a second person: releasing (or using as is, or reworking) a lot whose
latest inspection failed waits for another person's signature (four eyes), and only then
are its events recorded. The ledger's release guard asks for the two signatures itself, so
no other path can release such a lot on one.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from tracelot.accounts.signatures import Signer, signature_record
from tracelot.audit.services import ChangedBy
from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.core.numbers import plain
from tracelot.ledger import guards
from tracelot.ledger.keys import key_for
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import Event, EventKind, Via
from tracelot.ledger.recording import record
from tracelot.ledger.selectors import inspection_failed
from tracelot.lots.models import Lot, LotStatus
from tracelot.orders.services import work_order_create
from tracelot.plants.models import Line, Operator, Site
from tracelot.quality.models import Decision, DecisionKind, DecisionStatus

# Kinds that put a lot back into use: a lot that failed its inspection needs two signers.
_BACK_INTO_USE = frozenset({DecisionKind.RELEASE, DecisionKind.CONCESSION, DecisionKind.REWORK})
# Kinds that take the whole quantity on hand out of the plant.
_TAKES_STOCK: dict[str, str] = {
    DecisionKind.SCRAP: EventKind.SCRAP,
    DecisionKind.SEND_BACK: EventKind.SEND_BACK,
}


def _lots_check(kind: str, lots: Sequence[Lot], site: Site) -> None:
    if not lots:
        raise Refused("decision_without_lots", gettext("Choose the lots the decision is about."))
    for lot in lots:
        if lot.site_id != site.pk:
            raise Refused(
                "lot_of_other_site",
                gettext("Lot %(code)s belongs to another site.") % {"code": lot.code},
            )
        if kind in _BACK_INTO_USE and lot.status != LotStatus.RELEASED:
            guards.releasable(lot, clock.today())
        if kind in _TAKES_STOCK:
            guards.in_stock(lot)
            if lot.quantity_on_hand <= 0:
                raise Refused(
                    "lot_nothing_on_hand",
                    gettext("Lot %(code)s has nothing on hand.") % {"code": lot.code},
                )
        if kind == DecisionKind.SEND_BACK:
            guards.from_supplier(lot)


def _record_of(kind: str, reason: str, context: str, lots: Sequence[Lot]) -> dict[str, Any]:
    """What is signed: the decision and each lot as it stood when it was decided."""
    return {
        "decision": kind,
        "reason": reason,
        "under": context,
        "lots": [
            {
                "code": lot.code,
                "item": lot.item.code,
                "quantity": plain(lot.quantity_on_hand),
                "unit": lot.unit,
                "status": lot.status,
            }
            for lot in lots
        ],
    }


@transaction.atomic
def decision_take(
    *,
    site: Site,
    kind: str,
    lots: Sequence[Lot],
    reason: str,
    signer: Signer,
    actor: Operator,
    key: str,
    context: str = "",
    line: Line | None = None,
) -> Decision:
    """Take and sign a decision on `lots`; carried out now, or when a second person signs
    if it puts a lot that failed its inspection back into use."""
    earlier = Decision.objects.filter(key=key).first()
    if earlier is not None:  # the same request again
        return earlier
    if kind not in DecisionKind.values:
        raise Refused("decision_kind", gettext("Choose what is decided."))
    reason = reason.strip()
    guards.reason_given(reason)
    guards.text_storable(reason, what=gettext("The reason"), limit=500)
    locked = list(
        Lot.objects.select_for_update()
        .select_related("item")
        .filter(pk__in=[lot.pk for lot in lots])
        .order_by("pk")
    )
    _lots_check(kind, locked, site)
    if kind == DecisionKind.REWORK and line is None:
        raise Refused("rework_line_required", gettext("Say on which line the lots are reworked."))
    now = clock.now()
    decision = Decision.objects.create(
        site=site,
        kind=kind,
        reason=reason,
        context=context,
        status=DecisionStatus.PENDING,
        decided_by=actor,
        decided_at=now,
        line=line,
        record=_record_of(kind, reason, context, locked),
        key=key,
    )
    decision.lots.set(locked)
    decision.signatures.add(_sign(decision, signer))
    if kind in _BACK_INTO_USE and any(inspection_failed(lot_id=lot.pk) for lot in locked):
        return decision  # waits for the second signature
    _carry_out(decision, locked, actor)
    return decision


@transaction.atomic
def decision_approve(*, decision: Decision, signer: Signer, actor: Operator) -> Decision:
    """The second person's signature on a decision that waits for one; it is then carried out."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status == DecisionStatus.DONE:
        return decision
    if decision.signatures.filter(user=signer.user).exists():
        raise Refused(
            "second_signer_same",
            gettext("The second signature must be another person's."),
        )
    decision.signatures.add(_sign(decision, signer))
    lots = list(
        Lot.objects.select_for_update().select_related("item").filter(pk__in=_lot_ids(decision))
    )
    _carry_out(decision, lots, actor)
    return decision


def decisions_pending_for(*, site_ids: Sequence[int] | None) -> Any:
    pending = Decision.objects.filter(status=DecisionStatus.PENDING)
    return pending if site_ids is None else pending.filter(site_id__in=site_ids)


def _lot_ids(decision: Decision) -> list[int]:
    return list(decision.lots.values_list("pk", flat=True))


def _sign(decision: Decision, signer: Signer) -> Any:
    subject = gettext("%(decision)s of %(count)s lots") % {
        "decision": DecisionKind(decision.kind).label,
        "count": len(decision.record["lots"]),
    }
    return signature_record(
        signer=signer,
        subject=f"{subject} ({decision.context})" if decision.context else subject,
        record=decision.record,
    )


def _carry_out(decision: Decision, lots: Sequence[Lot], actor: Operator) -> list[Event]:
    signature_ids = list(decision.signatures.values_list("pk", flat=True))
    label = DecisionKind(decision.kind).label
    reason = f"{label}: {decision.reason}"
    if decision.context:
        reason = f"{decision.context} {reason}"
    data = {"decision": decision.pk, "signatures": signature_ids}
    if decision.kind == DecisionKind.REWORK:
        decision.work_order = _rework_order(decision, lots, actor)
        data["work_order"] = decision.work_order.number
        reason = f"{reason} ({decision.work_order.number})"
    drafts = []
    for lot in sorted(lots, key=lambda lot: lot.pk):
        kind = _TAKES_STOCK.get(decision.kind, EventKind.RELEASE)
        if kind == EventKind.RELEASE and lot.status == LotStatus.RELEASED:
            continue  # reworked as it stands: nothing to release
        drafts.append(
            Draft(
                kind=kind,
                lot=lot,
                quantity=lot.quantity_on_hand,
                key=key_for(f"decision-{decision.pk}-{lot.pk}", decision.key),
                via=Via.MANUAL,
                actor=actor,
                reason=reason[:500],
                data=data,
            )
        )
    events = record(drafts)
    decision.status = DecisionStatus.DONE
    decision.done_at = clock.now()
    decision.save(update_fields=["status", "done_at", "work_order"])
    return events


def _rework_order(decision: Decision, lots: Sequence[Lot], actor: Operator) -> Any:
    items = {lot.item_id for lot in lots}
    if len(items) > 1:
        raise Refused(
            "rework_one_item", gettext("Lots of one item are reworked on one work order.")
        )
    signature = decision.signatures.select_related("user").order_by("pk").first()
    if decision.line is None or signature is None:  # decision_take asks for both
        raise Refused("rework_line_required", gettext("Say on which line the lots are reworked."))
    return work_order_create(
        site=decision.site,
        number=f"RW-{decision.pk:05d}",
        item=lots[0].item,
        line=decision.line,
        shift=None,
        planned_quantity=sum((lot.quantity_on_hand for lot in lots), Decimal(0)),
        ordered_on=clock.today(),
        reason=decision.reason,
        by=ChangedBy(user=signature.user),
    )
