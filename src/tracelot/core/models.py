"""Shared model pieces: the site key every domain table carries and bilingual names."""

from typing import Any, ClassVar, NoReturn

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Named(models.Model):
    """A record with a code and a name in English and Simplified Chinese."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return name_in_language(self.name, self.name_zh)


def percent_field(verbose_name: Any, **options: Any) -> Any:
    """A percentage a plant sets (a tolerance): 0 to 100, two decimals."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **options,
    )


def name_in_language(name: str, name_zh: str) -> str:
    """The Chinese name for a reader of Chinese when there is one, else the English name."""
    if name_zh and (get_language() or "").lower().startswith("zh"):
        return name_zh
    return name


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError(self.model.EDIT_REFUSED)

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise TypeError(self.model.DELETE_REFUSED)


class AppendOnly(models.Model):
    """A record written once and kept as written: no edit and no delete through the model
    or its querysets (each table also has database triggers that refuse both)."""

    EDIT_REFUSED: ClassVar[str] = "this record is never edited"
    DELETE_REFUSED: ClassVar[str] = "this record is never deleted"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(self.EDIT_REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(self.DELETE_REFUSED)


class WatchedJob(models.Model):
    """A background job a page shows as waiting or running (core.jobs), until it ends."""

    name = models.CharField(max_length=100, db_index=True)
    job_id = models.CharField(max_length=32, unique=True)
    args = models.JSONField(default=list)
    asked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} {self.job_id}"
