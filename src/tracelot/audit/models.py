"""Master-data changes: who changed which record, when, from where, what and why.

Ledger events say what happened to lots; these rows say what happened to the records the
events point at (items, BOMs, lines, users...). Like events they are written once and never
changed, so an auditor reads the history as it was recorded.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import AppendOnly


class ChangeAction(models.TextChoices):
    ADDED = "added", _("added")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")


class MasterDataChange(AppendOnly):
    changed_at = models.DateTimeField(_("changed at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of record")
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    action = models.CharField(_("action"), max_length=8, choices=ChangeAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=500)

    EDIT_REFUSED = "master-data changes are never edited"
    DELETE_REFUSED = "master-data changes are never deleted"

    class Meta:
        verbose_name = _("master-data change")
        verbose_name_plural = _("master-data changes")
        indexes = [models.Index(fields=["changed_at"], name="audit_change_changed_at_idx")]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def change_lines(self) -> list[tuple[str, str, str]]:
        """Each changed field as (its name in the reader's language, before, after)."""
        model = self.content_type.model_class()
        lines = []
        for name, (before, after) in sorted(self.changes.items()):
            try:
                field = model._meta.get_field(name) if model else None
                label = str(getattr(field, "verbose_name", name))
            except FieldDoesNotExist:  # a field removed since
                label = name
            lines.append((label, before, after))
        return lines
