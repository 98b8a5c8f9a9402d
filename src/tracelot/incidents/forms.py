"""The incident form: what a quality manager gives when opening one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.incidents.models import Severity
from tracelot.plants.models import Operator


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
