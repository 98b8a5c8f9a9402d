"""Guards (poka-yoke): checks that refuse a capture before anything is written."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from tracelot.accounts.models import Signature
from tracelot.core.clock import plant_time
from tracelot.core.errors import Refused
from tracelot.core.numbers import plain
from tracelot.core.text import has_control_characters, quoted
from tracelot.items.models import Item, amount
from tracelot.ledger.models import EventKind as K
from tracelot.ledger.selectors import (
    inspection_failed,
    last_shipment,
    returnable_quantity,
    shipped_by_item,
    status_reason,
)
from tracelot.lots.models import HOLDABLE, RELEASABLE, TERMINAL, Lot, LotStatus
from tracelot.orders.models import ApprovedSupplier, OrderStatus, SalesOrder, WorkOrderStep
from tracelot.partners.models import Supplier

# The ledger's quantity columns (event, lot on hand, edge) keep 4 decimals. SQLite keeps a
# decimal as a binary float, exact to 15 significant digits only: 11 before the point.
_QUANTITY_DECIMALS = 4
_QUANTITY_LIMIT = Decimal(10) ** (15 - _QUANTITY_DECIMALS)
_QUANTUM = Decimal(1).scaleb(-_QUANTITY_DECIMALS)


def quantity_recordable(quantity: object) -> None:
    """A quantity the ledger can store exactly as it hashes it, on both databases: a finite
    number below 10^11 with at most four decimals. Anything else, from any caller, is refused before a
    row is written: rounded by the database after hashing, it would read as tampering."""
    if isinstance(quantity, bool) or not isinstance(quantity, int | Decimal):
        raise _not_a_quantity(quantity)
    value = Decimal(quantity)
    if not value.is_finite():
        raise _not_a_quantity(quantity)
    if abs(value) >= _QUANTITY_LIMIT:
        raise Refused(
            "quantity_too_large",
            gettext("A quantity must be less than %(limit)s (now: %(quantity)s).")
            % {"limit": f"{_QUANTITY_LIMIT:,}", "quantity": quoted(str(quantity))},
        )
    if value != value.quantize(_QUANTUM):
        raise Refused(
            "quantity_too_precise",
            gettext("A quantity has at most %(decimals)s decimals (now: %(quantity)s).")
            % {"decimals": _QUANTITY_DECIMALS, "quantity": quoted(str(quantity))},
        )


def _not_a_quantity(quantity: object) -> Refused:
    return Refused(
        "quantity_invalid",
        gettext("%(quantity)s is not a quantity.") % {"quantity": quoted(str(quantity))},
    )


def text_storable(text: str, *, what: str, limit: int) -> None:
    """Text the ledger keeps forever (a key, a reason): not too long, no control characters."""
    if len(text) > limit:
        raise Refused(
            "text_too_long",
            gettext("%(what)s has at most %(limit)s characters (now: %(length)s).")
            % {"what": what, "limit": limit, "length": len(text)},
        )
    if has_control_characters(text):
        raise Refused(
            "text_control_characters",
            gettext("%(what)s holds a control character; type or scan it again.") % {"what": what},
        )


def quantity_positive(quantity: Decimal) -> None:
    if quantity <= 0:
        raise Refused(
            "quantity_not_positive",
            gettext("The quantity must be more than zero, not %(quantity)s.")
            % {"quantity": plain(quantity)},
        )


def enough_on_hand(lot: Lot, quantity: Decimal) -> None:
    if quantity > lot.quantity_on_hand:
        raise Refused(
            "quantity_over_on_hand",
            gettext("Lot %(code)s has only %(on_hand)s on hand, not %(quantity)s.")
            % {
                "code": lot.code,
                "on_hand": amount(lot.quantity_on_hand, lot.unit),
                "quantity": amount(quantity, lot.unit),
            },
        )


def reason_given(reason: str) -> None:
    if not reason.strip():
        raise Refused("reason_required", gettext("A reason is required."))


def lot_available(lot: Lot, on: date) -> None:
    """A lot's own refusals, the same wherever it is used or shipped, asked before anything
    about the step or order: on hold, in quarantine, nothing on hand, not released, expired."""
    code = lot.code
    if lot.status == LotStatus.RECALLED:
        raise Refused(
            "lot_recalled",
            gettext("Lot %(code)s is recalled: %(reason)s.")
            % {"code": code, "reason": quoted(status_reason(lot_id=lot.pk, kind=K.RECALL))},
        )
    if lot.status == LotStatus.ON_HOLD:
        # Why, so the operator knows whom to ask: an incident's hold names the incident.
        reason = status_reason(lot_id=lot.pk, kind=K.HOLD)
        if reason:
            raise Refused(
                "lot_on_hold",
                gettext("Lot %(code)s is on hold: %(reason)s.")
                % {"code": code, "reason": quoted(reason).rstrip(".。")},
            )
        raise Refused("lot_on_hold", gettext("Lot %(code)s is on hold.") % {"code": code})
    if lot.status == LotStatus.QUARANTINE:
        raise Refused(
            "lot_in_quarantine",
            gettext("Lot %(code)s is in quarantine and not released yet.") % {"code": code},
        )
    if lot.status == LotStatus.SHIPPED:
        raise _already_shipped(lot)
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
    not_expired(lot, on)


def not_expired(lot: Lot, on: date) -> None:
    if lot.expires_on is not None and lot.expires_on < on:
        raise Refused(
            "lot_expired",
            gettext("Lot %(code)s expired on %(date)s.")
            % {"code": lot.code, "date": lot.expires_on.isoformat()},
        )


def _already_shipped(lot: Lot) -> Refused:
    shipment = last_shipment(lot_id=lot.pk)
    if shipment is None or shipment.sales_order is None:
        return Refused(
            "lot_already_shipped", gettext("Lot %(code)s was already shipped.") % {"code": lot.code}
        )
    return Refused(
        "lot_already_shipped",
        gettext("Lot %(code)s was already shipped on %(order)s at %(time)s.")
        % {
            "code": lot.code,
            "order": shipment.sales_order.number,
            "time": plant_time(shipment.occurred_at),
        },
    )


def usable_in_step(lot: Lot, step: WorkOrderStep, quantity: Decimal, on: date) -> None:
    """Refuse consuming `lot` into `step` unless it is released, fresh, on the BOM and in stock."""
    lot_available(lot, on)
    quantity_positive(quantity)
    if lot.item_id not in _bom_component_ids(step):
        raise Refused(
            "lot_not_on_bom",
            gettext("Lot %(code)s (%(item)s) is not on the bill of materials of %(step)s.")
            % {"code": lot.code, "item": lot.item.code, "step": step.name},
        )
    enough_on_hand(lot, quantity)


def output_within_bom(
    step: WorkOrderStep, quantity: Decimal, totals: tuple[dict[int, Decimal], Decimal]
) -> None:
    """Refuse recording more output than the inputs consumed into `step` make, by the output
    item's bill of materials, beyond its tolerance. A step without a BOM is not checked; one
    with nothing consumed yet makes nothing (a plant that backflushes its inputs sends them
    first in the same batch, or a quality user records the output with a reason)."""
    consumed, made = totals
    item = step.output_item
    lines = list(item.bom_lines.values_list("component_id", "quantity"))
    if not lines:
        return
    if not any(quantity > 0 for quantity in consumed.values()):
        raise Refused(
            "output_without_inputs",
            gettext(
                "Nothing has been consumed into this step yet, so it cannot have made "
                "%(quantity)s of %(item)s. Scan its inputs first; a quality user can record the "
                "output with a reason."
            )
            % {"quantity": amount(quantity, item.unit), "item": item.display_name},
        )
    # The most generous reading: the component that allows the most output decides.
    possible = max(consumed.get(component, Decimal(0)) / per_unit for component, per_unit in lines)
    allowed = possible * (1 + Decimal(item.output_tolerance_percent) / 100)
    if made + quantity > allowed:
        raise Refused(
            "output_over_bom",
            gettext(
                "%(quantity)s of %(item)s is more than the inputs of this step make "
                "(%(possible)s, %(made)s recorded already, tolerance %(tolerance)s%%). Check "
                "the quantity; a quality user can record it with a reason."
            )
            % {
                "quantity": amount(quantity, item.unit),
                "item": item.display_name,
                "possible": amount(possible.quantize(Decimal("0.0001")), item.unit),
                "made": amount(made, item.unit),
                "tolerance": plain(Decimal(item.output_tolerance_percent)),
            },
        )


def _bom_component_ids(step: WorkOrderStep) -> set[int]:
    # Cached on the step object: a batch consumes many lots into the same step.
    cached: set[int] | None = getattr(step, "_bom_component_ids", None)
    if cached is None:
        cached = set(step.output_item.bom_lines.values_list("component_id", flat=True))
        step._bom_component_ids = cached  # type: ignore[attr-defined]
    return cached


def shippable(lot: Lot, quantity: Decimal, order: SalesOrder, on: date) -> None:
    """Refuse shipping unless the order is open, the lot released, fresh and in stock, and the
    order still wants that much of its item (within the order's or customer's tolerance)."""
    if order.status != OrderStatus.OPEN:
        raise Refused(
            "order_not_open",
            gettext("Sales order %(order)s is %(status)s; nothing more can be shipped on it.")
            % {"order": order.number, "status": OrderStatus(order.status).label},
        )
    if order.site_id != lot.site_id:
        raise Refused(
            "lot_of_another_site",
            gettext("Lot %(code)s is not at the site of sales order %(order)s.")
            % {"code": lot.code, "order": order.number},
        )
    lot_available(lot, on)
    quantity_positive(quantity)
    ordered = sum(
        (line.quantity for line in order.lines.all() if line.item_id == lot.item_id), Decimal(0)
    )
    if not ordered:
        raise Refused(
            "item_not_on_order",
            gettext("Lot %(code)s is %(item)s, which sales order %(order)s does not order.")
            % {"code": lot.code, "item": lot.item.display_name, "order": order.number},
        )
    shipped = shipped_by_item(sales_order_id=order.pk).get(lot.item_id, Decimal(0))
    allowed = ordered * (1 + ship_tolerance(order) / 100) - shipped
    if quantity > allowed:
        raise Refused(
            "over_order_quantity",
            gettext(
                "Sales order %(order)s has %(open)s of %(item)s open; %(quantity)s is more. "
                "Enter the quantity to ship."
            )
            % {
                "order": order.number,
                "open": amount(max(ordered - shipped, Decimal(0)), lot.unit),
                "item": lot.item.display_name,
                "quantity": amount(quantity, lot.unit),
            },
        )
    enough_on_hand(lot, quantity)


def ship_tolerance(order: SalesOrder) -> Decimal:
    """The percentage above an order line's quantity that may be shipped (default none)."""
    if order.ship_tolerance_percent is not None:
        return Decimal(order.ship_tolerance_percent)
    return Decimal(order.customer.ship_tolerance_percent)


