from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlantsConfig(AppConfig):
    name = "tracelot.plants"
    verbose_name = _("Plants")
