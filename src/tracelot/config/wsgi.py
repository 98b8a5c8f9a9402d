"""WSGI entry point for `tracelot serve` and production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracelot.config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are read once Django is set up
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

if settings.SECRET_KEY == settings.PUBLIC_SECRET_KEY and not settings.DEBUG:
    # Anyone could forge sessions and password-reset links signed with a published key.
    raise ImproperlyConfigured(
        "TRACELOT_SECRET_KEY is the public default: set a secret of your own (or unset it to "
        "use the data directory's generated key), or turn TRACELOT_DEBUG on for development."
    )
