"""Who signs in: each user's chosen language (roles are Django groups, see roles.py), and
the electronic signatures users give."""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracelot.core.models import AppendOnly


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"


class Meaning(models.TextChoices):
    """What a signature means (21 CFR 11.50(a)(3))."""

    APPROVED = "approved", _("approved")
    REVIEWED = "reviewed", _("reviewed")
    RESPONSIBLE = "responsible", _("responsible")


def canonical(content: Any) -> str:
    """The one JSON text of `content` that is hashed: keys sorted, no spaces."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: Any) -> str:
    return hashlib.sha256(canonical(content).encode()).hexdigest()


class Signature(AppendOnly):
    """An electronic signature: who signed (the login and the printed name), when, with what
    meaning, and the SHA-256 of what was signed, kept as written (21 CFR 11.50, 11.70)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    printed_name = models.CharField(_("printed name"), max_length=150)
    meaning = models.CharField(_("meaning"), max_length=12, choices=Meaning.choices)
    signed_at = models.DateTimeField(_("signed at"))
    subject = models.CharField(_("what was signed"), max_length=200)
    # The canonical JSON of what was signed (the record with the signer, meaning and time);
    # its hash binds the signature to that record: a changed record no longer matches.
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("SHA-256"), max_length=64)

    EDIT_REFUSED = "a signature is never edited"
    DELETE_REFUSED = "a signature is never deleted"

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.printed_name} ({self.meaning}) {self.signed_at:%Y-%m-%d %H:%M}"

    @property
    def intact(self) -> bool:
        """The stored content still hashes to the hash signed."""
        return content_hash(self.content) == self.content_hash


class SignatureFailure(AppendOnly):
    """A wrong password given to sign: counted for the lockout, kept for the audit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), db_index=True)
    subject = models.CharField(_("what was to be signed"), max_length=200)

    class Meta:
        verbose_name = _("failed signature")
        verbose_name_plural = _("failed signatures")

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
