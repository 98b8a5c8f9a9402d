"""Orders saved with their reason: order lines, routing steps, and work orders, which take
their steps from their item's routing.

Purchase and sales order headers have no rule beyond their model's and are saved by
`audit.services.master_data_save` directly.
"""

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from tracelot.audit.services import ChangedBy, master_data_reason_check, master_data_save
from tracelot.core.errors import Refused
from tracelot.items.models import Item
from tracelot.orders.models import (
    ApprovedSupplier,
    PurchaseOrderLine,
    RoutingStep,
    SalesOrderLine,
    WorkOrder,
    WorkOrderStep,
)
from tracelot.orders.routing import work_order_steps_from_routing
from tracelot.plants.models import Line, Operator, Shift, Site
from tracelot.plants.services import site_scope_check


def _order_line_check(line: PurchaseOrderLine | SalesOrderLine) -> None:
    if line.quantity is not None and line.quantity <= 0:
        raise Refused(
            "order_quantity_not_positive",
            gettext("%(item)s on order %(order)s: the quantity must be more than 0.")
            % {"item": line.item.code if line.item_id else "", "order": line.order.number},
            field="quantity",
        )


@transaction.atomic
def purchase_order_line_save(
    *,
    line: PurchaseOrderLine,
    reason: str,
    by: ChangedBy,
    fields: Collection[str] | None = None,
) -> PurchaseOrderLine:
    """Save a purchase-order line; its quantity must be more than 0."""
    master_data_reason_check(reason=reason)
    _order_line_check(line)
    return master_data_save(record=line, reason=reason, by=by, fields=fields)


@transaction.atomic
def approved_supplier_save(
    *, approval: ApprovedSupplier, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> ApprovedSupplier:
    """Approve a supplier for an item (quality's decision, kept with its reason)."""
    master_data_reason_check(reason=reason)
    return master_data_save(record=approval, reason=reason, by=by, fields=fields)


@transaction.atomic
def sales_order_line_save(
    *, line: SalesOrderLine, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> SalesOrderLine:
    """Save a sales-order line; its quantity must be more than 0."""
    master_data_reason_check(reason=reason)
    _order_line_check(line)
    return master_data_save(record=line, reason=reason, by=by, fields=fields)


@transaction.atomic
def routing_step_save(
    *, step: RoutingStep, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> RoutingStep:
    """Save a step of an item's routing; work orders made before keep the steps they have."""
    return master_data_save(record=step, reason=reason, by=by, fields=fields)


def _work_order_check(work_order: WorkOrder) -> None:
    site_scope_check(record=work_order, field="line", site_id=work_order.site_id)
    site_scope_check(record=work_order, field="shift", site_id=work_order.site_id)
    if work_order.planned_quantity is not None and work_order.planned_quantity <= 0:
        raise Refused(
            "work_order_quantity_not_positive",
            gettext("The planned quantity of work order %(number)s must be more than 0.")
            % {"number": work_order.number},
            field="planned_quantity",
        )


@transaction.atomic
def work_order_create(
    *,
    site: Site,
    number: str,
    item: Item,
    line: Line,
    shift: Shift | None,
    planned_quantity: Decimal,
    ordered_on: date,
    reason: str,
    by: ChangedBy,
) -> WorkOrder:
    """Create an open work order with one step per step of its item's routing."""
    master_data_reason_check(reason=reason)
    routing = list(item.routing.all())
    if not routing:
        raise Refused(
            "routing_missing",
            gettext(
                "Item %(item)s has no routing, so its work order would have no steps; add the "
                "routing steps on the item's page first."
            )
            % {"item": item.code},
            field="item",
        )
    work_order = WorkOrder(
        site=site,
        number=number,
        item=item,
        line=line,
        shift=shift,
        planned_quantity=planned_quantity,
        ordered_on=ordered_on,
    )
    _work_order_check(work_order)
    master_data_save(record=work_order, reason=reason, by=by)
    for planned in work_order_steps_from_routing(routing=routing):
        step = WorkOrderStep(work_order=work_order, **planned.fields())
        master_data_save(record=step, reason=reason, by=by)
    return work_order


@transaction.atomic
def work_order_save(
    *,
    work_order: WorkOrder,
    reason: str,
    by: ChangedBy,
    fields: Collection[str] | None = None,
) -> WorkOrder:
    """Change a work order (status, dates, line, shift, quantity); its item stays, since its
    steps came from that item's routing. `work_order_create` makes new ones."""
    if work_order._state.adding:
        raise ValueError("work_order_save changes a work order; work_order_create makes one")
    master_data_reason_check(reason=reason)
    stored = WorkOrder.objects.filter(pk=work_order.pk).values_list("item_id", flat=True).first()
    if stored is not None and stored != work_order.item_id:
        raise Refused(
            "work_order_item_changed",
            gettext(
                "The item of work order %(number)s cannot change: its steps come from the "
                "item's routing. Cancel it and create a new work order instead."
            )
            % {"number": work_order.number},
            field="item",
        )
    _work_order_check(work_order)
    return master_data_save(record=work_order, reason=reason, by=by, fields=fields)


@transaction.atomic
def work_order_step_responsible_set(
    *, step: WorkOrderStep, responsible: Operator, reason: str, by: ChangedBy
) -> WorkOrderStep:
    """Name who answers for a step of a work order: an operator of the work order's site."""
    master_data_reason_check(reason=reason)
    step.responsible = responsible
    site_scope_check(record=step, field="responsible", site_id=step.work_order.site_id)
    return master_data_save(record=step, reason=reason, by=by, fields=["responsible"])
