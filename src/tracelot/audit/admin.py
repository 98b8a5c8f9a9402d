"""`ReasonedAdmin`: the admin base of every master-data record; no save without a why.

The admin saves and deletes through the master-data services (`audit.services` or an area's
own, which call it), so a change made here is validated and recorded like one made by the API
or an import: in the admin's transaction, with the values before read from the database. A
refusal from a service is shown on the page as a form error.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext

from tracelot.audit.forms import REASON, reason_field
from tracelot.audit.services import ChangedBy, master_data_delete, master_data_save
from tracelot.core.errors import Refused

# Where a refused save leaves its refusal for the page drawn again (see changeform_view).
_REFUSAL = "_master_data_refusal"


def changed_by(request: HttpRequest) -> ChangedBy:
    """Who is changing master data on this request, and from which address."""
    # The admin signs in staff users only, so the user is never anonymous here.
    return ChangedBy(user=cast(User, request.user), address=request.META.get("REMOTE_ADDR"))


def form_reason(form: ModelForm[Any]) -> str:
    return str(form.cleaned_data[REASON])


def form_fields(form: ModelForm[Any]) -> list[str]:
    """The record's fields the user changed on the form: only these are written, so a value
    the form cannot carry exactly (a time's microseconds) is left as it is."""
    return [name for name in form.changed_data if name != REASON]


def form_related(form: ModelForm[Any], change: bool) -> dict[str, Any]:
    """The many-to-many values the form sets: all on a new record, the changed ones else."""
    names = {f.name for f in form._meta.model._meta.many_to_many}  # type: ignore[union-attr]
    return {
        name: form.cleaned_data[name]
        for name in names
        if name in form.cleaned_data and (not change or name in form.changed_data)
    }


class _ShowsRefusal:
    """A form drawn again after a service refused to save it: the refusal is its error."""

    refusal: Refused

    def clean(self) -> Any:
        cleaned = super().clean()  # type: ignore[misc]
        form = cast("ModelForm[Any]", self)
        field = self.refusal.detail.get("field")
        row = self.refusal.detail.get("row")
        if row:
            message = gettext("%(record)s: %(message)s") % {
                "record": row,
                "message": self.refusal.message,
            }
            form.add_error(None, message)
        else:
            form.add_error(field if field in form.fields else None, self.refusal.message)
        return cleaned


class ReasonedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    change_form_template = "admin/audit/change_form.html"
    delete_confirmation_template = "admin/audit/delete_confirmation.html"

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is not None:
            return type(
                form.__name__, (_ShowsRefusal, form), {REASON: reason_field(), "refusal": refusal}
            )
        return type(form.__name__, (form,), {REASON: reason_field()})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The reason is drawn beside the save buttons, not among the record's own fields.
        return [f for f in super().get_fields(request, obj) if f != REASON]

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one record at a time, each with its reason
        return actions

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refusal:
            # The admin's transaction has rolled the attempt back. The page is drawn again
            # from the same POST, with the refusal as the form's error (see get_form).
            setattr(request, _REFUSAL, refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        master_data_save(
            record=obj,
            reason=form_reason(form),
            by=changed_by(request),
            fields=form_fields(form) if change else None,
            related=form_related(form, change),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Not form.save_m2m(): save_model's service has set the many-to-many fields.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseModelFormSet[Any, Any], change: bool
    ) -> None:
        reason = form_reason(form)
        formset.save(commit=False)  # sorts the rows into new, changed and deleted; writes nothing
        rows: list[tuple[Model, list[str] | None, bool]] = [
            *((row, None, True) for row in formset.deleted_objects),
            *((row, changed, False) for row, changed in formset.changed_objects),
            *((row, None, False) for row in formset.new_objects),
        ]
        for row, fields, doomed in rows:
            try:
                if doomed:
                    self.delete_row(request, row, reason=reason)
                else:
                    self.save_row(request, row, reason=reason, fields=fields)
            except Refused as refusal:
                refusal.detail["row"] = str(row)
                raise
        formset.save_m2m()  # type: ignore[attr-defined]

    def save_row(
        self, request: HttpRequest, row: Any, *, reason: str, fields: list[str] | None
    ) -> None:
        """Save a row edited inline on this record's page (`fields`: those changed, None for
        a new row); admins whose inline rows have their own service override this."""
        master_data_save(record=row, reason=reason, by=changed_by(request), fields=fields)

    def delete_row(self, request: HttpRequest, row: Any, *, reason: str) -> None:
        master_data_delete(record=row, reason=reason, by=changed_by(request))

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not request.POST.get(REASON, "").strip():
            message = gettext("Say why: every master-data change records its reason.")
            return self._delete_confirm_again(request, object_id, extra_context, reason=message)
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refusal:
            return self._delete_confirm_again(
                request, object_id, extra_context, refused=refusal.message
            )

    def _delete_confirm_again(
        self,
        request: HttpRequest,
        object_id: str,
        extra_context: dict[str, Any] | None,
        *,
        reason: str = "",
        refused: str = "",
    ) -> HttpResponse:
        # The confirmation is shown again, with the error, instead of deleting: an empty POST
        # is how the admin tells "show" from "confirmed".
        request.POST = QueryDict()  # type: ignore[misc]
        context = {**(extra_context or {}), "reason_error": reason, "refused": refused}
        return super().delete_view(request, object_id, context)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        master_data_delete(record=obj, reason=request.POST[REASON], by=changed_by(request))
