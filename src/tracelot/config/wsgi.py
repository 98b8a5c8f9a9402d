"""WSGI entry point for `tracelot serve` and production servers.

A serving process also writes the ledger's checkpoints every TRACELOT_CHECKPOINT_MINUTES
(ledger.checkpoints), until the background worker takes over its schedules.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracelot.config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are read once Django is set up

from tracelot.ledger.checkpoints import checkpoints_every  # noqa: E402

checkpoints_every(settings.TRACELOT_CHECKPOINT_MINUTES)
