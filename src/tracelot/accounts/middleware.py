"""Each signed-in user reads the pages in the language they chose, on any device."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from tracelot.accounts.selectors import user_language


class UserLanguageMiddleware:
    """After authentication: the user's saved language beats the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = user_language(user=getattr(request, "user", None))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
