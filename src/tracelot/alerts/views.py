"""The alerts pages: the bell's list and the acknowledgement; thin over the services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.alerts.selectors import alerts_at_sites, alerts_for
from tracelot.alerts.services import alert_acknowledge, alerts_mark_read
from tracelot.alerts.texts import alert_lines, alert_path, alert_title
from tracelot.core.errors import Refused
from tracelot.plants.selectors import user_site_ids

SHOWN = 200


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """The user's alerts (opening them marks them read); with ?all=1, for those who may view
    alerts, every alert of their sites, whoever it went to."""
    can_see_all = request.user.has_perm("alerts.view_alert")
    every = can_see_all and request.GET.get("all") == "1"
    if every:
        alerts = alerts_at_sites(site_ids=user_site_ids(user=request.user))
    else:
        alerts = alerts_for(user=request.user)
    mine = set() if not every else set(
        alerts_for(user=request.user).filter(acknowledged_at__isnull=True)
        .values_list("pk", flat=True)
    )  # fmt: skip
    rows = [
        {"alert": alert, "title": alert_title(alert), "lines": alert_lines(alert),
         "path": alert_path(alert), "mine": not every or alert.pk in mine,
         "acknowledged_by": _person(alert.acknowledged_by)}
        for alert in alerts[:SHOWN]
    ]  # fmt: skip
    if not every:
        alerts_mark_read(user=request.user)
    return render(
        request, "alerts/list.html", {"rows": rows, "every": every, "can_see_all": can_see_all}
    )


def _person(user: Any) -> str:
    """Who acknowledged, as colleagues know them: the operator's name, else the login."""
    if user is None:
        return ""
    try:
        return str(user.operator.display_name)
    except ObjectDoesNotExist:
        return str(user.get_full_name() or user.get_username())


@require_POST
@login_required
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alerts_for(user=request.user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    try:
        alert_acknowledge(alert=alert, user=request.user, comment=request.POST.get("comment", ""))
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, gettext("Alert acknowledged."))
    return redirect("alerts:alert-list")
