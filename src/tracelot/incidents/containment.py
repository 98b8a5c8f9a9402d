"""Containment: every suspect lot still in the plant on hold in one action, all or nothing.

Each hold is a ledger event whose reason names why (an incident's number and title), so
every later scan of the lot, at a station or at shipping, is refused with that reason.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from tracelot.core.sql import values_in
from tracelot.ledger.keys import key_for
from tracelot.ledger.kinds import Draft
from tracelot.ledger.models import EventKind, Via
from tracelot.ledger.recording import record
from tracelot.lots.models import HOLDABLE, Lot, LotStatus
from tracelot.plants.models import Operator


@dataclass
class Containment:
    held: list[str] = field(default_factory=list)  # put on hold now
    already_on_hold: list[str] = field(default_factory=list)
    out_of_plant: int = 0  # shipped, consumed or scrapped: nothing to hold here

    def summary(self) -> str:
        return gettext(
            "%(held)s put on hold, %(already)s on hold already, %(out)s no longer in the plant"
        ) % {"held": len(self.held), "already": len(self.already_on_hold), "out": self.out_of_plant}


@transaction.atomic
def lots_contain(
    *, lot_ids: Collection[int], reason: str, actor: Operator, key: str, via: str = Via.MANUAL
) -> Containment:
    """Put every lot of `lot_ids` that is still in the plant on hold with `reason`.

    One request: sent again with its `key`, it holds nothing twice (each hold's key is
    derived from it and the lot). Lots on hold already stay as they are and are listed.
    """
    lots = list(
        Lot.objects.select_for_update()
        .filter(pk__in=values_in(list(lot_ids)))
        .order_by("pk")  # locked in one order: two containments at once do not deadlock
    )
    result = Containment()
    drafts = []
    for lot in lots:
        if lot.status in HOLDABLE:
            drafts.append(
                Draft(
                    kind=EventKind.HOLD,
                    lot=lot,
                    quantity=lot.quantity_on_hand,
                    key=key_for(f"contain-{lot.pk}", key),
                    via=via,
                    actor=actor,
                    reason=reason,
                )
            )
            result.held.append(lot.code)
        elif lot.status == LotStatus.ON_HOLD:
            result.already_on_hold.append(lot.code)
        else:
            result.out_of_plant += 1
    record(drafts)
    return result
