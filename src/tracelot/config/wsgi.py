"""WSGI entry point for `tracelot serve` and production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracelot.config.settings")
application = get_wsgi_application()
