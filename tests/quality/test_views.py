"""The inspection page and the hold/release endpoints, as a quality manager and others use them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tracelot.accounts.roles import roles_sync
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import LotStatus
from tracelot.quality.models import Inspection

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def login(client, django_user_model):
    """Sign in a user of `role`, linked to `operator` when given."""
    roles_sync()

    def _login(role: str | None, operator=None):
        user = django_user_model.objects.create_user(username=role or "nobody", password="pw")
        if role:
            user.groups.add(Group.objects.get(name=role))
        if operator is not None:
            operator.user = user
            operator.save()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def manager(login, quality_manager):
    return login("quality", quality_manager)


@pytest.fixture
def lot(receive, flour):
    return receive(flour)


def inspect_url(lot):
    return reverse("quality:inspection-new", args=[lot.code])


def fields(lot_plan, **by_code):
    return {
        f"characteristic_{c.pk}": by_code[c.code]
        for c in lot_plan.characteristics.all()
        if c.code in by_code
    }


def post_inspection(client, plan, lot, key="form-1", auto_hold="on", **values):
    data = {"key": key, **fields(plan, **values)}
    if auto_hold:
        data["auto_hold"] = auto_hold
    return client.post(inspect_url(lot), data, **HTMX)


def hold(client, lot, reason, **extra):
    return client.post(
        reverse("quality:lot-hold", args=[lot.code]), {"reason": reason, **extra}, **HTMX
    )


def release(client, lot, reason, **extra):
    return client.post(
        reverse("quality:lot-release", args=[lot.code]), {"reason": reason, **extra}, **HTMX
    )


def test_the_form_shows_each_characteristic_with_its_limits(manager, flour_plan, lot):
    body = manager.get(inspect_url(lot)).content.decode()
    assert "Flour incoming" in body
    for text in ("MOIST", "Moisture", "10 ~ 14", "ASH", "≤ 0.55", "SMELL"):
        assert text in body
    assert 'name="characteristic_' in body
    assert '<option value="fail">' in body
    assert 'id="lot-status"' in body


def test_an_item_without_a_plan_says_so(manager, receive, pork):
    body = manager.get(inspect_url(receive(pork))).content.decode()
    assert "has no active inspection plan" in body


def test_posting_good_values_shows_a_green_pass_partial(manager, flour_plan, lot):
    response = post_inspection(
        manager, flour_plan, lot, MOIST="12", ASH="0.5", SMELL="pass", auto_hold=""
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'class="panel ok"' in body
    assert 'data-result="pass"' in body
    assert "Inspection passed" in body
    assert Inspection.objects.get().result == "pass"


def test_posting_a_value_out_of_limits_shows_a_red_fail_partial_and_holds_the_lot(
    manager, flour_plan, lot
):
    body = post_inspection(
        manager, flour_plan, lot, MOIST="15", ASH="0.5", SMELL="pass"
    ).content.decode()
    assert 'class="panel bad"' in body
    assert "Inspection failed" in body
    assert '<tr class="bad">' in body
    assert 'hx-swap-oob="true"' in body
    lot.refresh_from_db()
    assert lot.status == LotStatus.ON_HOLD


def test_a_non_number_is_shown_as_a_form_error_and_nothing_is_written(manager, flour_plan, lot):
    before = Event.objects.count()
    body = post_inspection(
        manager, flour_plan, lot, MOIST="wet", ASH="0.5", SMELL="pass"
    ).content.decode()
    assert "Moisture needs a number, not “wet”." in body
    assert 'value="wet"' in body
    assert Event.objects.count() == before
    assert not Inspection.objects.exists()


def test_submitting_the_same_form_twice_records_once(manager, flour_plan, lot):
    post_inspection(manager, flour_plan, lot, MOIST="12", ASH="0.5", SMELL="pass")
    post_inspection(manager, flour_plan, lot, MOIST="12", ASH="0.5", SMELL="pass")
    assert Inspection.objects.count() == 1


def test_a_page_post_without_htmx_renders_the_whole_page(manager, flour_plan, lot):
    data = {"key": "k", **fields(flour_plan, MOIST="12", ASH="0.5", SMELL="pass")}
    body = manager.post(inspect_url(lot), data).content.decode()
    assert "<html" in body
    assert "Inspection passed" in body


def test_hold_without_a_reason_is_refused_and_the_lot_is_unchanged(manager, lot):
    before = Event.objects.count()
    body = hold(manager, lot, "   ").content.decode()
    assert "Give a reason." in body
    lot.refresh_from_db()
    assert lot.status == LotStatus.RELEASED
    assert Event.objects.count() == before


def test_hold_without_a_reason_is_refused_in_chinese(manager, lot):
    body = manager.post(
        reverse("quality:lot-hold", args=[lot.code]),
        {"reason": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        **HTMX,
    ).content.decode()
    assert "请填写原因。" in body


def test_hold_with_a_reason_puts_the_lot_on_hold(manager, lot, quality_manager):
    body = hold(manager, lot, "customer complaint").content.decode()
    lot.refresh_from_db()
    assert lot.status == LotStatus.ON_HOLD
    event = Event.objects.get(lot=lot, kind=EventKind.HOLD)
    assert (event.reason, event.actor) == ("customer complaint", quality_manager)
    assert 'data-status="on_hold"' in body
    assert lot.code in body
    assert reverse("quality:lot-release", args=[lot.code]) in body
    assert reverse("quality:lot-hold", args=[lot.code]) not in body


def test_a_held_lot_is_released_under_the_managers_signature(manager, lot):
    hold(manager, lot, "suspect")
    page = manager.get(inspect_url(lot)).content.decode()
    assert 'name="password"' in page  # releasing a hold is signed
    body = release(manager, lot, "retested, fine", password="wrong").content.decode()
    assert "The password is not right" in body
    lot.refresh_from_db()
    assert lot.status == LotStatus.ON_HOLD

    body = release(manager, lot, "retested, fine", password="pw").content.decode()
    lot.refresh_from_db()
    assert lot.status == LotStatus.RELEASED
    event = Event.objects.get(lot=lot, kind=EventKind.RELEASE, reason="release: retested, fine")
    assert len(event.data["signatures"]) == 1
    assert 'data-status="released"' in body
    # The lot's own timeline shows who signed the release, with what meaning.
    timeline = manager.get(reverse("lotpages:lot-detail", args=[lot.code])).content.decode()
    assert "✍ 张敏 Zhang Min · approved" in timeline
    assert "does not match" not in timeline


def test_a_lot_that_failed_waits_for_a_second_signer_on_its_page(
    manager, lot, client, django_user_model, site
):
    from tests.factories import OperatorFactory
    from tracelot.ledger import services

    hold(manager, lot, "suspect")
    services.lot_inspect(
        lot=lot, characteristic="m", passed=False, actor=lot.events.first().actor, key="f"
    )
    body = release(manager, lot, "sorted out", password="pw").content.decode()
    assert "waits for a second person" in body
    lot.refresh_from_db()
    assert lot.status == LotStatus.ON_HOLD
    body = release(manager, lot, "", password="pw").content.decode()
    assert "must be another person" in body

    deputy = django_user_model.objects.create_user(username="deputy", password="pw2")
    deputy.groups.add(Group.objects.get(name="quality"))
    OperatorFactory(site=site, code="QM-2", user=deputy)
    client.force_login(deputy)
    release(client, lot, "", password="pw2", meaning="reviewed")
    lot.refresh_from_db()
    assert lot.status == LotStatus.RELEASED


def test_the_ledgers_refusal_is_shown_as_a_form_error(manager, lot):
    before = Event.objects.count()
    body = release(manager, lot, "again").content.decode()
    assert f"Lot {lot.code} is released and cannot be released." in body
    assert Event.objects.count() == before


def test_the_same_hold_form_submitted_twice_holds_once(manager, lot):
    hold(manager, lot, "suspect", key="hold-form-1")
    body = hold(manager, lot, "suspect", key="hold-form-1").content.decode()
    assert Event.objects.filter(lot=lot, kind=EventKind.HOLD).count() == 1
    assert 'data-status="on_hold"' in body


def test_an_operator_may_not_hold_release_or_inspect(login, operator, flour_plan, lot):
    client = login("operator", operator)
    assert hold(client, lot, "mine").status_code == 403
    assert release(client, lot, "mine").status_code == 403
    assert client.get(inspect_url(lot)).status_code == 403
    lot.refresh_from_db()
    assert lot.status == LotStatus.RELEASED


def test_an_auditor_can_post_nothing(login, site, flour_plan, lot):
    from tests.factories import OperatorFactory

    client = login("auditor", OperatorFactory(site=site))
    before = Event.objects.count()
    assert post_inspection(client, flour_plan, lot, MOIST="12").status_code == 403
    assert hold(client, lot, "audit").status_code == 403
    assert release(client, lot, "audit").status_code == 403
    assert Event.objects.count() == before


def test_hold_and_release_answer_only_post(manager, lot):
    assert manager.get(reverse("quality:lot-hold", args=[lot.code])).status_code == 405


def test_a_user_without_an_operator_is_refused_with_a_reason(login, flour_plan, lot):
    client = login("quality")
    response = hold(client, lot, "suspect")
    assert response.status_code == 403
    assert "not linked to an operator" in response.content.decode()
    inspected = post_inspection(client, flour_plan, lot, MOIST="12", ASH="0.5", SMELL="pass")
    assert inspected.status_code == 403
    assert Event.objects.filter(lot=lot, kind=EventKind.HOLD).count() == 0


def test_an_unknown_lot_is_not_found(manager):
    response = manager.post(reverse("quality:lot-hold", args=["NOPE"]), {"reason": "x"})
    assert response.status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, lot):
    response = client.get(inspect_url(lot))
    assert response.status_code == 302


def test_the_list_of_inspections_updates_with_the_result_and_names_values_with_units(
    manager, flour_plan, lot, english
):
    response = post_inspection(manager, flour_plan, lot, MOIST="12", ASH="0.5", SMELL="pass")
    body = response.content.decode()
    listed = body[body.index('id="inspections" hx-swap-oob="true"') :]
    assert "Flour incoming" in listed
    assert "Moisture 12 %" in listed


@pytest.mark.parametrize(
    ("language", "plan", "reading"),
    [("en", "Flour incoming", "Moisture 12.5 %"), ("zh-hans", "Flour incoming", "水分 12.5 %")],
)
def test_the_lot_page_names_each_qc_value_with_its_characteristic_and_unit(
    client_as, receive, flour, flour_plan, by_code, quality_manager, language, plan, reading
):
    from tracelot.quality.services import inspection_record

    lot = receive(flour, release=False)
    inspection_record(
        lot=lot,
        plan=flour_plan,
        values=by_code(MOIST="12.5", ASH="0.4", SMELL=True),
        inspector=quality_manager,
        key="qc",
    )
    client = client_as("auditor")
    client.post(reverse("accounts:language"), {"language": language})
    body = client.get(reverse("lotpages:lot-detail", args=[lot.code])).content.decode()
    qc = body[body.index('class="qc"') : body.index("</table>", body.index('class="qc"'))]
    assert plan in qc
    assert reading in qc
    assert "MOIST=" not in qc
    assert "plan:" not in qc
