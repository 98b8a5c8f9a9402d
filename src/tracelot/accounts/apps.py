from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    # post_migrate is sent once per app, and auth creates each app's permissions in its own
    # handler for that app: the groups can follow only after the last app's (quality and
    # capture come after accounts), else a first install's operator has no station.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    from tracelot.accounts.roles import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "tracelot.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, dispatch_uid="tracelot.accounts.roles")
        from tracelot.accounts.access import access_trail_connect

        access_trail_connect()
