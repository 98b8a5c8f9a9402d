"""Incident services: open one, change its scope, contain it. Each step adds an entry to the
incident's timeline; holds are ledger events (incidents.containment)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tracelot.core.errors import Refused
from tracelot.incidents.containment import Containment, lots_contain
from tracelot.incidents.models import (
    EntryKind,
    Incident,
    IncidentEntry,
    IncidentLot,
    IncidentSequence,
    IncidentStatus,
    ScopeRole,
)
from tracelot.incidents.scope import Scope, suspect_scope
from tracelot.items.models import Item
from tracelot.ledger import guards
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, SequenceReset
from tracelot.lots.rules import period_key, template_parse, template_render
from tracelot.plants.models import Line, Operator, Site
from tracelot.trace.selectors import lot_ids_matching

# The numbering rule, in the lot-number template language (lots.rules), counted per day.
DEFAULT_NUMBER_TEMPLATE = "INC-{yy}{mm}{dd}-{seq:3}"


def _number_next(site: Site, on: datetime) -> str:
    template = getattr(settings, "TRACELOT_INCIDENT_NUMBER", DEFAULT_NUMBER_TEMPLATE)
    day = timezone.localdate(on)
    sequence, _created = IncidentSequence.objects.select_for_update().get_or_create(
        site=site, period=period_key(reset=SequenceReset.DAILY, on=day)
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return template_render(
        parts=template_parse(template=template),
        values={"site": site.code},
        on=day,
        sequence=sequence.last_value,
    )


@transaction.atomic
def incident_open(
    *,
    site: Site,
    title: str,
    severity: str,
    owner: Operator,
    opened_by: Operator,
    source: str,
    lot_ids: Collection[int],
    **details: Any,
) -> Incident:
    """Open an incident about `lot_ids` (what its source resolved to); `details` keep what
    the source named as given: supplier_lot, inspection, customer, customer_lot_text, item,
    line, window_start, window_end, description."""
    title = title.strip()
    if not title:
        raise Refused("incident_title_required", gettext("Give the incident a title."))
    guards.text_storable(title, what=gettext("The title"), limit=200)
    lots = list(Lot.objects.filter(pk__in=list(lot_ids), site=site).order_by("code"))
    if not lots:
        raise Refused(
            "incident_without_lots",
            gettext("No lot of this site matches what the incident is about."),
        )
    now = timezone.now()
    incident = Incident.objects.create(
        site=site,
        number=_number_next(site, now),
        title=title,
        severity=severity,
        owner=owner,
        opened_by=opened_by,
        opened_at=now,
        source=source,
        **details,
    )
    IncidentLot.objects.bulk_create(
        [
            IncidentLot(incident=incident, lot=lot, role=ScopeRole.START, by=opened_by, at=now)
            for lot in lots
        ]
    )
    entry_add(incident, EntryKind.OPENED, opened_by, data={"lots": [lot.code for lot in lots]})
    return incident


def lots_of_failed_inspection(*, event: Event) -> list[int]:
    if event.kind != EventKind.INSPECT or event.data.get("result") != "fail":
        raise Refused("not_a_failed_inspection", gettext("This is not a failed inspection."))
    return [event.lot_id]


def lots_of_supplier_lot(*, site: Site, text: str) -> list[int]:
    """The lots of the site received under the supplier's lot number `text`."""
    text = text.strip()
    if not text:
        raise Refused("supplier_lot_required", gettext("Give the supplier lot."))
    lots = list(
        Lot.objects.filter(site=site, supplier_lot__iexact=text).values_list("pk", flat=True)
    )
    if not lots:
        raise Refused(
            "supplier_lot_unknown",
            gettext("No lot of this site was received as supplier lot %(text)s.") % {"text": text},
        )
    return lots


def lots_of_complaint(*, site: Site, item: Item | None, text: str) -> list[int]:
    """The lots a customer's complaint names: their lot code or a scan of our label, of the
    product they name."""
    lot_ids = lot_ids_matching(text, site_ids=frozenset({site.pk}))
    if not lot_ids:
        raise Refused(
            "complaint_lot_unknown",
            gettext("No lot of this site matches %(text)s; check the code on the customer's label.")
            % {"text": text.strip() or "—"},
        )
    if item is not None:
        other = Lot.objects.filter(pk__in=lot_ids).exclude(item=item).first()
        if other is not None:
            raise Refused(
                "complaint_lot_other_item",
                gettext("Lot %(code)s is %(item)s, not %(product)s.")
                % {
                    "code": other.code,
                    "item": other.item.display_name,
                    "product": item.display_name,
                },
            )
    return lot_ids


