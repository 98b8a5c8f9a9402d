"""Form fields every page types the same way."""

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# Days a plant types (expiry, filters, plans): anything outside is a typo, and beyond it
# date arithmetic (the day after 9999-12-31) breaks.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)


class DayInput(forms.DateInput):
    """The browser's date picker. It reads and writes ISO dates only: a localized value
    (2026/12/09 in Chinese) would show as empty and be lost."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DayField(forms.DateField):
    widget = DayInput
    input_formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(FIRST_DAY, _("Enter a day from 1900-01-01 on.")),
            MaxValueValidator(LAST_DAY, _("Enter a day up to 2200-12-31.")),
        ]
