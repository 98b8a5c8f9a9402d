"""Guards (poka-yoke): checks that refuse a capture before anything is written."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.core.numbers import plain
from tracelot.items.models import unit_symbol
from tracelot.lots.models import HOLDABLE, RELEASABLE, TERMINAL, Lot, LotStatus
from tracelot.orders.models import WorkOrderStep


def quantity_positive(quantity: Decimal) -> None:
    if quantity <= 0:
        raise Refused(
            "quantity_not_positive",
            gettext("The quantity must be more than zero, not %(quantity)s.")
            % {"quantity": quantity},
        )


def enough_on_hand(lot: Lot, quantity: Decimal) -> None:
    if quantity > lot.quantity_on_hand:
        raise Refused(
            "quantity_over_on_hand",
            gettext("Lot %(code)s has only %(on_hand)s %(unit)s on hand, not %(quantity)s.")
            % {
                "code": lot.code,
                "on_hand": plain(lot.quantity_on_hand),
                "unit": unit_symbol(lot.unit),
                "quantity": plain(quantity),
            },
        )


def reason_given(reason: str) -> None:
    if not reason.strip():
        raise Refused("reason_required", gettext("A reason is required."))


def usable_in_step(lot: Lot, step: WorkOrderStep, quantity: Decimal, on: date) -> None:
    """Refuse consuming `lot` into `step` unless it is released, fresh, on the BOM and in stock."""
    quantity_positive(quantity)
    code = lot.code
    if lot.status == LotStatus.ON_HOLD:
        raise Refused("lot_on_hold", gettext("Lot %(code)s is on hold.") % {"code": code})
    if lot.status == LotStatus.QUARANTINE:
        raise Refused(
            "lot_in_quarantine",
            gettext("Lot %(code)s is in quarantine and not released yet.") % {"code": code},
        )
    if lot.status == LotStatus.CONSUMED or (
        lot.status == LotStatus.RELEASED and lot.quantity_on_hand <= 0
    ):
        raise Refused("lot_used_up", gettext("Lot %(code)s is used up.") % {"code": code})
    if lot.status != LotStatus.RELEASED:
        raise Refused(
            "lot_not_available",
            gettext("Lot %(code)s is %(status)s and cannot be used.")
            % {"code": code, "status": LotStatus(lot.status).label},
        )
    if lot.expires_on is not None and lot.expires_on < on:
        raise Refused(
            "lot_expired",
            gettext("Lot %(code)s expired on %(date)s.")
            % {"code": code, "date": lot.expires_on.isoformat()},
        )
    if lot.item_id not in _bom_component_ids(step):
        raise Refused(
            "lot_not_on_bom",
            gettext("Lot %(code)s (%(item)s) is not on the bill of materials of %(step)s.")
            % {"code": code, "item": lot.item.code, "step": step.name},
        )
    enough_on_hand(lot, quantity)


def _bom_component_ids(step: WorkOrderStep) -> set[int]:
    # Cached on the step object: a batch consumes many lots into the same step.
    cached: set[int] | None = getattr(step, "_bom_component_ids", None)
    if cached is None:
        cached = set(step.output_item.bom_lines.values_list("component_id", flat=True))
        step._bom_component_ids = cached  # type: ignore[attr-defined]
    return cached


def shippable(lot: Lot, quantity: Decimal) -> None:
    quantity_positive(quantity)
    if lot.status != LotStatus.RELEASED:
        raise Refused(
            "lot_not_released",
            gettext("Lot %(code)s is %(status)s; only released lots can be shipped.")
            % {"code": lot.code, "status": LotStatus(lot.status).label},
        )
    enough_on_hand(lot, quantity)


def holdable(lot: Lot) -> None:
    if lot.status not in HOLDABLE:
        raise Refused(
            "lot_not_holdable",
            gettext("Lot %(code)s is %(status)s and cannot be put on hold.")
            % {"code": lot.code, "status": LotStatus(lot.status).label},
        )


def releasable(lot: Lot) -> None:
    if lot.status not in RELEASABLE:
        raise Refused(
            "lot_not_releasable",
            gettext("Lot %(code)s is %(status)s and cannot be released.")
            % {"code": lot.code, "status": LotStatus(lot.status).label},
        )


def in_stock(lot: Lot) -> None:
    if lot.status in TERMINAL:
        raise Refused(
            "lot_not_in_stock",
            gettext("Lot %(code)s is %(status)s and no longer in stock.")
            % {"code": lot.code, "status": LotStatus(lot.status).label},
        )


def same_item(source: Lot, target: Lot) -> None:
    if source.item_id != target.item_id:
        raise Refused(
            "merge_item_mismatch",
            gettext("Lot %(source)s is %(item)s and cannot be merged into %(target)s.")
            % {"source": source.code, "item": source.item.code, "target": target.code},
        )