def supplier_approved(item: Item, supplier: Supplier) -> None:
    """An item with approved suppliers is received from those only."""
    approved = ApprovedSupplier.objects.filter(item=item)
    if approved.exists() and not approved.filter(supplier=supplier).exists():
        raise Refused(
            "supplier_not_approved",
            gettext(
                "%(supplier)s is not an approved supplier of %(item)s. A quality user can "
                "receive it with a reason."
            )
            % {"supplier": supplier.display_name, "item": item.display_name},
        )


def holdable(lot: Lot) -> None:
    if lot.status not in HOLDABLE:
        raise Refused(
            "lot_not_holdable",
            gettext("Lot %(code)s is %(status)s and cannot be put on hold.")
            % {"code": lot.code, "status": LotStatus(lot.status).label},
        )


def releasable(lot: Lot, on: date) -> None:
    if lot.status not in RELEASABLE:
        raise Refused(
            "lot_not_releasable",
            gettext("Lot %(code)s is %(status)s and cannot be released.")
            % {"code": lot.code, "status": LotStatus(lot.status).label},
        )
    not_expired(lot, on)


def returnable(lot: Lot, order: SalesOrder | None, quantity: Decimal) -> None:
    """No more of a lot comes back on a sales order than was shipped on it."""
    if order is None:
        return
    open_ = returnable_quantity(lot_id=lot.pk, sales_order_id=order.pk)
    if quantity > open_:
        raise Refused(
            "return_more_than_shipped",
            gettext(
                "Only %(open)s %(unit)s of lot %(code)s shipped on order %(order)s have not "
                "come back; %(quantity)s cannot be returned."
            )
            % {
                "open": plain(max(open_, Decimal(0))),
                "unit": lot.unit,
                "code": lot.code,
                "order": order.number,
                "quantity": plain(quantity),
            },
        )


