"""The recall of an incident: started under a signature, shipped lots recalled, each customer
told in their language with a PDF letter, acknowledgements and returns into quarantine, and
the progress until it closes."""

from decimal import Decimal

import pytest
from django.core import mail

from tests.factories import LocationFactory
from tests.labels.conftest import pdf_text
from tracelot.accounts.signatures import signatures_for_events
from tracelot.capture.services import station_scan_input
from tracelot.core.errors import Refused
from tracelot.incidents.models import IncidentStatus
from tracelot.incidents.notices import recall_letter_pdf, recall_notices_send
from tracelot.incidents.recalling import (
    recall_acknowledge,
    recall_close,
    recall_progress,
    recall_return,
    recall_start,
)
from tracelot.ledger.models import Event, EventKind
from tracelot.lots.models import LotStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def recall(incident, signers):
    return recall_start(
        incident=incident, signer=signers["sign"](), actor=signers["zhang"], key="r"
    )


@pytest.fixture
def hema(recall):
    return recall.customers.select_related("customer").get()


def test_starting_a_recall_lists_the_customer_and_marks_the_shipped_lots_recalled(
    recall, incident, dough_made
):
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECALL
    (row,) = recall.customers.all()
    assert row.customer.name == "Hema Fresh"
    assert row.shipped[0]["quantity"] == "10"
    assert row.shipped[0]["lot"] == dough_made["dough"].code
    assert row.shipped[0]["sales_orders"] == [dough_made["order"].number]
    dough = dough_made["dough"]
    dough.refresh_from_db()
    assert dough.status == LotStatus.RECALLED
    assert recall.start_signature.content["record"]["incident"] == incident.number
    # The lot's recall event names the signed start, so the lot's page can show it.
    event = Event.objects.get(lot=dough, kind=EventKind.RECALL)
    assert event.data["recall"] == recall.pk
    assert event.data["signatures"] == [recall.start_signature.pk]
    shown = signatures_for_events([event], lot_code=dough.code)[event.pk]
    assert [s.verifies for s in shown] == [True]


def test_starting_twice_is_one_recall(recall, incident, signers):
    again = recall_start(
        incident=incident, signer=signers["sign"](), actor=signers["zhang"], key="r"
    )
    assert again.pk == recall.pk
    assert Event.objects.filter(kind=EventKind.RECALL).count() == 1


def test_the_notice_goes_by_e_mail_in_the_customers_language_with_the_letter(hema, recall, signers):
    hema.customer.email = "qa@hema.example.com"
    hema.customer.language = "zh-hans"
    hema.customer.save()

    result = recall_notices_send(recall=recall, actor=signers["zhang"])

    assert result.sent == [hema.customer.code]
    (message,) = mail.outbox
    assert message.to == ["qa@hema.example.com"]
    assert "产品召回通知" in message.subject
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".pdf")
    assert mimetype == "application/pdf"
    text = pdf_text(content)
    assert recall.incident.number in text
    assert "召回" in text
    hema.refresh_from_db()
    assert hema.notified_at is not None
    # Sent once: a second run tells nobody twice.
    assert recall_notices_send(recall=recall, actor=signers["zhang"]).sent == []
    assert len(mail.outbox) == 1


def test_an_english_customer_reads_an_english_letter_and_one_without_address_is_named(
    hema, recall, signers
):
    hema.customer.language = "en"
    hema.customer.email = ""
    hema.customer.save()
    result = recall_notices_send(recall=recall, actor=signers["zhang"])
    assert result.without_address == [hema.customer.code]
    assert mail.outbox == []
    assert "Product recall notice" in pdf_text(recall_letter_pdf(row=hema))


def test_the_letter_gives_quantities_in_the_customers_words(hema):
    hema.shipped[0].update(quantity="22", unit="case")  # as a carton item's row reads
    hema.customer.language = "zh-hans"
    assert "22 箱" in pdf_text(recall_letter_pdf(row=hema))
    hema.customer.language = "en"
    assert "22 cases" in pdf_text(recall_letter_pdf(row=hema))


