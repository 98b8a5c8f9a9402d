"""Items and their bills of materials, saved with their reason."""

from collections.abc import Collection
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from tracelot.audit.services import ChangedBy, master_data_reason_check, master_data_save
from tracelot.core.errors import Refused
from tracelot.core.gs1 import gtin_check
from tracelot.core.numbers import plain
from tracelot.items.models import BomLine, Item

# An item may list itself on its own bill of materials only as a planned rework allowance:
# the guards let a lot into a step only if the step's bill lists its item, so a lot that is
# re-frozen or repacked in the step that made it needs such a line (the demo plant's are
# 0.01 per unit). More than a tenth of a unit per unit is a component picked by mistake.
REWORK_ALLOWANCE_MAX = Decimal("0.1")


@transaction.atomic
def item_save(
    *, item: Item, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> Item:
    """Save an item after checking its GTIN, check digit included."""
    master_data_reason_check(reason=reason)
    gtin_check(gtin=item.gtin)
    return master_data_save(record=item, reason=reason, by=by, fields=fields)


@transaction.atomic
def bom_line_save(
    *, bom_line: BomLine, reason: str, by: ChangedBy, fields: Collection[str] | None = None
) -> BomLine:
    """Save a bill-of-materials line: a positive quantity per unit, and no item made from
    itself beyond its rework allowance."""
    master_data_reason_check(reason=reason)
    quantity = bom_line.quantity
    if bom_line.parent_id is not None and bom_line.component_id is not None:
        if quantity is not None and quantity <= 0:
            raise Refused(
                "bom_quantity_not_positive",
                gettext(
                    "%(component)s is used in %(item)s: its quantity per unit must be more than 0."
                )
                % {"component": bom_line.component.code, "item": bom_line.parent.code},
                field="quantity",
            )
        if bom_line.component_id == bom_line.parent_id and (
            quantity is None or quantity > REWORK_ALLOWANCE_MAX
        ):
            raise Refused(
                "bom_item_in_itself",
                gettext(
                    "%(item)s cannot be made from itself; it may only list itself as a rework "
                    "allowance of at most %(maximum)s per unit."
                )
                % {"item": bom_line.parent.code, "maximum": plain(REWORK_ALLOWANCE_MAX)},
                field="component",
            )
    return master_data_save(record=bom_line, reason=reason, by=by, fields=fields)
