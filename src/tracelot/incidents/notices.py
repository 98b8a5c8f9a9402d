"""Recall notices: a PDF letter and an e-mail per customer, in the customer's language.

The e-mail goes through Django's mail backend (SMTP in production, the console or a file in
development, the outbox in tests) with the letter attached; its sending is recorded on the
customer's row of the recall and in the incident's timeline.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.clock import plant_time
from tracelot.core.errors import Refused
from tracelot.core.models import name_in_language
from tracelot.incidents.models import Recall, RecallCustomer
from tracelot.incidents.recalling import recall_customer_notified
from tracelot.items.models import amount
from tracelot.labels.document import FONT, pdf_document, pdf_heading, pdf_table
from tracelot.lots.models import Lot
from tracelot.plants.models import Operator


def _language(row: RecallCustomer) -> str:
    languages = dict(settings.LANGUAGES)
    return row.customer.language if row.customer.language in languages else "zh-hans"


def recall_letter_pdf(*, row: RecallCustomer) -> bytes:
    """The recall letter to one customer, in their language."""
    with translation.override(_language(row)):
        return _letter(row)


def _letter(row: RecallCustomer) -> bytes:
    recall: Recall = row.recall
    incident = recall.incident
    site = incident.site
    customer = row.customer
    company = str(site.display_name) + (f"  GLN {site.gln}" if site.gln else "")
    started = plant_time(recall.started_at)
    title = gettext("Product recall notice %(number)s") % {"number": incident.number}
    subtitle = gettext("To: %(customer)s%(contact)s. Date: %(date)s.") % {
        "customer": customer.display_name,
        "contact": f", {customer.contact_name}" if customer.contact_name else "",
        "date": started,
    }
    pdf = pdf_document(title, subtitle, company=company, printed=plant_time(clock.now()))
    pdf.set_font(FONT, size=10)
    body = gettext(
        "We are recalling the lots below, which we shipped to you, because of a quality "
        "problem: %(problem)s. Please stop selling and using them at once, keep them apart "
        "from other stock, confirm to us that you have received this notice, and return "
        "them to us; we will collect them or tell you how to send them."
    ) % {"problem": incident.title}
    pdf.multi_cell(0, 5.5, body, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf_heading(pdf, gettext("Lots shipped to you"))
    items = {
        code: name_in_language(name, name_zh or "")
        for code, name, name_zh in Lot.objects.filter(
            site=site, code__in=[r["lot"] for r in row.shipped]
        ).values_list("code", "item__name", "item__name_zh")
    }
    pdf_table(
        pdf,
        [
            gettext("Lot"),
            gettext("Item"),
            gettext("Sales orders"),
            gettext("Shipped"),
            gettext("Quantity"),
        ],
        [
            [
                r["lot"],
                items.get(r["lot"], ""),
                ", ".join(r["sales_orders"]),
                f"{_day(r['first_shipped_at'])} ~ {_day(r['last_shipped_at'])}",
                amount(Decimal(r["quantity"]), r["unit"]),
            ]
            for r in row.shipped
        ],
        whole=[0],
    )
    signature = recall.start_signature
    pdf.ln(4)
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(
        0,
        5.5,
        gettext("Signed electronically by %(name)s (%(meaning)s) on %(when)s; SHA-256 %(hash)s.")
        % {
            "name": signature.printed_name,
            "meaning": signature.get_meaning_display(),
            "when": plant_time(signature.signed_at),
            "hash": signature.content_hash[:16],
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _day(value: str | datetime) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return plant_time(moment).split(" ")[0]


@dataclass
class NoticeResult:
    sent: list[str]
    without_address: list[str]


def recall_notices_send(*, recall: Recall, actor: Operator) -> NoticeResult:
    """Send the notice to every customer of the recall not told yet who has an address."""
    if recall.closed_at is not None:
        raise Refused("recall_closed", gettext("The recall is closed."))
    result = NoticeResult(sent=[], without_address=[])
    rows = recall.customers.filter(notified_at__isnull=True).select_related(
        "customer", "recall__incident__site", "recall__start_signature"
    )
    for row in rows.order_by("customer__code"):
        if not row.customer.email:
            result.without_address.append(row.customer.code)
            continue
        language = _language(row)
        with translation.override(language):
            message = _email(row)
        message.send()
        recall_customer_notified(
            recall_customer=row, to=row.customer.email, language=language, actor=actor
        )
        result.sent.append(row.customer.code)
    return result


def _email(row: RecallCustomer) -> EmailMessage:
    incident = row.recall.incident
    subject = gettext("Product recall notice %(number)s") % {"number": incident.number}
    body = gettext(
        "Dear %(contact)s,\n\nwe are recalling lots we shipped to %(customer)s because of a "
        "quality problem: %(problem)s.\nPlease stop selling and using them, keep them apart, "
        "and confirm by replying to this e-mail that you received this notice. The attached "
        "letter lists the lots, quantities and sales orders.\n\n%(site)s"
    ) % {
        "contact": row.customer.contact_name or row.customer.display_name,
        "customer": row.customer.display_name,
        "problem": incident.title,
        "site": incident.site.display_name,
    }
    message = EmailMessage(subject=subject, body=body, to=[row.customer.email])
    message.attach(f"{incident.number}-{row.customer.code}.pdf", _letter(row), "application/pdf")
    return message
