"""Raising an alert: one per rule and cause (its key), seen in the app by its recipients and
sent to each e-mail address and webhook by the background worker (alerts.delivery)."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from tracelot.alerts.models import Alert, AlertRecipient, AlertRule, Condition, Delivery
from tracelot.core import clock
from tracelot.core.jobs import job_enqueue
from tracelot.lots.models import Lot
from tracelot.plants.models import Site
from tracelot.plants.selectors import user_site_ids


def rules_for(condition: Condition, site: Site) -> list[AlertRule]:
    return list(
        AlertRule.objects.filter(active=True, condition=condition)
        .filter(Q(site=site) | Q(site__isnull=True))
        .prefetch_related("users", "roles", "webhooks")
        .order_by("pk")
    )


def _recipients(rule: AlertRule, alert: Alert) -> list[Any]:
    """Who sees it in the app: the rule's users, the members of its roles, and the person
    responsible for the step; only those who may see the alert's site."""
    users = {user.pk: user for user in rule.users.all()}
    members = get_user_model().objects.filter(groups__in=rule.roles.all(), is_active=True)
    users.update({user.pk: user for user in members})
    responsible = alert.responsible
    if rule.to_responsible and responsible is not None and responsible.user is not None:
        users[responsible.user.pk] = responsible.user
    return [
        user
        for user in users.values()
        if (sites := user_site_ids(user=user)) is None or alert.site_id in sites
    ]


@transaction.atomic
def alert_raise(
    *, rule: AlertRule, key: str, site: Site, lots: Iterable[Lot] = (), **fields: Any
) -> Alert | None:
    """Raise `rule`'s alert for this cause; None when it was raised already (a job that runs
    twice raises it once)."""
    alert, created = Alert.objects.get_or_create(
        key=f"{rule.pk}:{key}"[:120],
        defaults={"rule": rule, "site": site, "condition": rule.condition,
                  "raised_at": clock.now(), **fields},
    )  # fmt: skip
    if not created:
        return None
    alert.lots.set(list(lots))
    AlertRecipient.objects.bulk_create(
        AlertRecipient(alert=alert, user=user) for user in _recipients(rule, alert)
    )
    deliveries = [
        Delivery(alert=alert, webhook=webhook, language=webhook.language)
        for webhook in rule.webhooks.all()
        if webhook.active
    ] + [Delivery(alert=alert, email=address, language=language)
         for address, language in rule.email_addresses()]  # fmt: skip
    if Delivery.objects.bulk_create(deliveries):
        job_enqueue("tracelot.alerts.delivery.deliveries_send", name="alerts: delivery", keep=False)
    return alert
