"""The projection checked against the ledger: every lot's on hand, status and location as its
events make them, compared with what the lots table says.

The lots table is a projection kept by the one write path; someone who changes it by SQL
(`UPDATE lots_lot SET status = 'released'`) leaves the events as they were. Replaying the
events by their kinds' declarations (`ledger.effects`) gives each lot as it must stand, and
names every lot that does not.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tracelot.items.models import ItemKind
from tracelot.ledger.effects import lot_effect_apply, reversal_effect
from tracelot.ledger.kinds import KINDS
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot
from tracelot.plants.models import Site

CHUNK = 10_000
EXAMPLES = 50  # lots named in full; the count says how many more


class _Lot:
    """A lot as its events make it, lighter than a model instance (a million fit)."""

    __slots__ = ("location_id", "quantity_on_hand", "status", "waits_for_release")

    def __init__(self, waits_for_release: bool) -> None:
        self.quantity_on_hand = Decimal(0)
        self.status = ""
        self.location_id: int | None = None
        self.waits_for_release = waits_for_release


@dataclass
class LotDifference:
    code: str
    field: str  # "quantity_on_hand", "status" or "location"
    stored: Any
    from_ledger: Any


@dataclass
class ProjectionReport:
    site: str
    lots: int = 0
    events: int = 0
    differing: int = 0  # lots that differ in at least one field
    differences: list[LotDifference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.differing == 0


def projection_verify(
    *, site: Site, progress: Callable[[int], None] | None = None
) -> ProjectionReport:
    """Replay `site`'s events and compare each lot with the lots table."""
    finished = dict(
        Lot.objects.filter(site=site).values_list("pk", "item__kind").iterator(chunk_size=CHUNK)
    )
    lots = {pk: _Lot(kind == ItemKind.FINISHED) for pk, kind in finished.items()}
    report = ProjectionReport(site=site.code, lots=len(lots))
    reversed_ids = set(
        Event.objects.filter(site=site, reverses__isnull=False).values_list(
            "reverses_id", flat=True
        )
    )
    originals: dict[int, tuple[str, Decimal, dict[str, Any], int | None]] = {}
    rows = (
        Event.objects.filter(site=site)
        .order_by("chain_position")
        .values_list(
            "pk", "kind", "lot_id", "other_lot_id", "quantity", "location_id", "reverses_id", "data"
        )
    )
    for pk, kind, lot_id, other_id, quantity, location_id, reverses_id, data in rows.iterator(
        chunk_size=CHUNK
    ):
        lot = lots[lot_id]
        if pk in reversed_ids:  # what its reversal will need to undo it
            originals[pk] = (kind, quantity, data, lot.location_id)
        if kind == EventKind.REVERSAL:
            reversal_effect(lot, *originals[reverses_id])
        else:
            other = lots[other_id] if other_id else None
            lot_effect_apply(KINDS[kind], lot, quantity, location_id=location_id, other=other)
        report.events += 1
        if progress is not None and report.events % 100_000 == 0:
            progress(report.events)
    stored = Lot.objects.filter(site=site).values_list(
        "pk", "code", "quantity_on_hand", "status", "location_id"
    )
    for pk, code, on_hand, status, location_id in stored.iterator(chunk_size=CHUNK):
        lot = lots[pk]
        found = [
            LotDifference(code, name, mine, theirs)
            for name, mine, theirs in (
                ("quantity_on_hand", on_hand, lot.quantity_on_hand),
                ("status", status, lot.status),
                ("location", location_id, lot.location_id),
            )
            if mine != theirs
        ]
        if found:
            report.differing += 1
            if len(report.differences) < EXAMPLES:
                report.differences.extend(found)
    return report
