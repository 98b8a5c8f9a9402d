"""Mock recall drill pages: the history of the user's sites, their schedules, a drill run now
on a typed lot or a random one, and a drill's kept report."""

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.incidents.drills import (
    LIMIT_NAMES,
    LIMITS,
    drill_lot_pick,
    drill_run,
    drill_schedule_set,
    drill_schedule_summary,
)
from tracelot.incidents.models import Drill, DrillLotKind, DrillSchedule
from tracelot.incidents.recall import BALANCE
from tracelot.incidents.views.common import operator_of
from tracelot.lots.models import Lot
from tracelot.lots.selectors import lot_get_for_user
from tracelot.plants.models import Site
from tracelot.plants.selectors import user_site_ids

HISTORY_ROWS = 200


class DrillRunForm(forms.Form):
    """A typed lot code, or a kind of lot to pick at random at one of the user's sites."""

    lot = forms.CharField(label=_("Lot code"), max_length=60, required=False)
    lot_kind = forms.ChoiceField(
        label=_("Kind of lot"), choices=DrillLotKind.choices, required=False
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["lot"] = (data.get("lot") or "").strip()
        if not data["lot"] and not (data.get("lot_kind") and data.get("site")):
            raise forms.ValidationError(
                gettext("Type a lot code, or choose a site and a kind of lot to pick at random.")
            )
        return data


class DrillScheduleForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    # Bounds are the service's rule (drill_schedule_set), stated once there.
    every_days = forms.IntegerField(label=_("Every (days)"), initial=91)
    lot_kind = forms.ChoiceField(label=_("On"), choices=DrillLotKind.choices)
    next_on = forms.DateField(label=_("Next drill on"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


def _sites(request: HttpRequest) -> QuerySet[Site]:
    site_ids = user_site_ids(user=request.user)
    sites = Site.objects.order_by("code")
    return sites if site_ids is None else sites.filter(pk__in=site_ids)


def _drills(request: HttpRequest) -> QuerySet[Drill]:
    site_ids = user_site_ids(user=request.user)
    drills = Drill.objects.select_related("site", "lot", "run_by")
    return drills if site_ids is None else drills.filter(site_id__in=site_ids)


def _form_errors(form: forms.Form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


def _score_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    score = report.get("score", {})
    return [{"name": LIMIT_NAMES[name], **score[name]} for name in LIMITS if name in score]


@login_required
@permission_required("incidents.view_drill", raise_exception=True)
def drill_list(request: HttpRequest) -> HttpResponse:
    sites = _sites(request)
    first = sites.first()  # chosen already: most plants have one site
    drills = list(_drills(request)[:HISTORY_ROWS])
    for drill in drills:
        drill.score_rows = _score_rows(drill.report)  # type: ignore[attr-defined]
    context = {
        "drills": drills,
        "schedules": DrillSchedule.objects.filter(site__in=sites).select_related("site"),
        "can_run": request.user.has_perm("incidents.add_drill"),
        # Two forms on one page: each its own element ids.
        "run_form": DrillRunForm(
            sites=sites, auto_id="run_%s", initial={"lot_kind": DrillLotKind.ANY, "site": first}
        ),
        "schedule_form": DrillScheduleForm(
            sites=sites, auto_id="schedule_%s", initial={"next_on": clock.today(), "site": first}
        ),
        "limit_names": [LIMIT_NAMES[name] for name in LIMITS],
    }
    return render(request, "incidents/drills.html", context)


@login_required
@permission_required("incidents.add_drill", raise_exception=True)
@require_POST
def drill_run_view(request: HttpRequest) -> HttpResponse:
    """Run a mock recall now on the typed lot, or on a random lot of a kind at a site."""
    person = operator_of(request)
    if person is None:
        return render(request, "quality/no_operator.html", status=403)
    form = DrillRunForm(request.POST, sites=_sites(request))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("incidents:drill-list")
    lot = _drill_lot(request, form.cleaned_data)
    if lot is None:
        return redirect("incidents:drill-list")
    drill = drill_run(lot=lot, by=person)
    return redirect("incidents:drill-detail", pk=drill.pk)


def _drill_lot(request: HttpRequest, data: dict[str, Any]) -> Lot | None:
    if data["lot"]:
        try:
            return lot_get_for_user(user=request.user, code=data["lot"])
        except Http404:
            messages.error(request, gettext("No such lot."))
            return None
    lot = drill_lot_pick(site=data["site"], lot_kind=data["lot_kind"], rng=secrets.SystemRandom())
    if lot is None:
        messages.error(
            request,
            gettext("%(site)s has no lot of this kind to drill on.") % {"site": data["site"]},
        )
    return lot


@login_required
@permission_required("incidents.add_drill", raise_exception=True)
@require_POST
def drill_schedule_view(request: HttpRequest) -> HttpResponse:
    form = DrillScheduleForm(request.POST, sites=_sites(request))
    if form.is_valid():
        try:
            schedule = drill_schedule_set(**form.cleaned_data)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, drill_schedule_summary(schedule))
    else:
        messages.error(request, _form_errors(form))
    return redirect("incidents:drill-list")


@login_required
@permission_required("incidents.view_drill", raise_exception=True)
def drill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    drill = _drills(request).filter(pk=pk).first()
    if drill is None:
        raise Http404
    report = drill.report
    balance = [
        {"unit": unit, "columns": [row.get(column, "") for column in BALANCE]}
        for unit, row in report.get("mass_balance", {}).items()
    ]
    context = {
        "drill": drill,
        "report": report,
        "score_rows": _score_rows(report),
        "balance": balance,
    }
    return render(request, "incidents/drill.html", context)
