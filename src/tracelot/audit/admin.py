"""`ReasonedAdmin`: the admin base of every master-data record; no save without a why.

Each add, change and delete (of the record or of a row inline on its page) writes a
`MasterDataChange` in the admin's own transaction, with the fields' values before and after.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model
from django.forms import BaseModelFormSet
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext

from tracelot.audit.forms import REASON, form_changes, reason_field
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.audit.services import master_data_change_record


class ReasonedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    change_form_template = "admin/audit/change_form.html"
    delete_confirmation_template = "admin/audit/delete_confirmation.html"

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {REASON: reason_field()})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The reason is drawn beside the save buttons, not among the record's own fields.
        return [f for f in super().get_fields(request, obj) if f != REASON]

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one record at a time, each with its reason
        return actions

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Here, not in save_model: admins that save through a service override save_model.
        changes = form_changes(form)
        if changes or not change:
            action = ChangeAction.CHANGED if change else ChangeAction.ADDED
            _record(request, form.instance, action, changes, form.cleaned_data[REASON])
        super().save_related(request, form, formsets, change)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseModelFormSet[Any, Any], change: bool
    ) -> None:
        reason = form.cleaned_data[REASON]
        doomed, edits = [], []
        for row in formset.forms:
            if row.cleaned_data.get(DELETION_FIELD_NAME):
                if row.instance.pk is not None:  # a new row ticked for deletion is not saved
                    doomed.append((row.instance, row.instance.pk, str(row.instance)))
            elif row.has_changed():
                edits.append((row, row.instance.pk is None, form_changes(row)))
        super().save_formset(request, form, formset, change)
        for row, is_new, changes in edits:
            if is_new or changes:
                action = ChangeAction.ADDED if is_new else ChangeAction.CHANGED
                _record(request, row.instance, action, changes, reason)
        for instance, pk, text in doomed:
            _record(request, instance, ChangeAction.DELETED, {}, reason, record_id=pk, text=text)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not request.POST.get(REASON, "").strip():
            # Without a reason the confirmation is shown again, with the error, instead of
            # deleting: an empty POST is how the admin tells "show" from "confirmed".
            request.POST = QueryDict()  # type: ignore[misc]
            extra_context = {
                **(extra_context or {}),
                "reason_error": gettext("Say why: every master-data change records its reason."),
            }
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _record(request, obj, ChangeAction.DELETED, {}, request.POST[REASON])
        super().delete_model(request, obj)


def _record(
    request: HttpRequest,
    obj: Model,
    action: ChangeAction,
    changes: dict[str, list[str]],
    reason: str,
    *,
    record_id: object = None,
    text: str | None = None,
) -> MasterDataChange:
    return master_data_change_record(
        record=obj,
        record_id=record_id if record_id is not None else obj.pk,
        record_text=text,
        action=action,
        changes=changes,
        reason=reason,
        user=cast(User, request.user),  # the admin signs in staff only
        address=request.META.get("REMOTE_ADDR"),
    )