def lots_made_on_line(*, item_id: int, line: Line, start: datetime, end: datetime) -> list[int]:
    """The lots of the item produced on the line between `start` and `end`."""
    if end <= start:
        raise Refused("window_empty", gettext("The time window ends before it starts."))
    return list(
        Event.objects.filter(
            kind=EventKind.PRODUCE,
            line=line,
            lot__item_id=item_id,
            occurred_at__gte=start,
            occurred_at__lt=end,
            reversed_by__isnull=True,
        )
        .values_list("lot_id", flat=True)
        .distinct()
    )


def incident_scope(*, incident: Incident) -> Scope:
    """The incident's suspect scope, with the lots added to it and without those excluded."""
    roles: dict[str, list[int]] = {role: [] for role in ScopeRole}
    for lot_id, role in incident.lots.values_list("lot_id", "role"):
        roles[role].append(lot_id)
    return suspect_scope(
        lot_ids=roles[ScopeRole.START],
        added=roles[ScopeRole.ADDED],
        excluded=roles[ScopeRole.EXCLUDED],
    )


@dataclass
class ScopeChange:
    came_in: list[str]
    went_out: list[str]


@transaction.atomic
def incident_scope_change(
    *, incident: Incident, lot: Lot, role: str, reason: str, by: Operator
) -> ScopeChange:
    """Add a suspect lot to the scope or exclude one from it, with a reason; says which
    lots came into the scope and which went out."""
    if role not in (ScopeRole.ADDED, ScopeRole.EXCLUDED):
        raise Refused("scope_role", gettext("A lot is added to the scope or excluded from it."))
    reason = reason.strip()
    if not reason:
        raise Refused("reason_required", gettext("A reason is required."))
    guards.text_storable(reason, what=gettext("The reason"), limit=500)
    before = {row["code"] for row in incident_scope(incident=incident).lots}
    IncidentLot.objects.update_or_create(
        incident=incident,
        lot=lot,
        defaults={"role": role, "reason": reason, "by": by, "at": timezone.now()},
    )
    after = {row["code"] for row in incident_scope(incident=incident).lots}
    change = ScopeChange(came_in=sorted(after - before), went_out=sorted(before - after))
    entry_add(
        incident,
        EntryKind.SCOPE_CHANGED,
        by,
        text=reason,
        data={"lot": lot.code, "role": role, "in": change.came_in, "out": change.went_out},
    )
    return change


@transaction.atomic
def incident_contain(*, incident: Incident, actor: Operator, key: str) -> Containment:
    """Put every lot of the scope still in the plant on hold, the incident as the reason."""
    Incident.objects.select_for_update().filter(pk=incident.pk).first()
    earlier = incident.entries.filter(kind=EntryKind.CONTAINED, data__key=key).first()
    if earlier is not None:  # the same request again: its first answer
        return Containment(**{k: v for k, v in earlier.data.items() if k != "key"})
    scope = incident_scope(incident=incident)
    reason = f"{incident.number}: {incident.title}"[:500]
    done = lots_contain(lot_ids=scope.lot_ids, reason=reason, actor=actor, key=key)
    entry_add(
        incident,
        EntryKind.CONTAINED,
        actor,
        data={
            "key": key,
            "held": done.held,
            "already_on_hold": done.already_on_hold,
            "out_of_plant": done.out_of_plant,
        },
    )
    if incident.status == IncidentStatus.OPEN:
        incident.status = IncidentStatus.CONTAINED
        incident.save(update_fields=["status"])
    return done


def entry_add(
    incident: Incident, kind: str, by: Operator, text: str = "", data: dict[str, Any] | None = None
) -> IncidentEntry:
    """One more entry in the incident's timeline (entries are only added)."""
    return IncidentEntry.objects.create(
        incident=incident, kind=kind, at=timezone.now(), by=by, text=text[:500], data=data or {}
    )
