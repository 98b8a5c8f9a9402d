"""Inspection, hold and release pages of a lot: thin views over the quality and ledger services."""

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tracelot.accounts.models import Meaning
from tracelot.accounts.signatures import signer_verify
from tracelot.core.errors import Refused
from tracelot.core.http import HtmxRequest
from tracelot.items.models import Item
from tracelot.ledger import services as ledger
from tracelot.ledger.keys import key_new
from tracelot.ledger.models import Via
from tracelot.ledger.selectors import inspection_failed
from tracelot.lots.models import HOLDABLE, RELEASABLE, Lot, LotStatus
from tracelot.lots.selectors import lot_get_for_user
from tracelot.plants.models import Line, Operator, Site
from tracelot.plants.selectors import user_site_ids
from tracelot.quality.charts import (
    BASELINE,
    chart_drawing,
    control_chart,
    item_chart_keys,
    items_charted,
)
from tracelot.quality.decisions import decision_approve, decision_take
from tracelot.quality.forms import InspectionForm, ReasonForm
from tracelot.quality.models import (
    Characteristic,
    Decision,
    DecisionKind,
    DecisionStatus,
    Inspection,
    InspectionPlan,
    InspectionValue,
)
from tracelot.quality.selectors import (
    inspection_get,
    inspection_list_for_lot,
    inspection_plan_active_for_item,
)
from tracelot.quality.services import inspection_record

LOT_STATUS = "quality/partials/lot_status.html"


def _operator(request: HtmxRequest) -> Operator | None:
    # The ledger names a person, not a login: the user must be linked to an operator.
    return Operator.objects.filter(user_id=request.user.pk).first() if request.user.pk else None


def _no_operator(request: HtmxRequest) -> HttpResponse:
    return render(request, "quality/no_operator.html", status=403)


def _status_context(request: HtmxRequest, lot: Lot, **forms: ReasonForm) -> dict[str, Any]:
    user = request.user
    hold_form = forms.get("hold_form") or ReasonForm(auto_id="hold-%s")
    release_form = forms.get("release_form") or ReasonForm(auto_id="release-%s")
    errors = [error for form in (hold_form, release_form) for error in _errors(form)]
    return {
        "lot": lot,
        "errors": errors,
        "can_hold": user.has_perm("lots.hold_lot") and lot.status in HOLDABLE,
        "can_release": user.has_perm("lots.release_lot") and lot.status in RELEASABLE,
        "hold_form": hold_form,
        "release_form": release_form,
        "release_signed": _release_signed(lot),
        "pending_release": _pending_release(lot),
        "meanings": Meaning.choices,
    }


def _errors(form: ReasonForm) -> list[str]:
    if not form.is_bound:
        return []
    return [str(error) for errors in form.errors.values() for error in errors]


def _inspection_context(
    request: HtmxRequest,
    lot: Lot,
    plan: InspectionPlan | None,
    form: InspectionForm | None,
    inspection: Inspection | None = None,
) -> dict[str, Any]:
    return {
        **_status_context(request, lot),
        "plan": plan,
        "form": form,
        "inspection": inspection,
        "inspections": inspection_list_for_lot(lot=lot)[:20],
    }


