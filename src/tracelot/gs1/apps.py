from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Gs1Config(AppConfig):
    name = "tracelot.gs1"
    verbose_name = _("GS1")
