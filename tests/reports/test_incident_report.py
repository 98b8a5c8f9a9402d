"""The incident report as PDF and XLSX: scope, graph, likely causes, timeline, signed
decisions, mass balance, recall and CAPA, in the reader's language, for the user's sites."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import LineFactory, SiteFactory
from tests.labels.conftest import pdf_text, require
from tracelot.accounts.models import Meaning
from tracelot.core.errors import Refused
from tracelot.incidents.actions import action_add, action_progress, action_verify, incident_close
from tracelot.incidents.models import ActionKind
from tracelot.incidents.recalling import recall_close, recall_return, recall_start
from tracelot.labels.fonts import cjk_font
from tracelot.ledger import services
from tracelot.orders.models import RoutingStep
from tracelot.plants.models import SiteMembership
from tracelot.quality.decisions import decision_approve, decision_take
from tracelot.quality.models import DecisionKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _font_installed():
    try:
        cjk_font()
    except Refused:
        require(False, what="a CJK font", package="fonts-noto-cjk")


@pytest.fixture
def scene(incident, dough_made, sibling, signers, quarantine, site, operator, dough):
    """The failed dough lot's incident: its sibling failed too and is reworked under Zhang
    Min's and Wang Fang's signatures, the dough is recalled from Hema and 6 kg of it comes
    back, and one corrective action is added."""
    zhang = signers["zhang"]
    RoutingStep.objects.create(
        item=dough, sequence=10, operation="knead", name="Knead again", output_item=dough,
        responsible=operator,
    )  # fmt: skip
    services.lot_inspect(lot=sibling, characteristic="TPC", passed=False, actor=operator, key="i2")
    sibling.refresh_from_db()
    decision = decision_take(
        site=site,
        kind=DecisionKind.REWORK,
        lots=[sibling],
        reason="same mixer as the failed lot",
        signer=signers["sign"](),
        actor=zhang,
        key="rework",
        context=incident.number,
        line=LineFactory(site=site),
    )
    decision_approve(
        decision=decision, signer=signers["sign"]("wang", Meaning.REVIEWED), actor=signers["wang"]
    )
    recall = recall_start(incident=incident, signer=signers["sign"](), actor=zhang, key="r")
    hema = recall.customers.select_related("customer").get()
    recall_return(
        recall=recall, customer=hema.customer, lot=dough_made["dough"], quantity=Decimal(6),
        location=quarantine, actor=zhang, key="ret",
    )  # fmt: skip
    action = action_add(
        incident=incident,
        kind=ActionKind.CORRECTIVE,
        description="Clean the mixer after every shift",
        owner=signers["wang"],
        due_on=date(2030, 1, 31),
        by=zhang,
    )
    return {"incident": incident, "decision": decision, "recall": recall, "action": action}


@pytest.fixture
def quality_client(client_as):
    return client_as("quality", first_name="Min")


def _pdf(client, number):
    response = client.get(reverse("reports:incident-report-pdf", args=[number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{number}-report.pdf"'
    return pdf_text(response.content)


def _workbook(client, number):
    response = client.get(reverse("reports:incident-report-xlsx", args=[number]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{number}-report.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_pdf_names_the_incident_its_lots_signers_and_mass_balance(
    quality_client, scene, dough_made
):
    number = scene["incident"].number
    text = _pdf(quality_client, number)
    assert f"Incident report {number}" in text
    assert "by Min" in text
    assert dough_made["dough"].code in text
    assert dough_made["flour"].code in text
    assert "张敏 Zhang Min" in text  # the printed name under each of her signatures
    assert "Wang Fang" in text  # the second signature the failed sibling's rework needed
    assert "Clean the mixer after every shift" in text
    # In kg: 220 made or received (two 100 kg lots, two 10 kg lots), 6 recovered, 196 in
    # stock, 10 shipped, 20 consumed, nothing scrapped, sent back or unaccounted, 10 reworked.
    # pypdf runs a table's cells together or apart as their widths fall: compare unspaced.
    start = text.index("Mass balance")
    balance = "".join(text[start : text.index("Recall", start)].split())
    assert balance == "".join(
        f"{label}{value}".replace(" ", "")
        for label, value in [
            ("Mass balance", ""), ("Unit", "kg"), ("Made or received", 220), ("Recovered", 6),
            ("In stock", 196), ("Shipped", 10), ("Consumed", 20), ("Scrapped", 0),
            ("Returned to supplier", 0), ("Unaccounted", 0), ("Reworked", 10),
        ]
    )  # fmt: skip


def test_the_xlsx_has_every_section_with_its_rows(quality_client, scene, dough_made):
    workbook = _workbook(quality_client, scene["incident"].number)
    assert workbook.sheetnames == [
        "Incident", "Lots by status", "Lots", "Links", "Likely causes", "Timeline",
        "Decisions", "Signatures", "Mass balance", "Recall", "CAPA actions",
    ]  # fmt: skip
    lots = {row[0]: row for row in _rows(workbook["Lots"])[1:]}
    assert lots[dough_made["dough"].code][3] == 6  # on hand, back from Hema
    links = _rows(workbook["Links"])[1:]  # 16 kg of flour into the step that made both doughs
    assert [dough_made["flour"].code, dough_made["dough"].code, 16] in [row[:3] for row in links]
    causes = _rows(workbook["Likely causes"])[1:]
    assert dough_made["flour"].code in [row[1] for row in causes]
    signatures = _rows(workbook["Signatures"])
    assert signatures[0][-1] == "Verifies"
    decided = scene["decision"].signatures.order_by("signed_at", "pk")
    assert [row[:2] + row[4:] for row in signatures[1:3]] == [
        [s.printed_name, s.get_meaning_display(), s.content_hash, "yes"] for s in decided
    ]
    start = scene["recall"].start_signature
    assert start.content_hash in [row[4] for row in signatures]
    assert _rows(workbook["Mass balance"])[1] == ["kg", 220, 6, 196, 10, 20, 0, 0, 0, 10]
    assert _rows(workbook["Recall"])[1][0] == "Hema Fresh"
    assert _rows(workbook["Recall"])[1][5:] == [6, 4]  # recovered, outstanding


def test_a_closed_incident_shows_who_closed_it_and_every_closing_signature(
    quality_client, scene, signers
):
    zhang, wang = signers["zhang"], signers["wang"]
    recall_close(
        recall=scene["recall"], signer=signers["sign"](), reason="Hema destroyed the rest",
        actor=zhang,
    )  # fmt: skip
    action = action_progress(action=scene["action"], status="done", note="done", by=wang)
    action_verify(action=action, effectiveness="no finding since", by=zhang)
    incident = incident_close(
        incident=scene["incident"],
        signer=signers["sign"](),
        summary="Mixer seal replaced",
        by=zhang,
    )
    workbook = _workbook(quality_client, incident.number)
    (headers, summary) = _rows(workbook["Incident"])
    closed = dict(zip(headers, summary, strict=True))
    assert closed["Closing signature"] == "张敏 Zhang Min"
    assert closed["Conclusion"] == "Mixer seal replaced"
    assert isinstance(closed["Closed at"], datetime)
    hashes = [row[4] for row in _rows(workbook["Signatures"])[1:]]
    recall = scene["recall"]
    recall.refresh_from_db()
    assert hashes[-3:] == [
        recall.start_signature.content_hash,
        recall.close_signature.content_hash,
        incident.close_signature.content_hash,
    ]
    text = _pdf(quality_client, incident.number)
    assert "Hema destroyed the rest" in text  # the recall closed without Hema's answer
    assert "no finding since" in text  # the action's effectiveness


def test_a_chinese_reader_gets_the_report_in_chinese(quality_client, scene):
    quality_client.post(reverse("accounts:language"), {"language": "zh-hans"})
    number = scene["incident"].number
    text = _pdf(quality_client, number)
    assert "可疑范围" in text  # Suspect scope
    assert "物料平衡" in text  # Mass balance
    assert "批次" in text  # Lot
    workbook = _workbook(quality_client, number)
    assert "物料平衡" in workbook.sheetnames
    assert _rows(workbook["时间线"])[0][:3] == ["时间", "事件", "操作人"]  # When, What, Who


def test_an_incident_without_decisions_recall_or_actions_says_so(quality_client, incident):
    text = _pdf(quality_client, incident.number)
    assert "None recorded." in text
    assert "Recall" not in _workbook(quality_client, incident.number).sheetnames


def test_a_user_of_another_site_does_not_find_the_incident(scene, client, django_user_model):
    from tracelot.accounts.roles import roles_sync

    roles_sync()
    user = django_user_model.objects.create_user(username="other")
    user.groups.add(Group.objects.get(name="quality"))
    SiteMembership.objects.create(user=user, site=SiteFactory(code="S2", name="Plant Two"))
    client.force_login(user)
    number = scene["incident"].number
    for name in ("reports:incident-report-pdf", "reports:incident-report-xlsx"):
        assert client.get(reverse(name, args=[number])).status_code == 404


def test_a_user_without_the_incident_permission_is_refused(scene, client_as):
    client = client_as("operator")
    number = scene["incident"].number
    for name in ("reports:incident-report-pdf", "reports:incident-report-xlsx"):
        assert client.get(reverse(name, args=[number])).status_code == 403
