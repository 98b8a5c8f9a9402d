"""Opening an incident, changing its scope and containing it; each step in its timeline."""

import pytest
import time_machine
from django.utils import timezone

from tracelot.capture.services import station_scan_input
from tracelot.core.errors import Refused
from tracelot.incidents.models import EntryKind, IncidentStatus, ScopeRole, Severity, Source
from tracelot.incidents.services import (
    incident_contain,
    incident_open,
    incident_scope,
    incident_scope_change,
)
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import Lot, LotStatus

pytestmark = pytest.mark.django_db


def test_an_incident_gets_a_number_by_its_rule_counted_per_day(dough_made, site, quality_manager):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 12, 1, 9)), tick=False):
        numbers = [
            incident_open(
                site=site,
                title=f"Complaint {n}",
                severity=Severity.MINOR,
                owner=quality_manager,
                opened_by=quality_manager,
                source=Source.LOT,
                lot_ids=[dough_made["dough"].pk],
            ).number
            for n in range(2)
        ]
    assert numbers == ["INC-261201-001", "INC-261201-002"]


def test_an_incident_from_a_failed_inspection_knows_its_lot_and_timeline(incident, dough_made):
    assert incident.status == IncidentStatus.OPEN
    assert list(incident.lots.values_list("lot__code", "role")) == [
        (dough_made["dough"].code, ScopeRole.START)
    ]
    (opened,) = incident.entries.all()
    assert opened.kind == EntryKind.OPENED
    assert opened.data == {"lots": [dough_made["dough"].code]}


def test_an_incident_needs_a_lot_and_a_title(site, quality_manager, dough_made):
    common = {
        "site": site,
        "severity": Severity.MINOR,
        "owner": quality_manager,
        "opened_by": quality_manager,
        "source": Source.LOT,
    }
    with pytest.raises(Refused, match="No lot"):
        incident_open(title="Nothing", lot_ids=[], **common)
    with pytest.raises(Refused, match="title"):
        incident_open(title="  ", lot_ids=[dough_made["dough"].pk], **common)


def test_excluding_a_lot_says_what_left_the_scope(incident, dough_made, quality_manager):
    change = incident_scope_change(
        incident=incident,
        lot=dough_made["pork"],
        role=ScopeRole.EXCLUDED,
        reason="pork certificate and retained sample negative",
        by=quality_manager,
    )
    assert change.went_out == [dough_made["pork"].code]
    assert change.came_in == []
    codes = {row["code"] for row in incident_scope(incident=incident).lots}
    assert dough_made["pork"].code not in codes
    entry = incident.entries.get(kind=EntryKind.SCOPE_CHANGED)
    assert entry.text == "pork certificate and retained sample negative"
    with pytest.raises(Refused):
        incident_scope_change(
            incident=incident, lot=dough_made["flour"], role=ScopeRole.EXCLUDED, reason=" ",
            by=quality_manager,
        )  # fmt: skip


def test_containing_holds_the_scope_names_the_incident_and_answers_a_resend_the_same(
    incident, dough_made, sibling, quality_manager, operator, step
):
    done = incident_contain(incident=incident, actor=quality_manager, key="contain")
    assert sorted(done.held) == sorted(
        [dough_made["flour"].code, dough_made["pork"].code, sibling.code]
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CONTAINED
    assert Lot.objects.get(pk=sibling.pk).status == LotStatus.ON_HOLD
    holds = Event.objects.filter(kind=EventKind.HOLD, reason__startswith=incident.number)
    assert holds.count() == 3
    answer = station_scan_input(
        step=step, text=dough_made["flour"].code, operator=operator, key="x"
    )
    assert incident.number in answer.message

    again = incident_contain(incident=incident, actor=quality_manager, key="contain")
    assert sorted(again.held) == sorted(done.held)
    assert holds.count() == 3
    assert incident.entries.filter(kind=EntryKind.CONTAINED).count() == 1
