from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "tracelot.alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from tracelot.alerts import signals
        from tracelot.incidents.models import Incident
        from tracelot.ledger.integrity import integrity_checked
        from tracelot.ledger.recording import events_recorded

        uid = "tracelot.alerts."
        events_recorded.connect(signals.events_recorded, dispatch_uid=uid + "events")
        post_save.connect(signals.incident_saved, sender=Incident, dispatch_uid=uid + "incidents")
        integrity_checked.connect(signals.integrity_checked, dispatch_uid=uid + "integrity")
