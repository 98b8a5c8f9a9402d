"""The incident forms: opening one, changing its scope, and the signed work under it."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracelot.accounts.models import Meaning
from tracelot.core import clock
from tracelot.core.clock import plant_time
from tracelot.incidents.models import ActionKind, Severity, Source
from tracelot.items.models import Item
from tracelot.ledger.models import Event, EventKind
from tracelot.partners.models import Customer
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


class _Photos(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once (Django's documented pattern for multiple files)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _Photos(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


NEW_SOURCES = [
    (Source.INSPECTION, _("a failed inspection")),
    (Source.COMPLAINT, _("a customer complaint")),
    (Source.SUPPLIER_LOT, _("a supplier lot")),
    (Source.PRODUCTION, _("an item made on a line in a time window")),
]


class IncidentSourceForm(IncidentForm):
    """Opening an incident from what the quality manager has in hand: a supplier lot, a
    failed inspection, a customer's complaint, or an item made on a line in a time window."""

    source = forms.ChoiceField(label=_("About"), choices=NEW_SOURCES)
    supplier_lot = forms.CharField(label=_("Supplier lot"), max_length=60, required=False)
    inspection = forms.ModelChoiceField(
        label=_("Failed inspection"), queryset=Event.objects.none(), required=False
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.order_by("code"), required=False
    )
    item = forms.ModelChoiceField(
        label=_("Product"), queryset=Item.objects.order_by("code"), required=False
    )
    customer_lot_text = forms.CharField(
        label=_("Their lot code or label scan"), max_length=200, required=False
    )
    line = forms.ModelChoiceField(label=_("Line"), queryset=Line.objects.none(), required=False)
    window_start = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    window_end = forms.DateTimeField(
        label=_("To"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    photos = PhotosField(label=_("Photos"), required=False)
    field_order = ["source", "title", "severity", "owner", "description"]

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, site_id=site_id, **kwargs)
        for name, queryset in (
            ("inspection", failed_inspections(site_id=site_id)),
            ("line", Line.objects.filter(site_id=site_id).order_by("code")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
            field.queryset = queryset
        self.fields["inspection"].label_from_instance = _inspection_label  # type: ignore[attr-defined]


def failed_inspections(*, site_id: int) -> Any:
    """The site's failed inspections of the last 90 days, newest first."""
    since = clock.now() - timedelta(days=90)
    return (
        Event.objects.filter(
            site_id=site_id,
            kind=EventKind.INSPECT,
            data__result="fail",
            occurred_at__gte=since,
            reversed_by__isnull=True,
        )
        .select_related("lot")
        .order_by("-occurred_at")
    )


def _inspection_label(event: Event) -> str:
    found = event.data.get("characteristic", "").removeprefix("plan:")
    return f"{plant_time(event.occurred_at)} {event.lot.code} {found}".strip()
