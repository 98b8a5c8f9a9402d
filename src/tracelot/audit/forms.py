"""The reason field every master-data form asks for, and what a submitted form changed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

REASON = "change_reason"


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Why (recorded in the audit trail)"),
        max_length=500,
        strip=True,
        widget=forms.TextInput(attrs={"size": 80}),
        error_messages={"required": _("Say why: every master-data change records its reason.")},
    )


def form_changes(form: forms.ModelForm[Any]) -> dict[str, list[str]]:
    """The model fields `form` changed, each as [before, after] in words a reader knows."""
    model_fields = {
        f.name
        for f in form._meta.model._meta.get_fields()  # type: ignore[union-attr]
        if getattr(f, "concrete", False) or f.many_to_many
    }
    changes: dict[str, list[str]] = {}
    for name in form.changed_data:
        # Password hashes are secrets even when hashed: the trail says a password changed,
        # never what to.
        if name not in model_fields or "password" in name:
            continue
        field = form.fields[name]
        changes[name] = [
            _shown(field, form.get_initial_for_field(field, name)),
            _shown(field, form.cleaned_data.get(name)),
        ]
    return changes


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(str(_record(field, v)) for v in value))
    if isinstance(field, forms.ModelChoiceField):
        return str(_record(field, value))
    return str(value)


def _record(field: forms.ModelChoiceField[Any], value: Any) -> Any:
    if isinstance(value, Model):
        return value
    return field.queryset.filter(pk=value).first() or value  # type: ignore[union-attr]
