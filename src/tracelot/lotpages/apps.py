from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotPagesConfig(AppConfig):
    name = "tracelot.lotpages"
    verbose_name = _("Lot pages")
