"""What every incident page needs: the user's incidents, the person behind the login, and
the signature a form carries."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from tracelot.accounts.signatures import Signer, signer_verify
from tracelot.core.errors import Refused
from tracelot.incidents.models import Incident
from tracelot.incidents.selectors import incident_get_for_user, incidents_for_user
from tracelot.plants.models import Operator
from tracelot.plants.selectors import operator_for_user


def operator_of(request: HttpRequest) -> Operator | None:
    # The record names a person, not a login: the user must be linked to an operator.
    try:
        return operator_for_user(user=request.user)
    except Refused:
        return None


def incidents_visible(request: HttpRequest) -> QuerySet[Incident]:
    return incidents_for_user(user=request.user)


def incident_for_user(request: HttpRequest, number: str) -> Incident:
    return incident_get_for_user(user=request.user, number=number)


def signer_from(request: HttpRequest, subject: str) -> Signer:
    """The signer of a form: the signed-in user, who re-entered their password in it."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return signer_verify(
        user=user,
        password=request.POST.get("password", ""),
        meaning=request.POST.get("meaning", ""),
        subject=subject,
    )


def form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def incident_act(
    request: HttpRequest, number: str, work: Callable[[Incident, Operator], str]
) -> HttpResponse:
    """Run `work` for the signed-in person on the incident; its text or refusal as a message."""
    incident = incident_for_user(request, number)
    person = operator_of(request)
    if person is None:
        return render(request, "quality/no_operator.html", status=403)
    try:
        done = work(incident, person)
    except Refused as refusal:
        messages.error(request, refusal.message)
    except Http404:  # a decision, action or customer the incident does not have
        messages.error(request, gettext("Not found under this incident."))
    else:
        if done:
            messages.success(request, done)
    return redirect("incidents:incident-detail", number=incident.number)
