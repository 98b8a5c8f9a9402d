"""The recall pages of an incident: start it under a signature, send the notices, record
acknowledgements and returns, print a customer's letter, close it."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.core.errors import Refused
from tracelot.core.exports import document_download
from tracelot.incidents.forms import RecallCloseForm, ReturnForm
from tracelot.incidents.models import Incident, Recall, RecallCustomer
from tracelot.incidents.notices import recall_letter_pdf, recall_notices_send
from tracelot.incidents.recalling import (
    recall_acknowledge,
    recall_close,
    recall_return,
    recall_start,
)
from tracelot.incidents.views.common import (
    form_errors,
    incident_act,
    incident_for_user,
    signer_from,
)
from tracelot.ledger.keys import key_new
from tracelot.lots.selectors import lot_get_for_user
from tracelot.plants.models import Operator


def _recall(incident: Incident) -> Recall:
    recall = Recall.objects.filter(incident=incident).first()
    if recall is None:
        raise Refused("recall_not_started", gettext("The recall has not started."))
    return recall


def _customer(incident: Incident, code: str) -> RecallCustomer:
    return get_object_or_404(
        RecallCustomer.objects.select_related("customer", "recall__incident__site"),
        recall__incident=incident,
        customer__code=code,
    )


@login_required
@permission_required("incidents.add_recall", raise_exception=True)
@require_POST
def recall_start_view(request: HttpRequest, number: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        signer = signer_from(request, f"recall {incident.number}")
        recall = recall_start(
            incident=incident,
            signer=signer,
            actor=person,
            key=request.POST.get("key") or key_new(),
        )
        return gettext("Recall started: %(count)s customers.") % {"count": recall.customers.count()}

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.change_recall", raise_exception=True)
@require_POST
def recall_notify_view(request: HttpRequest, number: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        result = recall_notices_send(recall=_recall(incident), actor=person)
        text = gettext("Notices sent: %(count)s.") % {"count": len(result.sent)}
        if result.without_address:
            text += " " + gettext(
                "No e-mail address for %(customers)s: print their letters and send them."
            ) % {"customers": ", ".join(result.without_address)}
        return text

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.change_recall", raise_exception=True)
@require_POST
def recall_acknowledge_view(request: HttpRequest, number: str, code: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        row = _customer(incident, code)
        recall_acknowledge(recall_customer=row, note=request.POST.get("note", ""), actor=person)
        return gettext("Acknowledgement of %(customer)s recorded.") % {
            "customer": row.customer.display_name
        }

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.change_recall", raise_exception=True)
@require_POST
def recall_return_view(request: HttpRequest, number: str, code: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        row = _customer(incident, code)
        form = ReturnForm(request.POST, site_id=incident.site_id)
        if not form.is_valid():
            raise Refused("form_invalid", form_errors(form))
        try:
            lot = lot_get_for_user(user=request.user, code=form.cleaned_data["lot"].strip())
        except Http404:
            raise Refused("lot_unknown", gettext("No such lot.")) from None
        recall_return(
            recall=row.recall,
            customer=row.customer,
            lot=lot,
            quantity=form.cleaned_data["quantity"],
            location=form.cleaned_data["location"],
            actor=person,
            key=request.POST.get("key") or key_new(),
        )
        return gettext("Return recorded into %(location)s.") % {
            "location": form.cleaned_data["location"].display_name
        }

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.change_recall", raise_exception=True)
@require_POST
def recall_close_view(request: HttpRequest, number: str) -> HttpResponse:
    def work(incident: Incident, person: Operator) -> str:
        form = RecallCloseForm(request.POST)
        form.is_valid()
        signer = signer_from(request, f"close recall {incident.number}")
        recall_close(
            recall=_recall(incident),
            signer=signer,
            reason=form.cleaned_data.get("reason", ""),
            actor=person,
        )
        return gettext("The recall is closed.")

    return incident_act(request, number, work)


@login_required
@permission_required("incidents.view_recall", raise_exception=True)
def recall_letter_view(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """The letter to one customer, in the customer's language, to print or send by hand."""
    incident = incident_for_user(request, number)
    row = _customer(incident, code)
    return document_download(recall_letter_pdf(row=row), filename=f"{incident.number}-{code}.pdf")
