"""Requests refused before any view reads them, and who is signed in to the one running."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


# The signed-in user of the request being served (None: a command, the demo, a thread).
_signed_in: ContextVar[int | None] = ContextVar("tracelot_signed_in_user", default=None)


def signed_in_user_id() -> int | None:
    """The id of the user signed in to the request that is running, for the ledger to record
    beside the operator (who is on the floor may differ from whose login it is)."""
    return _signed_in.get()


@contextmanager
def signed_in_as(user_id: int | None) -> Iterator[None]:
    """Record what runs inside as done under `user_id` (the API and MQTT name their user)."""
    token = _signed_in.set(user_id)
    try:
        yield
    finally:
        _signed_in.reset(token)


class SignedInUserMiddleware:
    """Makes the request's signed-in user known to the ledger for the request's length."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        with signed_in_as(user_id):
            return self.get_response(request)
