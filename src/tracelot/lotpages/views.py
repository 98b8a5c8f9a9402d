"""Lot search and the lot page: thin views over the search, trace and export functions."""

import json

from django.contrib.auth.decorators import login_required, permission_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext

from tracelot.accounts.signatures import signatures_for_events
from tracelot.core.exports import document_download, table_download, workbook_download
from tracelot.core.http import HtmxRequest
from tracelot.core.models import name_in_language
from tracelot.core.paging import page_of
from tracelot.ledger.models import Event, EventKind
from tracelot.lotpages.exports import lot_table, trace_sheets
from tracelot.lotpages.forms import LotSearchForm
from tracelot.lotpages.search import LotFilters, lot_search
from tracelot.lots.models import LotStatus
from tracelot.lots.selectors import lot_get_for_user
from tracelot.trace.engine import Direction, with_display_names
from tracelot.trace.selectors import trace_for_user

TRACE_TABLE_ROWS = 200


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_search_page(request: HtmxRequest) -> HttpResponseBase:
    form = LotSearchForm(
        request.GET or None, customers=request.user.has_perm("partners.view_customer")
    )
    filters = form.filters() if form.is_valid() else LotFilters()
    lots = lot_search(user=request.user, filters=filters)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        headers, rows = lot_table(lots)
        return table_download(
            headers=headers, rows=rows, kind=export, name="lots", title=gettext("Lots")
        )
    page = page_of(lots, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "sort": filters.sort}
    template = "lotpages/partials/lot_results.html" if request.htmx else "lotpages/search.html"
    return render(request, template, context)


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_detail(request: HttpRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    events = (
        Event.objects.filter(lot=lot)
        .select_related(
            "actor",
            "responsible",
            "line",
            "shift",
            "work_order",
            "step",
            "sales_order__customer",
            "location",
            "purchase_order",
        )
        .order_by("occurred_at", "chain_position")
    )
    timeline = list(events)
    inspections = [event for event in timeline if event.kind == EventKind.INSPECT]
    # Named by relation, not imported: the quality app's record of each inspection, with its
    # plan and each value's characteristic, for names and units in the reader's language.
    prefetch_related_objects(inspections, "inspection__plan", "inspection__values__characteristic")
    signed = signatures_for_events(timeline, lot_code=lot.code)
    context = {
        "lot": lot,
        "events": [(event, signed.get(event.pk, [])) for event in timeline],
        "inspections": inspections,
        "direction": Direction.parse(request.GET.get("direction")),
    }
    return render(request, "lotpages/lot_detail.html", context)


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_trace_partial(request: HttpRequest, code: str) -> HttpResponse:
    """The trace section of the lot page, loaded after the page (a wide trace takes longer)."""
    lot = lot_get_for_user(user=request.user, code=code)
    direction = Direction.parse(request.GET.get("direction"))
    trace = trace_for_user(user=request.user, lot=lot, direction=direction)
    labels = dict(LotStatus.choices)
    rows = [
        {
            **row,
            "status_label": labels.get(row["status"], row["status"]),
            "item_display_name": name_in_language(row["item_name"], row["item_name_zh"]),
        }
        for row in trace.lots[:TRACE_TABLE_ROWS]
    ]
    context = {
        "lot": lot,
        "trace": trace,
        "trace_lots": rows,
        "customers": with_display_names(trace.customers),
        "suppliers": with_display_names(trace.suppliers),
        "direction": direction,
    }
    return render(request, "lotpages/partials/lot_trace.html", context)


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_trace_json(request: HttpRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    direction = Direction.parse(request.GET.get("direction"))
    trace = trace_for_user(user=request.user, lot=lot, direction=direction)
    content = json.dumps(trace.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    return document_download(
        content, filename=f"trace-{direction}-{lot.code}.json", content_type="application/json"
    )


@login_required
@permission_required("lots.view_lot", raise_exception=True)
def lot_trace_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    lot = lot_get_for_user(user=request.user, code=code)
    direction = Direction.parse(request.GET.get("direction"))
    trace = trace_for_user(user=request.user, lot=lot, direction=direction)
    return workbook_download(sheets=trace_sheets(trace), name=f"trace-{direction}-{lot.code}")