def from_supplier(lot: Lot) -> None:
    if lot.supplier_id is None:
        raise Refused(
            "lot_not_from_supplier",
            gettext("Lot %(code)s was not received from a supplier and cannot be sent back.")
            % {"code": lot.code},
        )


def recallable(lot: Lot) -> None:
    if lot.status == LotStatus.RECALLED:
        raise Refused(
            "lot_already_recalled",
            gettext("Lot %(code)s is already recalled.") % {"code": lot.code},
        )
    if last_shipment(lot_id=lot.pk) is None:
        raise Refused(
            "lot_not_shipped",
            gettext("Lot %(code)s was never shipped, so there is nothing to recall.")
            % {"code": lot.code},
        )


def release_signed(lot: Lot, signature_ids: list[int]) -> None:
    """A lot whose latest inspection failed is released only under the signatures of two
    people (four eyes): the one who decides and the one who approves."""
    if not inspection_failed(lot_id=lot.pk):
        return
    signers = set(Signature.objects.filter(pk__in=signature_ids).values_list("user_id", flat=True))
    if len(signers) < 2:
        raise Refused(
            "release_needs_two_signatures",
            gettext(
                "Lot %(code)s failed its inspection: its release needs the signatures of two "
                "people."
            )
            % {"code": lot.code},
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
            % {"source": source.code, "item": source.item.display_name, "target": target.code},
        )
