from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions exist only after every app has migrated, so the groups follow them here.
    from tracelot.accounts.roles import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "tracelot.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self)
