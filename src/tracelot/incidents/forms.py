"""The incident forms: opening one, changing its scope, and the signed work under it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.accounts.models import Meaning
from tracelot.incidents.models import ActionKind, Severity
from tracelot.plants.models import Line, Location, Operator
from tracelot.quality.models import DecisionKind


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.MAJOR
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Operator.objects.none())
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: object, site_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101 - declared above
        owner.queryset = Operator.objects.filter(site_id=site_id).order_by("name")


class ScopeChangeForm(forms.Form):
    lot = forms.CharField(label=_("Lot"), max_length=200)
    role = forms.ChoiceField(
        label=_("Change"),
        choices=[("added", _("Add to the scope")), ("excluded", _("Exclude from the scope"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class SignatureFields(forms.Form):
    """What a signer gives: their password again and what the signature means."""

    meaning = forms.ChoiceField(label=_("Meaning"), choices=Meaning.choices, initial="approved")
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class DecisionForm(SignatureFields):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    line = forms.ModelChoiceField(
        label=_("Rework on line"), queryset=Line.objects.none(), required=False
    )
    field_order = ["kind", "reason", "line", "meaning", "password"]

    def __init__(self, *args: object, site_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        line = self.fields["line"]
        assert isinstance(line, forms.ModelChoiceField)  # noqa: S101 - declared above
        line.queryset = Line.objects.filter(site_id=site_id).order_by("code")


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    description = forms.CharField(label=_("What is to be done"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Operator.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, site_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101 - declared above
        owner.queryset = Operator.objects.filter(site_id=site_id).order_by("name")


class IncidentCloseForm(SignatureFields):
    summary = forms.CharField(label=_("Conclusion"), max_length=500)
    field_order = ["summary", "meaning", "password"]


class RecallCloseForm(SignatureFields):
    reason = forms.CharField(
        label=_("Reason to close without every acknowledgement"), max_length=500, required=False
    )
    field_order = ["reason", "meaning", "password"]


class ReturnForm(forms.Form):
    lot = forms.CharField(label=_("Lot"), max_length=200)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=4)
    location = forms.ModelChoiceField(label=_("Into"), queryset=Location.objects.none())

    def __init__(self, *args: object, site_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)  # noqa: S101 - declared above
        location.queryset = Location.objects.filter(site_id=site_id, quarantine=True)
