"""Reading alerts as one user sees them: their own in the app, or (quality, auditors) every
alert of their sites."""

from typing import Any

from django.db.models import F, QuerySet

from tracelot.alerts.models import Alert, AlertRecipient

BELL_MOST = 99  # the bell shows "99+" beyond this


def alerts_unread_count(*, user: Any) -> str:
    """Alerts of `user` not yet opened and not acknowledged: the bell's number ("" for none).
    Read as at most 100 ids, not a COUNT: cheap on every page, however many there are."""
    unread = AlertRecipient.objects.filter(
        user_id=user.pk, read_at__isnull=True, alert__acknowledged_at__isnull=True
    ).values_list("pk", flat=True)[: BELL_MOST + 1]
    found = len(unread)
    return "" if not found else f"{BELL_MOST}+" if found > BELL_MOST else str(found)


def alerts_for(*, user: Any) -> QuerySet[Alert]:
    """The user's alerts, those waiting for acknowledgement first, then newest first."""
    return _listed(Alert.objects.filter(recipients__user_id=user.pk))


def alerts_at_sites(*, site_ids: frozenset[int] | None) -> QuerySet[Alert]:
    """Every alert raised at the sites (None: every site), in the same order."""
    alerts = Alert.objects.all() if site_ids is None else Alert.objects.filter(site_id__in=site_ids)
    return _listed(alerts)


def _listed(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    return (
        alerts.select_related(
            "site",
            "step",
            "line",
            "shift",
            "responsible",
            "incident",
            "acknowledged_by__operator",
        )
        .prefetch_related("lots")
        .order_by(F("acknowledged_at").desc(nulls_first=True), "-raised_at")
    )
