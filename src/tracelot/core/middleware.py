"""Requests refused before any view reads them."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse


class NulInPathMiddleware:
    """A path with a NUL names nothing (no code or number holds one), and PostgreSQL cannot
    even compare such a string: not found, before a view looks it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise Http404
        return self.get_response(request)
