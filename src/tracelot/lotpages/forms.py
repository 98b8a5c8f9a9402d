"""The lot search form: every filter optional, the text box takes any scan."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.core.forms import DayField
from tracelot.items.models import Item
from tracelot.lotpages.search import SORTS, LotFilters
from tracelot.lots.models import LotStatus
from tracelot.partners.models import Customer, Supplier


class LotSearchForm(forms.Form):
    text = forms.CharField(
        label=_("Lot, supplier lot, barcode or name"), required=False, max_length=200
    )
    item = forms.ChoiceField(label=_("Item"), required=False)
    purchase_order = forms.CharField(label=_("Purchase order"), required=False, max_length=40)
    work_order = forms.CharField(label=_("Work order"), required=False, max_length=40)
    sales_order = forms.CharField(label=_("Sales order"), required=False, max_length=40)
    line = forms.CharField(label=_("Line"), required=False, max_length=40)
    shift = forms.CharField(label=_("Shift"), required=False, max_length=40)
    operator = forms.CharField(label=_("Operator"), required=False, max_length=40)
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)
    customer = forms.ChoiceField(label=_("Customer"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *LotStatus.choices]
    )
    expired = forms.BooleanField(label=_("Expired, still on hand"), required=False)
    date_from = DayField(label=_("From"), required=False)
    date_to = DayField(label=_("To"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for name in SORTS for key in (name, "-" + name)],
    )

    def __init__(self, *args: Any, customers: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not customers:  # a role that may not see customers (accounts.roles)
            del self.fields["customer"]
        # Pick-lists of the master data, named in the reader's language.
        pick: list[tuple[str, Any]] = [
            ("item", Item),
            ("supplier", Supplier),
            ("customer", Customer),
        ]
        for name, model in (p for p in pick if p[0] in self.fields):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
            rows = model.objects.order_by("code").only("code", "name", "name_zh")
            field.choices = [("", "—"), *((row.code, str(row)) for row in rows)]

    def filters(self) -> LotFilters:
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        return LotFilters(**data)
