"""The clock: one place to ask for the time, so tests can freeze it."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate()


def localdate(value: datetime | None = None) -> date:
    """The plant's calendar day of `value` (now when None)."""
    return timezone.localdate(value) if value is not None else timezone.localdate()


def plant_time(value: datetime) -> str:
    """A moment as the plant reads it in a message: 2026-12-05 14:05, in plant time."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
