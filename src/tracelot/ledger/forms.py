"""Filters of the audit trail page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.core.forms import DayField
from tracelot.ledger.audit import AuditFilters
from tracelot.ledger.models import EventKind, Via


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *EventKind.choices]
    )
    lot = forms.CharField(label=_("Lot"), required=False, max_length=60)
    actor = forms.CharField(label=_("Operator"), required=False, max_length=40)
    via = forms.ChoiceField(
        label=_("Captured via"), required=False, choices=[("", "—"), *Via.choices]
    )
    date_from = DayField(label=_("From"), required=False)
    date_to = DayField(label=_("To"), required=False)

    @staticmethod
    def empty() -> AuditFilters:
        return AuditFilters()

    def filters(self) -> AuditFilters:
        return AuditFilters(**{k: v for k, v in self.cleaned_data.items() if v not in ("", None)})
