"""Traces as a user may read them: started from what they scanned or typed, within their sites."""

from typing import Any

from tracelot.gs1.scan import scan_parse_lenient
from tracelot.ledger.resolver import EVERY_FORM, lot_ids_named, lot_ids_named_or_refused
from tracelot.lots.models import Lot
from tracelot.plants.selectors import user_site_ids
from tracelot.trace.engine import Direction, Trace, lot_trace


def trace_start_lot_ids(*, text: str, site_ids: frozenset[int] | None = None) -> list[int]:
    """The lots a trace starts from: what a lot code, supplier lot, GS1 barcode or URN, work
    order or sales order names; refuse what names nothing. A search box has no station
    behind it, so the scanner's GS substitute is guessed."""
    return lot_ids_named_or_refused(
        scan=scan_parse_lenient(text=text), forms=EVERY_FORM, sites=site_ids
    )


def lot_ids_matching(text: str, *, site_ids: frozenset[int] | None = None) -> list[int]:
    """Lot ids for any form of lot reference (as `trace_start_lot_ids`), [] for none."""
    if not text.strip():
        return []
    return lot_ids_named(scan=scan_parse_lenient(text=text), forms=EVERY_FORM, sites=site_ids)


def trace_for_user(*, user: Any, lot: Lot, direction: Direction) -> Trace:
    """The trace of `lot` (one the user may see) with only the lots of the user's sites, and
    customers named only to a user who may see customers (accounts.roles)."""
    trace = lot_trace(lot_ids=[lot.pk], direction=direction, site_ids=user_site_ids(user=user))
    if not user.has_perm("partners.view_customer"):
        trace.without_customers()
    return trace
