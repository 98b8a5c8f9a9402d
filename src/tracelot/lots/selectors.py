from django.db.models import Count

from tracelot.lots.models import Lot, LotStatus


def lot_counts_by_status() -> list[dict[str, object]]:
    """Count lots per status, labelled in the active language."""
    labels = dict(LotStatus.choices)
    rows = Lot.objects.values("status").annotate(count=Count("id")).order_by("status")
    return [{"label": labels.get(r["status"], r["status"]), "count": r["count"]} for r in rows]
