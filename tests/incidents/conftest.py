"""Shared scenes of the incident tests: a failed dough lot with a sibling made from the same
material, the incident opened from its inspection, and two people who can sign."""

from decimal import Decimal

import pytest

from tests.factories import LocationFactory, OperatorFactory
from tracelot.accounts.models import Meaning
from tracelot.accounts.signatures import signer_verify
from tracelot.incidents.models import Severity, Source
from tracelot.incidents.services import incident_open, lots_of_failed_inspection
from tracelot.ledger import services


@pytest.fixture
def sibling(dough_made, step, operator):
    flour, pork = dough_made["flour"], dough_made["pork"]
    for lot, quantity, key in ((flour, 8, "s1"), (pork, 2, "s2")):
        lot.refresh_from_db()
        services.lot_consume(
            step=step, lot=lot, quantity=Decimal(quantity), actor=operator, key=key
        )
    return services.lot_produce(step=step, quantity=Decimal(10), actor=operator, key="s3").lot


@pytest.fixture
def incident(dough_made, sibling, site, operator, quality_manager):
    failed = services.lot_inspect(
        lot=dough_made["dough"], characteristic="TPC", passed=False, actor=operator, key="i"
    )
    return incident_open(
        site=site,
        title="Total plate count over the limit",
        severity=Severity.MAJOR,
        owner=quality_manager,
        opened_by=quality_manager,
        source=Source.INSPECTION,
        lot_ids=lots_of_failed_inspection(event=failed),
        inspection=failed,
    )


@pytest.fixture
def signers(django_user_model, quality_manager, site):
    """Zhang Min (quality manager) and Wang Fang (her deputy), each able to sign."""
    zhang = django_user_model.objects.create_user(username="zhang", password="pw-Zhang-1")
    quality_manager.user = zhang
    quality_manager.save()
    wang = django_user_model.objects.create_user(username="wang", password="pw-Wang-1")
    deputy = OperatorFactory(site=site, code="QM-WANG", name="Wang Fang", user=wang)

    def sign(person: str = "zhang", meaning: str = Meaning.APPROVED):
        user, password = (zhang, "pw-Zhang-1") if person == "zhang" else (wang, "pw-Wang-1")
        return signer_verify(user=user, password=password, meaning=meaning, subject="test")

    return {"sign": sign, "zhang": quality_manager, "wang": deputy}


@pytest.fixture
def quarantine(site):
    return LocationFactory(site=site, code="QUA", quarantine=True)
