"""The one write path of the ledger: guard, append hash-chained events, update the projection.

Every service in ledger.services builds `Draft`s and calls `record`; the batch API, MQTT,
imports and the benchmark call `record` with many drafts at once. One transaction per call.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.base import ModelState
from django.dispatch import Signal
from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.chainkeys import keyring
from tracelot.core.errors import Refused
from tracelot.core.middleware import signed_in_user_id
from tracelot.core.sql import values_in
from tracelot.edges.services import StepFlow, edge_link, edges_sync
from tracelot.ledger import guards
from tracelot.ledger.chain import GENESIS, HASHED_FIELDS, event_hash_of_values
from tracelot.ledger.effects import draft_apply
from tracelot.ledger.flows import step_flow, step_flows
from tracelot.ledger.kinds import KINDS, BatchSteps, Draft, OnHand, Role
from tracelot.ledger.models import ChainHead, Event
from tracelot.ledger.writer import events_insert, lot_state, lots_update
from tracelot.lots.models import Lot
from tracelot.lots.services import lot_code_allocate

logger = logging.getLogger(__name__)
KEY_LENGTH = Event._meta.get_field("key").max_length or 100
REASON_LENGTH = Event._meta.get_field("reason").max_length or 500


@transaction.atomic
def record(drafts: Sequence[Draft]) -> list[Event]:
    """Record `drafts` in order, all or nothing.

    The idempotency rule, for every caller: a key already recorded with the same request
    returns the event it recorded and writes nothing; the same key with a different request
    is refused (`key_reused`) and nothing of the batch is written.
    """
    if not drafts:
        return []
    for draft in drafts:
        _key_check(draft.key)
        guards.quantity_recordable(draft.quantity)
        guards.text_storable(draft.reason, what=gettext("The reason"), limit=REASON_LENGTH)
    heads = _lock_heads({draft.lot.site_id for draft in drafts})
    results: list[Event | None] = [None] * len(drafts)
    todo = _skip_repeats(drafts, results)
    if todo:
        _write(todo, heads, results)
        _tell([event for index, _draft in todo if (event := results[index]) is not None])
    return [event for event in results if event is not None]


# Sent inside the recording's transaction with the events just written (not repeats), for
# what follows from them (alerts queue a job here). A receiver that fails is logged and
# never fails the recording: the events are the plant's record, the rest can be redone.
events_recorded = Signal()


def _tell(events: list[Event]) -> None:
    for receiver, outcome in events_recorded.send_robust(sender=Event, events=events):
        if isinstance(outcome, Exception):
            logger.error("After recording, %s failed: %s", receiver, outcome)


def _key_check(key: str) -> None:
    if not key:
        raise Refused("key_required", gettext("Every event needs an idempotency key."))
    if len(key) > KEY_LENGTH:
        raise Refused(
            "key_too_long",
            gettext("An idempotency key has at most %(length)s characters.")
            % {"length": KEY_LENGTH},
        )
    guards.text_storable(key, what=gettext("The idempotency key"), limit=KEY_LENGTH)


def _lock_heads(site_ids: set[int]) -> dict[int, ChainHead]:
    # Locking the chain head first orders concurrent writers of a site (PostgreSQL); on
    # SQLite the IMMEDIATE transaction already holds the one write lock.
    heads = {
        head.site_id: head
        for head in ChainHead.objects.select_for_update().filter(site_id__in=site_ids)
    }
    if heads.keys() == site_ids:
        return heads  # the usual case: one query
    for site_id in site_ids - heads.keys():  # a site's first event
        ChainHead.objects.get_or_create(site_id=site_id, defaults={"hash": GENESIS})
    return {
        head.site_id: head
        for head in ChainHead.objects.select_for_update().filter(site_id__in=site_ids)
    }


def _skip_repeats(drafts: Sequence[Draft], results: list[Event | None]) -> list[tuple[int, Draft]]:
    keys = {(draft.lot.site_id, draft.key) for draft in drafts}
    known: dict[tuple[int, str], Event] = {}
    for site_id in {site for site, _ in keys}:
        # site first: the unique (site, key) index answers this without touching the table
        site_keys = {key for site, key in keys if site == site_id}
        events = Event.objects.filter(site_id=site_id, key__in=values_in(site_keys, text=True))
        for event in events.select_related("lot"):
            known[(site_id, event.key)] = event
    todo: list[tuple[int, Draft]] = []
    first: dict[tuple[int, str], Draft] = {}
    for index, draft in enumerate(drafts):
        link = (draft.lot.site_id, draft.key)
        if link in known:
            if not _repeats(draft, known[link]):
                raise _key_reused(draft.key)
            results[index] = known[link]
        elif link in first:
            if _request(draft) != _request(first[link]):
                raise _key_reused(draft.key)
        else:
            first[link] = draft
            todo.append((index, draft))
    return todo


def _key_reused(key: str) -> Refused:
    return Refused(
        "key_reused",
        gettext(
            "The key %(key)s was already used for a different request; nothing was recorded. "
            "Send a new key for a new request."
        )
        % {"key": key},
    )


def _pk(obj: Any) -> int | None:
    return obj.pk if obj is not None else None


def _data(data: dict[str, Any]) -> Any:
    # As the JSON column gives it back: tuples as lists, dates as text.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True))


def _request(draft: Draft) -> tuple[Any, ...]:
    """What a caller asks for with `draft`: two drafts with one key must ask the same."""
    lot = draft.lot
    new_lot = (lot.item_id, lot.code, lot.supplier_id, lot.supplier_lot, lot.expires_on)
    return (
        draft.kind,
        lot.pk if lot.pk is not None else new_lot,
        draft.quantity if KINDS[draft.kind].on_hand != OnHand.NONE else None,
        _pk(draft.other_lot),
        _pk(draft.step),
        _pk(draft.sales_order),
        _pk(draft.purchase_order),
        _pk(draft.reverses),
        _pk(draft.location),
        draft.reason,
        _data(draft.data),
    )


def _repeats(draft: Draft, event: Event) -> bool:
    """Whether `draft` asks again for what `event` recorded (its key's first request).

    The quantity of a hold, release, inspection or move is the lot's on-hand at the time,
    not part of the request, so it is not compared; what the event added to its data (the
    status before and after) is not either.
    """
    lot = draft.lot
    if lot.pk is not None:
        same_lot = event.lot_id == lot.pk
    else:
        made = event.lot
        same_lot = (
            made.item_id == lot.item_id
            and made.supplier_id == lot.supplier_id
            and made.supplier_lot == lot.supplier_lot
            and (not lot.code or made.code == lot.code)
            and (lot.expires_on is None or made.expires_on == lot.expires_on)
        )
    recorded = event.data
    return (
        same_lot
        and event.kind == draft.kind
        and (KINDS[draft.kind].on_hand == OnHand.NONE or event.quantity == draft.quantity)
        and (_pk(draft.other_lot) is None or event.other_lot_id == _pk(draft.other_lot))
        and event.step_id == _pk(draft.step)
        and event.sales_order_id == _pk(draft.sales_order)
        and event.purchase_order_id == _pk(draft.purchase_order)
        and event.reverses_id == _pk(draft.reverses)
        and (draft.location is None or event.location_id == draft.location.pk)
        and event.reason == draft.reason
        and all(recorded.get(name) == value for name, value in _data(draft.data).items())
    )


def _write(
    todo: list[tuple[int, Draft]], heads: dict[int, ChainHead], results: list[Event | None]
) -> None:
    lots = _fresh_lots(draft for _, draft in todo)
    before = {pk: lot_state(lot) for pk, lot in lots.items()}
    step_sites = {
        draft.step.pk: draft.step.work_order.site_id for _, draft in todo if draft.step is not None
    }
    flows = step_flows(step_ids=step_sites)
    recorded_at = clock.now()
    events: list[tuple[int, Event]] = []
    dirty: dict[int, Lot] = {}
    steps = BatchSteps()
    for index, draft in todo:
        draft.lot = lots.get(draft.lot.pk, draft.lot) if draft.lot.pk else draft.lot
        if draft.other_lot is not None and draft.other_lot.pk:
            draft.other_lot = lots.get(draft.other_lot.pk, draft.other_lot)
        draft.occurred_at = draft.occurred_at or recorded_at
        draft.step_so_far = steps.before(draft)
        event = _apply(draft, recorded_at)
        steps.add(draft)
        dirty[draft.lot.pk] = draft.lot
        if draft.other_lot is not None:
            dirty[draft.other_lot.pk] = draft.other_lot
        flow = _flow_of(event, draft)
        if flow is not None:
            flows.append(flow)
        events.append((index, event))
    _chain(events, heads)
    events_insert([event for _, event in events])
    lots_update(list(dirty.values()), before)
    if step_sites:
        edges_sync(step_sites=step_sites, flows=flows)
    ChainHead.objects.bulk_update(list(heads.values()), ["position", "hash"])
    for index, event in events:
        results[index] = event


def _fresh_lots(drafts: Any) -> dict[int, Lot]:
    # Guards must see the lot as committed, not as the caller loaded it a moment ago.
    ids: set[int] = set()
    for draft in drafts:
        for lot in (draft.lot, draft.other_lot):
            if lot is not None and lot.pk:
                ids.add(lot.pk)
    return {lot.pk: lot for lot in Lot.objects.select_for_update().filter(pk__in=values_in(ids))}


def _flow_of(event: Event, draft: Draft) -> StepFlow | None:
    if draft.step is None:
        return None
    return step_flow(
        step_id=draft.step.pk,
        lot_id=draft.lot.pk,
        kind=event.kind,
        reversed_kind=draft.reverses.kind if draft.reverses is not None else None,
        quantity=event.quantity,
    )


def _apply(draft: Draft, recorded_at: datetime) -> Event:
    """Check the guards for `draft`, change its lot(s) in memory, and build the event."""
    lot = draft.lot
    changes = draft_apply(draft)
    other = draft.other_lot
    if other is not None and other.pk is None:
        _save_new_lot(other, draft)
    if lot.pk is None:
        _save_new_lot(lot, draft)
    if other is not None and KINDS[draft.kind].role == Role.LINK:
        edge_link(
            site_id=lot.site_id, source_id=lot.pk, target_id=other.pk, quantity=draft.quantity
        )
    step = draft.step
    work_order = step.work_order if step is not None else None
    team = draft.actor.team if draft.actor is not None else None
    data = {**draft.data, **changes}
    actor_id = draft.actor.pk if draft.actor is not None else None
    line_id: int | None
    shift_id: int | None
    if work_order is not None:
        line_id, shift_id = work_order.line_id, work_order.shift_id
    else:
        line_id = draft.station.line_id if draft.station is not None else None
        shift_id = team.shift_id if team is not None else None
    # Ids, not objects: assigning related objects costs a descriptor check per field, and
    # touching lot.location would cost a query per event in a batch.
    event = _new_event(
        site_id=lot.site_id,
        kind=draft.kind,
        lot_id=lot.pk,
        quantity=draft.quantity,
        unit=lot.unit,
        other_lot_id=other.pk if other is not None else None,
        occurred_at=draft.occurred_at or recorded_at,
        recorded_at=recorded_at,
        location_id=draft.location.pk if draft.location is not None else lot.location_id,
        line_id=line_id,
        station_id=draft.station.pk if draft.station is not None else None,
        actor_id=actor_id,
        responsible_id=step.responsible_id if step is not None else actor_id,
        shift_id=shift_id,
        team_id=team.pk if team is not None else None,
        purchase_order_id=draft.purchase_order.pk if draft.purchase_order else None,
        work_order_id=work_order.pk if work_order is not None else None,
        step_id=step.pk if step is not None else None,
        sales_order_id=draft.sales_order.pk if draft.sales_order else None,
        reason=draft.reason,
        via=draft.via,
        key=draft.key,
        reverses_id=draft.reverses.pk if draft.reverses is not None else None,
        data=data,
        user_id=signed_in_user_id(),
        chain_position=None,
        previous_hash="",
        hash="",
        seal_key="",
    )
    cache = event._state.fields_cache
    cache["lot"], cache["other_lot"], cache["actor"] = lot, other, draft.actor
    if step is not None:
        cache["step"], cache["work_order"] = step, work_order
    if draft.sales_order is not None:
        cache["sales_order"] = draft.sales_order
    return event


def _new_event(**values: Any) -> Event:
    # The values are ids and plain data we built ourselves, so Model.__init__'s per-field
    # checks (a descriptor call for each of 15 foreign keys) buy nothing; they were a fifth
    # of a batch (measured). This is what Model.from_db does for rows it trusts.
    event = Event.__new__(Event)
    event._state = ModelState()
    event.__dict__.update(values, id=None)
    return event


def _save_new_lot(lot: Lot, draft: Draft) -> None:
    work_order = draft.step.work_order if draft.step is not None else lot.work_order
    occurred_on = clock.localdate(draft.occurred_at)
    if lot.code and Lot.objects.filter(site_id=lot.site_id, code=lot.code).exists():
        raise Refused("lot_exists", gettext("Lot %(code)s already exists.") % {"code": lot.code})
    if not lot.code:
        try:
            lot.code = lot_code_allocate(
                item=lot.item,
                site=lot.site,
                occurred_on=occurred_on,
                line=work_order.line if work_order else None,
                shift=work_order.shift if work_order else None,
                work_order=work_order,
            )
        except Refused as refusal:
            if refusal.code != "lot_rule_value_missing" or work_order is not None:
                raise
            # The rule numbers lots by the line, shift or order that makes them (finished
            # goods); a receipt or a split has none of these.
            raise Refused(
                "lot_rule_needs_work_order",
                gettext(
                    "Lot numbers of %(item)s are made from the %(token)s that produces them, "
                    "and this lot is not produced on a work order. Record it at the station, "
                    "or give the item a lot-number rule without %(token)s."
                )
                % {"item": lot.item.display_name, "token": refusal.detail.get("token", "")},
            ) from refusal
    if not lot.batch:
        lot.batch = lot.code[:20]
    lot.gtin = lot.gtin or lot.item.gtin
    lot.created_at = lot.created_at or draft.occurred_at or clock.now()
    if lot.item.shelf_life_days and lot.expires_on is None:
        start = lot.produced_on or lot.received_on or occurred_on
        lot.expires_on = start + timedelta(days=lot.item.shelf_life_days)
    lot.save(force_insert=True)


def _chain(events: list[tuple[int, Event]], heads: dict[int, ChainHead]) -> None:
    by_site: dict[int, list[Event]] = defaultdict(list)
    for _, event in events:
        by_site[event.site_id].append(event)
    key = keyring().current
    for site_id, site_events in by_site.items():
        head = heads[site_id]
        for event in site_events:
            head.position += 1
            event.chain_position = head.position
            event.previous_hash = head.hash
            event.hash = event_hash_of_values(_hashed(event), head.hash, key)
            event.seal_key = key.id
            head.hash = event.hash


_hashed = attrgetter(*HASHED_FIELDS)
