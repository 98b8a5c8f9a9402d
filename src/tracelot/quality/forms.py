"""Forms of the quality pages: an inspection built from a plan, and a hold/release reason."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.ledger.keys import key_new
from tracelot.quality.models import Characteristic, CharacteristicKind, InspectionPlan


class InspectionForm(forms.Form):
    """One input per characteristic of `plan`; the service judges and refuses the values.

    The inputs are optional here on purpose: a missing or unreadable value is refused by
    `inspection_record` with the characteristic named, the same rule for every caller.
    """

    key = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    auto_hold = forms.BooleanField(
        label=_("Put the lot on hold if it fails"), required=False, initial=True
    )

    def __init__(self, *args: Any, plan: InspectionPlan, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": key_new(), "auto_hold": True})
        super().__init__(*args, **kwargs)
        self.characteristics = list(plan.characteristics.all())
        for characteristic in self.characteristics:
            self.fields[self.field_name(characteristic)] = self._field_for(characteristic)

    @staticmethod
    def field_name(characteristic: Characteristic) -> str:
        return f"characteristic_{characteristic.pk}"

    @staticmethod
    def _field_for(characteristic: Characteristic) -> forms.Field:
        label = characteristic.display_name
        if characteristic.kind == CharacteristicKind.ATTRIBUTE:
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "—"), ("pass", _("pass")), ("fail", _("fail"))],
            )
        return forms.CharField(
            label=label,
            required=False,
            max_length=40,
            widget=forms.TextInput({"inputmode": "decimal", "autocomplete": "off"}),
        )

    def characteristic_fields(self) -> Iterator[tuple[Characteristic, forms.BoundField]]:
        for characteristic in self.characteristics:
            yield characteristic, self[self.field_name(characteristic)]

    def values(self) -> dict[int, object]:
        """The entered values by characteristic id, as the service takes them."""
        return {c.pk: self.cleaned_data.get(self.field_name(c), "") for c in self.characteristics}


class ReasonForm(forms.Form):
    """Why a lot is held or released: the ledger keeps it with the event."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give a reason.")},
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": key_new()})
        super().__init__(*args, **kwargs)