def test_a_return_comes_back_into_quarantine_stays_recalled_and_counts_as_recovered(
    hema, recall, dough_made, signers, quarantine
):
    dough = dough_made["dough"]
    recall_return(
        recall=recall, customer=hema.customer, lot=dough, quantity=Decimal(6),
        location=quarantine, actor=signers["zhang"], key="ret1",
    )  # fmt: skip
    dough.refresh_from_db()
    assert dough.status == LotStatus.RECALLED
    assert dough.quantity_on_hand == Decimal(6)
    assert dough.location == quarantine
    progress = recall_progress(recall=recall)
    assert progress.total("recovered") == {"kg": "6"}
    assert progress.total("outstanding") == {"kg": "4"}


def test_a_returned_recalled_lot_is_refused_at_the_station_with_the_incident(
    hema, recall, dough_made, signers, quarantine, operator, step
):
    recall_return(
        recall=recall, customer=hema.customer, lot=dough_made["dough"], quantity=Decimal(6),
        location=quarantine, actor=signers["zhang"], key="ret1",
    )  # fmt: skip
    answer = station_scan_input(
        step=step, text=dough_made["dough"].code, operator=operator, key="x"
    )
    assert not answer.ok
    assert recall.incident.number in answer.message


@pytest.mark.parametrize(
    ("quantity", "code"), [("11", "return_more_than_shipped"), ("0", "quantity_not_positive")]
)
def test_returning_more_than_was_shipped_or_nothing_is_refused(
    hema, recall, dough_made, signers, quarantine, quantity, code
):
    before = Event.objects.count()
    with pytest.raises(Refused) as refused:
        recall_return(
            recall=recall, customer=hema.customer, lot=dough_made["dough"],
            quantity=Decimal(quantity), location=quarantine, actor=signers["zhang"], key="k",
        )  # fmt: skip
    assert refused.value.code == code
    assert Event.objects.count() == before


def test_returns_go_into_a_quarantine_location_only(hema, recall, dough_made, signers, site):
    dock = LocationFactory(site=site, code="DSP")
    with pytest.raises(Refused) as refused:
        recall_return(
            recall=recall, customer=hema.customer, lot=dough_made["dough"], quantity=Decimal(1),
            location=dock, actor=signers["zhang"], key="k",
        )  # fmt: skip
    assert refused.value.code == "return_not_to_quarantine"


def test_closing_needs_every_acknowledgement_or_a_signed_reason(hema, recall, signers):
    with pytest.raises(Refused) as refused:
        recall_close(recall=recall, signer=signers["sign"](), reason="", actor=signers["zhang"])
    assert refused.value.code == "recall_unacknowledged"

    recall_acknowledge(recall_customer=hema, note="phoned, stock blocked", actor=signers["zhang"])
    closed = recall_close(
        recall=recall, signer=signers["sign"](), reason="", actor=signers["zhang"]
    )
    assert closed.closed_at is not None
    assert closed.close_signature.meaning == "approved"
    closed.incident.refresh_from_db()
    assert closed.incident.status == IncidentStatus.INVESTIGATING


def test_a_recall_closes_without_an_answer_when_the_reason_is_signed(hema, recall, signers):
    closed = recall_close(
        recall=recall, signer=signers["sign"](), reason="customer out of business",
        actor=signers["zhang"],
    )  # fmt: skip
    assert closed.close_signature.content["record"]["unacknowledged"] == [hema.customer.code]


def test_nothing_to_recall_when_nothing_was_shipped(signers, site, receive, flour, quality_manager):
    from tracelot.incidents.models import Severity, Source
    from tracelot.incidents.services import incident_open

    lot = receive(flour)
    incident = incident_open(
        site=site, title="wet flour", severity=Severity.MINOR, owner=quality_manager,
        opened_by=quality_manager, source=Source.LOT, lot_ids=[lot.pk],
    )  # fmt: skip
    with pytest.raises(Refused) as refused:
        recall_start(incident=incident, signer=signers["sign"](), actor=signers["zhang"], key="r")
    assert refused.value.code == "recall_nothing_shipped"
