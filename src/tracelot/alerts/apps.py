from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tracelot.core.jobs import Scheduled, daily_at


class AlertsConfig(AppConfig):
    name = "tracelot.alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from tracelot.alerts import signals
        from tracelot.capture.models import ScanLog
        from tracelot.incidents.models import Incident
        from tracelot.ledger.integrity import integrity_checked
        from tracelot.ledger.recording import events_recorded

        uid = "tracelot.alerts."
        events_recorded.connect(signals.events_recorded, dispatch_uid=uid + "events")
        post_save.connect(signals.incident_saved, sender=Incident, dispatch_uid=uid + "incidents")
        integrity_checked.connect(signals.integrity_checked, dispatch_uid=uid + "integrity")
        post_save.connect(signals.scan_logged, sender=ScanLog, dispatch_uid=uid + "scans")

    @property
    def schedules(self) -> list[Scheduled]:
        """The daily lot conditions (expiring, expired on hand, long holds), at the time of
        the daily integrity check; the failed deliveries' retries every minute; the steps' mass
        balance every hour."""
        return [
            Scheduled(
                "alerts: daily lot conditions",
                "tracelot.alerts.checks.lots_daily_check",
                at=daily_at(settings.TRACELOT_DAILY_CHECK_AT),
            ),
            Scheduled(
                "alerts: deliveries due again",
                "tracelot.alerts.delivery.deliveries_send",
                every_minutes=1,
            ),
            Scheduled(
                "alerts: mass balance",
                "tracelot.alerts.checks.mass_balance_check",
                every_minutes=60,
            ),
        ]
