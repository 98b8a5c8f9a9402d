"""Reads of lots: lists and counts."""

from typing import Any

from django.db import connection
from django.db.models import Count, Func, Q, QuerySet
from django.db.models.functions import Collate, Upper

from tracelot.lots.models import Lot, LotStatus


def _search_key(field: str) -> Func:
    # The expression the search indexes hold (lots migration 0005): byte order on both.
    upper = Upper(field)
    return Collate(upper, "C") if connection.vendor == "postgresql" else upper


def lots_starting_with(lots: QuerySet[Lot], *, text: str) -> QuerySet[Lot]:
    """`lots` whose code or supplier lot starts with `text`, in any case; served by an index."""
    key = text.strip().upper()
    end = key + "\U0010ffff"  # above every character: the range is exactly the prefix
    return lots.alias(
        code_key=_search_key("code"), supplier_key=_search_key("supplier_lot")
    ).filter(
        Q(code_key__gte=key, code_key__lt=end) | Q(supplier_key__gte=key, supplier_key__lt=end)
    )


def lot_id_for_code(code: str) -> int | None:
    """The id of the lot with exactly this code (the unique index answers it), for the admin."""
    return Lot.objects.filter(code=code).values_list("pk", flat=True).first()


def lot_counts_by_status() -> list[dict[str, object]]:
    """Count lots per status, labelled in the active language."""
    labels = dict(LotStatus.choices)
    rows = Lot.objects.values("status").annotate(count=Count("id")).order_by("status")
    return [{"label": labels.get(r["status"], r["status"]), "count": r["count"]} for r in rows]


def lot_list(
    *, kind: str | None = None, status: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Lots newest first, as plain rows (the shape of the JSON list)."""
    lots = Lot.objects.select_related("item").order_by("-id")
    if kind:
        lots = lots.filter(item__kind=kind)
    if status:
        lots = lots.filter(status=status)
    return [
        {
            "code": lot.code,
            "gtin": lot.gtin or None,
            "lot": lot.batch,
            "item": lot.item.code,
            "kind": lot.item.kind,
            "quantity": format(lot.quantity_on_hand.normalize(), "f"),
            "unit": lot.unit,
            "status": lot.status,
            "supplier_lot": lot.supplier_lot or None,
            "expires_on": lot.expires_on.isoformat() if lot.expires_on else None,
        }
        for lot in lots[:limit]
    ]
