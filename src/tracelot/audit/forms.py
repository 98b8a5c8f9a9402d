"""The reason field every master-data form asks for."""

from __future__ import annotations

from django import forms
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