@login_required
@permission_required("quality.add_inspection", raise_exception=True)
def inspection_new(request: HtmxRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    plan = inspection_plan_active_for_item(item=lot.item)
    if request.method != "POST" or plan is None:
        form = InspectionForm(plan=plan) if plan is not None else None
        context = _inspection_context(request, lot, plan, form)
        return render(request, "quality/inspection_new.html", context)
    inspector = _operator(request)
    if inspector is None:
        return _no_operator(request)
    form = InspectionForm(request.POST, plan=plan)
    inspection = None
    if form.is_valid():
        try:
            recorded = inspection_record(
                lot=lot,
                plan=plan,
                values=form.values(),
                inspector=inspector,
                key=form.cleaned_data["key"] or key_new(),
                via=Via.MANUAL,
                note=form.cleaned_data["note"],
                auto_hold=form.cleaned_data["auto_hold"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            inspection = inspection_get(pk=recorded.pk)
            lot.refresh_from_db()
            form = InspectionForm(plan=plan)
    context = _inspection_context(request, lot, plan, form, inspection)
    if request.htmx:
        return render(request, "quality/partials/inspection_form.html", context)
    return render(request, "quality/inspection_new.html", context)


def _status_change(request: HtmxRequest, code: str, *, hold: bool) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    actor = _operator(request)
    if actor is None:
        return _no_operator(request)
    auto_id = "hold-%s" if hold else "release-%s"
    form = ReasonForm(request.POST, auto_id=auto_id)
    if not hold and _release_signed(lot):
        return _signed_release(request, lot, actor, form)
    if form.is_valid():
        change = ledger.lot_hold if hold else ledger.lot_release
        try:
            change(
                lot=lot,
                reason=form.cleaned_data["reason"],
                actor=actor,
                key=form.cleaned_data["key"] or key_new(),
                via=Via.MANUAL,
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            lot.refresh_from_db()
            form = ReasonForm(auto_id=auto_id)
    forms = {"hold_form": form} if hold else {"release_form": form}
    return render(request, LOT_STATUS, _status_context(request, lot, **forms))


def _release_signed(lot: Lot) -> bool:
    """A lot on hold is released under a signature; one that failed its inspection under two
    (quality.decisions); a lot in quarantine on a reason alone."""
    return lot.status == LotStatus.ON_HOLD or inspection_failed(lot_id=lot.pk)


def _pending_release(lot: Lot) -> Decision | None:
    return (
        Decision.objects.filter(
            lots=lot,
            status=DecisionStatus.PENDING,
            kind__in=[DecisionKind.RELEASE, DecisionKind.CONCESSION],
        )
        .order_by("pk")
        .first()
    )


def _signed_release(
    request: HtmxRequest, lot: Lot, actor: Operator, form: ReasonForm
) -> HttpResponse:
    pending = _pending_release(lot)
    try:
        if pending is None and not form.is_valid():
            raise Refused("reason_required", gettext("Give a reason."))
        signer = signer_verify(
            user=request.user,  # type: ignore[arg-type]
            password=request.POST.get("password", ""),
            meaning=request.POST.get("meaning", "approved"),
            subject=f"release {lot.code}",
        )
        if pending is not None:
            decision_approve(decision=pending, signer=signer, actor=actor)
        else:
            decision_take(
                site=lot.site,
                kind=DecisionKind.RELEASE,
                lots=[lot],
                reason=form.cleaned_data["reason"],
                signer=signer,
                actor=actor,
                key=form.cleaned_data["key"] or key_new(),
            )
    except Refused as refusal:
        form = ReasonForm(request.POST, auto_id="release-%s")
        form.is_valid()
        form.add_error(None, refusal.message)
    else:
        form = ReasonForm(auto_id="release-%s")
    lot.refresh_from_db()
    return render(request, LOT_STATUS, _status_context(request, lot, release_form=form))


@require_POST
@login_required
@permission_required("lots.hold_lot", raise_exception=True)
def lot_hold(request: HtmxRequest, code: str) -> HttpResponse:
    return _status_change(request, code, hold=True)


@require_POST
@login_required
@permission_required("lots.release_lot", raise_exception=True)
def lot_release(request: HtmxRequest, code: str) -> HttpResponse:
    return _status_change(request, code, hold=False)


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_charts(request: HttpRequest, code: str) -> HttpResponse:
    """The control chart of each characteristic measured on the lot (the lot page loads it):
    its limits, Cp/Cpk, the newest points with the rule violations and this lot marked."""
    lot = lot_get_for_user(user=request.user, code=code)
    readings = (
        InspectionValue.objects.filter(inspection__lot=lot, value__isnull=False)
        .select_related("characteristic", "inspection__event__line")
        .order_by("characteristic__sequence", "characteristic__pk", "-inspection__inspected_at")
    )
    charts, seen = [], set()
    for reading in readings:
        characteristic, line = reading.characteristic, reading.inspection.event.line
        if (characteristic.pk, getattr(line, "pk", None)) in seen:
            continue
        seen.add((characteristic.pk, getattr(line, "pk", None)))
        chart = control_chart(characteristic, line=line, site_id=lot.site_id)
        mine = {p.event_id for p in chart.points if p.lot == lot.code and p.event_id}
        charts.append(
            {
                "chart": chart,
                "line": line,
                "drawing": chart_drawing(chart, this_events=mine),
                "broken": [
                    (chart.points[v.index].lot, v.rule.label)
                    for v in chart.violations
                    if chart.points[v.index].event_id in mine
                ],
            }
        )
    return render(
        request,
        "quality/partials/lot_charts.html",
        {"charts": charts, "lot": lot, "baseline": BASELINE},
    )


BROKEN_LISTED = 10  # the newest rule violations listed under an item's chart


@login_required
@permission_required("quality.view_inspection", raise_exception=True)
def chart_list(request: HttpRequest) -> HttpResponse:
    """The items that have control charts: each measured characteristic of a plan."""
    return render(request, "quality/charts.html", {"items": items_charted()})


@login_required
@permission_required("quality.view_inspection", raise_exception=True)
def item_charts(request: HttpRequest, code: str) -> HttpResponse:
    """An item's control charts, one per measured characteristic, site and line of the
    user's sites, each with its limits, Cp/Cpk and the newest rule violations' lots."""
    item = get_object_or_404(Item, code=code)
    keys = item_chart_keys(item, site_ids=user_site_ids(user=request.user))
    characteristics = Characteristic.objects.in_bulk({k.characteristic_id for k in keys})
    lines = Line.objects.in_bulk({k.line_id for k in keys if k.line_id})
    sites = Site.objects.in_bulk({k.site_id for k in keys})
    charts = []
    for key in keys:
        line = lines.get(key.line_id) if key.line_id else None
        chart = control_chart(characteristics[key.characteristic_id], line=line,
                              site_id=key.site_id)  # fmt: skip
        broken = [(chart.points[v.index].lot, v.rule.label) for v in chart.violations]
        charts.append({
            "chart": chart, "line": line, "no_line": line is None,
            "site": sites[key.site_id] if len(sites) > 1 else None,
            "drawing": chart_drawing(chart, this_events=set()),
            "broken": broken[::-1][:BROKEN_LISTED], "broken_count": len(broken),
        })  # fmt: skip
    return render(
        request,
        "quality/item_charts.html",
        {"item": item, "charts": charts, "baseline": BASELINE, "listed": BROKEN_LISTED},
    )
