"""Signed decisions on lots: release after investigation and the disposition of
nonconforming lots, each carried out as ledger events; four eyes on a lot that failed."""

from decimal import Decimal

import pytest

from tests.factories import LineFactory, OperatorFactory, SiteFactory
from tracelot.accounts.models import Meaning
from tracelot.accounts.signatures import signature_verifies, signer_verify
from tracelot.core.errors import Refused
from tracelot.ledger import services
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import LotStatus
from tracelot.orders.models import RoutingStep
from tracelot.quality.decisions import decision_approve, decision_take
from tracelot.quality.models import Decision, DecisionKind, DecisionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def signers(django_user_model, quality_manager, site):
    """Zhang Min (quality manager) and Wang Fang (her deputy), each able to sign."""
    zhang = django_user_model.objects.create_user(username="zhang", password="pw-Zhang-1")
    quality_manager.user = zhang
    quality_manager.save()
    wang = django_user_model.objects.create_user(username="wang", password="pw-Wang-1")
    deputy = OperatorFactory(site=site, code="QM-WANG", name="Wang Fang", user=wang)

    def sign(person: str, meaning: str = Meaning.APPROVED):
        user, password = (zhang, "pw-Zhang-1") if person == "zhang" else (wang, "pw-Wang-1")
        return signer_verify(user=user, password=password, meaning=meaning, subject="decision")

    return {"sign": sign, "zhang": quality_manager, "wang": deputy}


@pytest.fixture
def held(receive, flour, operator):
    lot = receive(flour)
    services.lot_hold(lot=lot, reason="INC-1: suspect flour", actor=operator, key="h")
    lot.refresh_from_db()
    return lot


@pytest.fixture
def failed(held, operator):
    services.lot_inspect(lot=held, characteristic="moisture", passed=False, actor=operator, key="i")
    held.refresh_from_db()
    return held


def _take(signers, kind, lots, *, by="zhang", key="d1", **extra):
    return decision_take(
        site=lots[0].site,
        kind=kind,
        lots=lots,
        reason="investigated: not affected",
        signer=signers["sign"](by),
        actor=signers[by],
        key=key,
        **extra,
    )


def test_a_signed_release_releases_the_lot_with_the_signature_on_its_event(signers, held):
    decision = _take(signers, DecisionKind.RELEASE, [held], context="INC-261201-001")

    held.refresh_from_db()
    assert held.status == LotStatus.RELEASED
    assert decision.status == DecisionStatus.DONE
    (signature,) = decision.signatures.all()
    assert signature_verifies(signature, decision.record)
    release = Event.objects.get(lot=held, kind=EventKind.RELEASE, data__decision=decision.pk)
    assert release.data["signatures"] == [signature.pk]
    assert release.reason.startswith("INC-261201-001 release: investigated")


def test_a_failed_lot_waits_for_a_second_person_before_it_is_released(signers, failed):
    decision = _take(signers, DecisionKind.RELEASE, [failed])
    failed.refresh_from_db()
    assert decision.status == DecisionStatus.PENDING
    assert failed.status == LotStatus.ON_HOLD

    with pytest.raises(Refused) as refused:
        decision_approve(decision=decision, signer=signers["sign"]("zhang"), actor=signers["zhang"])
    assert refused.value.code == "second_signer_same"

    decision_approve(
        decision=decision, signer=signers["sign"]("wang", Meaning.REVIEWED), actor=signers["wang"]
    )
    failed.refresh_from_db()
    assert failed.status == LotStatus.RELEASED
    assert sorted(decision.signatures.values_list("printed_name", flat=True)) == [
        "Wang Fang",
        "张敏 Zhang Min",
    ]


def test_no_path_releases_a_failed_lot_on_one_signature(failed, operator):
    with pytest.raises(Refused) as refused:
        services.lot_release(lot=failed, reason="looks fine", actor=operator, key="r")
    assert refused.value.code == "release_needs_two_signatures"
    failed.refresh_from_db()
    assert failed.status == LotStatus.ON_HOLD


def test_scrap_takes_the_whole_lot_out_as_a_scrap_event(signers, held):
    _take(signers, DecisionKind.SCRAP, [held])
    held.refresh_from_db()
    assert (held.status, held.quantity_on_hand) == (LotStatus.SCRAPPED, 0)
    assert Event.objects.get(lot=held, kind=EventKind.SCRAP).quantity == Decimal(100)


def test_a_received_lot_goes_back_to_its_supplier_and_a_made_lot_cannot(signers, held, step):
    _take(signers, DecisionKind.SEND_BACK, [held])
    held.refresh_from_db()
    assert held.status == LotStatus.RETURNED
    assert Event.objects.filter(lot=held, kind=EventKind.SEND_BACK).exists()


def test_sending_back_a_lot_made_here_is_refused_and_changes_nothing(signers, dough_made):
    made = dough_made["flour"]  # consumed 8 of 100, still in stock
    made.supplier = None
    made.save()
    with pytest.raises(Refused) as refused:
        _take(signers, DecisionKind.SEND_BACK, [made])
    assert refused.value.code == "lot_not_from_supplier"
    assert not Decision.objects.exists()


def test_rework_opens_a_rework_work_order_and_waits_for_four_eyes_on_a_failed_lot(
    signers, failed, flour, site, operator
):
    RoutingStep.objects.create(
        item=flour, sequence=10, operation="sieve", name="Sieve", output_item=flour,
        responsible=operator,
    )  # fmt: skip
    line = LineFactory(site=site)
    decision = _take(signers, DecisionKind.REWORK, [failed], line=line)
    assert decision.status == DecisionStatus.PENDING
    assert decision.work_order is None
    decision_approve(decision=decision, signer=signers["sign"]("wang"), actor=signers["wang"])
    decision.refresh_from_db()
    assert decision.work_order.number == f"RW-{decision.pk:05d}"
    assert decision.work_order.line == line
    assert decision.work_order.planned_quantity == Decimal(100)
    failed.refresh_from_db()
    assert failed.status == LotStatus.RELEASED


def test_a_lot_of_another_site_is_refused_and_nothing_is_decided(signers, held, flour):
    other = SiteFactory(code="SH2", name="Shanghai 2")
    with pytest.raises(Refused) as refused:
        decision_take(
            site=other,
            kind=DecisionKind.SCRAP,
            lots=[held],
            reason="x",
            signer=signers["sign"]("zhang"),
            actor=signers["zhang"],
            key="k",
        )
    assert refused.value.code == "lot_of_other_site"
    held.refresh_from_db()
    assert held.status == LotStatus.ON_HOLD
    assert not Decision.objects.exists()


def test_the_same_decision_sent_twice_is_taken_once(signers, held):
    first = _take(signers, DecisionKind.SCRAP, [held], key="same")
    again = _take(signers, DecisionKind.SCRAP, [held], key="same")
    assert first.pk == again.pk
    assert Event.objects.filter(lot=held, kind=EventKind.SCRAP).count() == 1


def test_a_decision_without_a_reason_is_refused(signers, held):
    with pytest.raises(Refused) as refused:
        decision_take(
            site=held.site, kind=DecisionKind.SCRAP, lots=[held], reason="  ",
            signer=signers["sign"]("zhang"), actor=signers["zhang"], key="k",
        )  # fmt: skip
    assert refused.value.code == "reason_required"
