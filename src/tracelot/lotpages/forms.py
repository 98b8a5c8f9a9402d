"""The lot search form: every filter optional, the text box takes any scan."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.core.forms import DayField
from tracelot.lotpages.search import SORTS, LotFilters
from tracelot.lots.models import LotStatus


class LotSearchForm(forms.Form):
    text = forms.CharField(label=_("Lot, supplier lot or barcode"), required=False, max_length=200)
    item = forms.CharField(label=_("Item code"), required=False, max_length=40)
    purchase_order = forms.CharField(label=_("Purchase order"), required=False, max_length=40)
    work_order = forms.CharField(label=_("Work order"), required=False, max_length=40)
    sales_order = forms.CharField(label=_("Sales order"), required=False, max_length=40)
    line = forms.CharField(label=_("Line"), required=False, max_length=40)
    shift = forms.CharField(label=_("Shift"), required=False, max_length=40)
    operator = forms.CharField(label=_("Operator"), required=False, max_length=40)
    supplier = forms.CharField(label=_("Supplier code"), required=False, max_length=40)
    customer = forms.CharField(label=_("Customer code"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *LotStatus.choices]
    )
    date_from = DayField(label=_("From"), required=False)
    date_to = DayField(label=_("To"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for name in SORTS for key in (name, "-" + name)],
    )

    def filters(self) -> LotFilters:
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        return LotFilters(**data)
