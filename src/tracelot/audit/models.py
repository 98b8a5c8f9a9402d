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
    # The trail's hash chain (audit.trail), as the ledger's; empty on changes made before it.
    position = models.PositiveBigIntegerField(_("position"), unique=True, null=True, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    seal_key = models.CharField(_("sealed with key"), max_length=16, blank=True)

    SEALED_FIELDS = ("changed_at", "user_id", "address", "content_type_id", "object_id",
                     "object_repr", "action", "changes", "reason")  # fmt: skip
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


class AccessKind(models.TextChoices):
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SIGN_OUT = "sign_out", _("signed out")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    PASSWORD_RESET_ASKED = "reset_asked", _("password reset asked")
    ROLES_CHANGED = "roles_changed", _("roles changed")
    SITES_CHANGED = "sites_changed", _("sites changed")
    EXPORTED = "exported", _("records exported")


# The words of an access record's detail, as the audit page shows them.
DETAIL_KEYS = {"roles": _("roles"), "sites": _("sites"), "file": _("file")}
DETAIL_CHANGES = {"add": _("given"), "remove": _("taken away"), "clear": _("all taken away")}


class AccessRecord(AppendOnly):
    """Who came in, who was refused, who left, whose password or rights changed, and who
    took records away: the part of the audit trail about people rather than data."""

    at = models.DateTimeField(_("at"), db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=AccessKind.choices)
    # The user name as given: a failed sign-in may name no user at all.
    username = models.CharField(_("user name"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Who did it, when not the user themselves (an administrator changing roles).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # The trail's hash chain (audit.trail), as the ledger's.
    position = models.PositiveBigIntegerField(_("position"), unique=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    seal_key = models.CharField(_("sealed with key"), max_length=16)

    SEALED_FIELDS = ("at", "kind", "username", "user_id", "by_id", "address", "detail")
    EDIT_REFUSED = "access records are never edited"
    DELETE_REFUSED = "access records are never deleted"

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"

    @property
    def detail_text(self) -> str:
        """The detail as a line in the reader's language: "roles: planner, quality · added"."""
        parts = []
        for key, value in sorted(self.detail.items()):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            if key == "change":
                parts.append(str(DETAIL_CHANGES.get(shown, shown)))
            else:
                parts.append(f"{DETAIL_KEYS.get(key, key)}: {shown}")
        return " · ".join(parts)


class TrailHead(models.Model):
    """The last link of an audit trail's hash chain; locking it orders the writers."""

    trail = models.CharField(_("trail"), max_length=40, unique=True)
    position = models.PositiveBigIntegerField(_("position"), default=0)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("trail head")
        verbose_name_plural = _("trail heads")

    def __str__(self) -> str:
        return f"{self.trail}@{self.position}"


class Adoption(AppendOnly):
    """What was written before its chain was sealed (an install older than the chain key),
    vouched for once by the key holder: the legacy part's last link or digest, sealed. An
    attacker without the key cannot make one, nor change the legacy part it covers."""

    # "ledger:<site code>", or an audit trail's model label
    subject = models.CharField(_("what was adopted"), max_length=100, unique=True)
    count = models.PositiveBigIntegerField(_("records"))
    digest = models.CharField(_("last hash or digest"), max_length=64)
    adopted_at = models.DateTimeField(_("adopted at"))
    seal_key = models.CharField(_("sealed with key"), max_length=16)
    seal = models.CharField(_("seal"), max_length=64)

    EDIT_REFUSED = "adoptions are never edited"
    DELETE_REFUSED = "adoptions are never deleted"

    class Meta:
        verbose_name = _("adoption of records written before sealing")
        verbose_name_plural = _("adoptions of records written before sealing")

    def __str__(self) -> str:
        return f"{self.subject}: {self.count}"
