from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "tracelot.alerts"
    verbose_name = _("Alerts")
