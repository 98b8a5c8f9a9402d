"""The alerts pages: the bell's list and the acknowledgement; thin over the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.alerts.selectors import alerts_for
from tracelot.alerts.services import alert_acknowledge, alerts_mark_read
from tracelot.alerts.texts import alert_lines, alert_path, alert_title
from tracelot.core.errors import Refused

SHOWN = 200


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = list(alerts_for(user=request.user)[:SHOWN])
    rows = [
        {"alert": alert, "title": alert_title(alert), "lines": alert_lines(alert),
         "path": alert_path(alert)}
        for alert in alerts
    ]  # fmt: skip
    alerts_mark_read(user=request.user)
    return render(request, "alerts/list.html", {"rows": rows})


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
