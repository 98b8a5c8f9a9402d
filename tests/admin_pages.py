"""Posting admin pages back as a browser would."""

from django.forms import MultiWidget
from django.utils import timezone


def form_data(page) -> dict:
    """What the browser would post back from an admin change page, unchanged."""
    data = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is None:
            continue
        if isinstance(field.widget, MultiWidget):  # a date and a time, posted apart
            for n, part in enumerate(field.widget.decompress(timezone.localtime(value))):
                data[f"{name}_{n}"] = part
                if field.show_hidden_initial:  # the page carries the value it showed
                    data[f"initial-{name}_{n}"] = part
            continue
        data[name] = [v.pk for v in value] if isinstance(value, list) else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                if value is not None:
                    data[row.add_prefix(name)] = value
    return data
