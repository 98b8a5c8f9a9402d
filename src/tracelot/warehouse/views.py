"""Receiving and shipping pages (thin: they call the warehouse and ledger services)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from tracelot.core import clock
from tracelot.core.errors import Refused
from tracelot.core.numbers import plain
from tracelot.items.models import amount
from tracelot.ledger import services as ledger
from tracelot.ledger.keys import key_new
from tracelot.ledger.models import Via
from tracelot.lots.models import Lot
from tracelot.orders.selectors import sales_order_get_for_user, sales_order_list_for_user
from tracelot.plants.models import Operator
from tracelot.plants.selectors import operator_for_user
from tracelot.warehouse.forms import ReceiveForm, ShipForm
from tracelot.warehouse.labels_in import supplier_label_read
from tracelot.warehouse.selectors import order_progress, shipment_lines
from tracelot.warehouse.services import shipment_scan


@login_required
@permission_required("lots.ship_lot", raise_exception=True)
def shipping(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    orders = sales_order_list_for_user(user=request.user, open_only=True)
    if query:
        orders = orders.filter(number__icontains=query)
    return render(request, "warehouse/shipping.html", {"orders": orders[:50], "q": query})


def _form_errors(form: forms.Form) -> list[str]:
    return [f"{form[name].label}: {error}" if name in form.fields else str(error)
            for name, errors in form.errors.items() for error in errors]  # fmt: skip


@login_required
@permission_required("lots.ship_lot", raise_exception=True)
def shipment(request: HttpRequest, number: str) -> HttpResponse:
    order = sales_order_get_for_user(user=request.user, number=number)
    outcome = None
    if request.method == "POST":
        form = ShipForm(request.POST)
        if not form.is_valid():
            outcome = {"ok": False, "message": " ".join(_form_errors(form))}
        else:
            data = form.cleaned_data
            try:
                shipped = shipment_scan(
                    sales_order=order,
                    text=data["scan"],
                    quantity=data["quantity"],
                    actor=operator_for_user(user=request.user),
                    key=data["key"] or key_new(),
                )
                outcome = {
                    "ok": True,
                    "message": gettext("Shipped %(quantity)s of %(code)s.")
                    % {
                        "quantity": amount(shipped.event.quantity, shipped.event.unit),
                        "code": shipped.event.lot.code,
                    },
                    "notice": shipped.notice,
                }
            except Refused as refusal:
                outcome = {"ok": False, "message": refusal.message}
    context = {
        "order": order,
        "progress": order_progress(sales_order=order),
        "lines": shipment_lines(sales_order=order),
        "outcome": outcome,
        "key": key_new(),
    }
    template = (
        "warehouse/partials/shipment_body.html"
        if request.headers.get("HX-Request")
        else "warehouse/shipment.html"
    )
    return render(request, template, context)


@login_required
@permission_required("lots.receive_lot", raise_exception=True)
def receiving(request: HttpRequest) -> HttpResponse:
    """Scan the supplier's label (or type), check, receive into quarantine, print our label."""
    try:
        operator = operator_for_user(user=request.user)
    except Refused as refusal:
        return render(request, "warehouse/receiving.html", {"refusal": refusal.message})
    may_override = request.user.has_perm("orders.receive_unapproved")
    received = None
    problem = ""

    def blank(**initial: object) -> ReceiveForm:
        return ReceiveForm(
            initial={"key": key_new(), **initial}, site=operator.site, may_override=may_override
        )

    if request.method == "POST" and "supplier_lot" in request.POST:
        form = ReceiveForm(request.POST, site=operator.site, may_override=may_override)
        if form.is_valid():
            try:
                received = _receive(form.cleaned_data, operator)
                form = blank()
            except Refused as refusal:
                form.add_error(None, refusal.message)
    else:
        label = (
            supplier_label_read(text=request.POST.get("scan", ""))
            if request.method == "POST"
            else None
        )
        initial: dict[str, object] = {}
        if label is not None:
            problem = label.problem
            if label.batch:
                initial.update(
                    item=label.item,
                    supplier_lot=label.batch,
                    expires_on=label.expires_on,
                    quantity=plain(label.quantity) if label.quantity is not None else None,
                    via=Via.SCAN,
                )
        form = blank(**initial)
    context = {"form": form, "received": received, "problem": problem}
    return render(request, "warehouse/receiving.html", context)


def _receive(data: dict[str, Any], operator: Operator) -> Lot:
    order = data["purchase_order"]
    expired = data["expires_on"] is not None and data["expires_on"] < clock.today()
    return ledger.lot_receive(
        site=operator.site,
        item=data["item"],
        quantity=data["quantity"],
        supplier=order.supplier if order is not None else data["supplier"],
        supplier_lot=data["supplier_lot"],
        purchase_order=order,
        location=data["location"],
        expires_on=data["expires_on"],
        actor=operator,
        key=data["key"],
        via=data["via"] or Via.MANUAL,
        onto_hold=gettext("Expired on receipt") if expired and data["onto_hold"] else "",
        supplier_override=data.get("supplier_override", ""),
    ).lot
