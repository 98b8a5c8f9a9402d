"""Typed requests: what our middleware adds to Django's request."""

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """A request through django-htmx's middleware, from a user Django's auth signed in (or
    not): `request.htmx` tells a page from a fragment, `request.user.has_perm` works."""

    htmx: HtmxDetails
    user: User | AnonymousUser  # type: ignore[assignment]
