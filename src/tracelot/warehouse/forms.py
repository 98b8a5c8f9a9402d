"""The receiving form: what a supplier's lot is, filled from its label where possible."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.core.forms import DayField
from tracelot.items.models import Item
from tracelot.ledger.models import Via
from tracelot.orders.models import PurchaseOrder
from tracelot.partners.models import Supplier
from tracelot.plants.models import Location, Site


class ReceiveForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.order_by("code"))
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.order_by("code")
    )
    supplier_lot = forms.CharField(label=_("Supplier lot"), max_length=60)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=15, decimal_places=4, min_value=Decimal("0.0001")
    )
    expires_on = DayField(label=_("Expires on"), required=False)
    purchase_order = forms.CharField(label=_("Purchase order"), required=False, max_length=40)
    location = forms.ModelChoiceField(
        label=_("Put away at"), queryset=Location.objects.none(), required=False
    )
    onto_hold = forms.BooleanField(
        label=_("If the lot has expired, receive it onto hold"), required=False
    )
    supplier_override = forms.CharField(
        label=_("Supplier not approved for this item: why it is accepted (quality)"),
        required=False,
        max_length=500,
    )
    key = forms.CharField(widget=forms.HiddenInput)
    via = forms.ChoiceField(
        choices=[(Via.SCAN, Via.SCAN), (Via.MANUAL, Via.MANUAL)],
        initial=Via.MANUAL,
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, site: Site | None, may_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)  # noqa: S101 - declared above
        location.queryset = Location.objects.filter(site=site).order_by("code")
        if not may_override:
            del self.fields["supplier_override"]

    def clean_purchase_order(self) -> PurchaseOrder | None:
        number = self.cleaned_data["purchase_order"].strip()
        if not number:
            return None
        order = PurchaseOrder.objects.filter(number=number, site=self.site).first()
        if order is None:
            raise forms.ValidationError(
                _("There is no purchase order %(number)s."), params={"number": number}
            )
        return order


class ShipForm(forms.Form):
    """One scan at the dock: the lot, and how much of it when not all of it goes."""

    scan = forms.CharField(label=_("Scan a lot"), max_length=200)
    quantity = forms.DecimalField(
        label=_("Quantity (blank: all on hand)"),
        required=False,
        max_digits=15,
        decimal_places=4,
        min_value=Decimal("0.0001"),
    )
    key = forms.CharField(max_length=100, required=False)
