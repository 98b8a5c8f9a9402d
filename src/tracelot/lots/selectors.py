"""Reads of lots: a user's door to lots, lists and counts."""

from typing import Any

from django.db import connection
from django.db.models import Count, Func, Q, QuerySet
from django.db.models.functions import Collate, Upper
from django.http import Http404

from tracelot.core import clock
from tracelot.core.numbers import plain
from tracelot.lots.models import IN_STOCK, Lot
from tracelot.plants.selectors import user_site_ids


def lots_of_sites(site_ids: frozenset[int] | None) -> QuerySet[Lot]:
    """The lots of `site_ids` (None: every site)."""
    lots = Lot.objects.all()
    return lots if site_ids is None else lots.filter(site_id__in=list(site_ids))


def lots_expired_on_hand(lots: QuerySet[Lot]) -> QuerySet[Lot]:
    """`lots` past their expiry date that are still in stock with something on hand."""
    return lots.filter(status__in=IN_STOCK, quantity_on_hand__gt=0, expires_on__lt=clock.today())


def lot_list_for_user(*, user: Any) -> QuerySet[Lot]:
    """Every lot `user` may see: the lots of their sites. Every page, export and label that
    shows lots starts here, so the portal and the API will scope the same way."""
    return lots_of_sites(user_site_ids(user=user))


def lot_get_for_user(*, user: Any, code: str) -> Lot:
    """The lot with `code` that `user` may see, with its item, supplier and location; 404
    otherwise (a lot of another site is not found, rather than forbidden, so its code leaks
    nothing). A code used at two of the user's sites gives the first site's lot."""
    lots = lot_list_for_user(user=user).filter(code=code).order_by("site_id")
    return _first_or_404(lots.select_related("item", "supplier", "location", "site"))


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


def lot_counts_by_status(*, site_ids: frozenset[int] | None) -> dict[str, int]:
    """How many lots of `site_ids` (None: every site) have each status: a scan of every lot,
    so pages read it through reports.counts, which keeps it counted in the background."""
    rows = lots_of_sites(site_ids).values("status").annotate(count=Count("id")).order_by("status")
    return {r["status"]: r["count"] for r in rows}


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
            "quantity": plain(lot.quantity_on_hand),
            "unit": lot.unit,
            "status": lot.status,
            "supplier_lot": lot.supplier_lot or None,
            "expires_on": lot.expires_on.isoformat() if lot.expires_on else None,
        }
        for lot in lots[:limit]
    ]


def _first_or_404(rows: QuerySet[Any]) -> Any:
    found = rows.first()
    if found is None:
        raise Http404
    return found
