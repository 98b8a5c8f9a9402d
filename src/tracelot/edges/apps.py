from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EdgesConfig(AppConfig):
    """The genealogy's edges (input lot → output lot), kept below the ledger that writes them.

    The label stays "genealogy": its tables, migrations and permissions keep their names.
    """

    name = "tracelot.edges"
    label = "genealogy"
    verbose_name = _("Genealogy")
