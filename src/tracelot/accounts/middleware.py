"""Each signed-in user reads the pages in the language they chose, on any device; a screen
left idle signs its user out."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
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


# Re-stamped at most once a minute, so a busy station does not write its session per scan.
STAMP_EVERY = 60


class IdleSignOutMiddleware:
    """Sign a user out after a time without a request: on the station's shared screens (the
    capture pages) after TRACELOT_STATION_IDLE_MINUTES without station activity; anywhere
    after TRACELOT_IDLE_MINUTES without any (0: never, the default). The sign-in page then
    says why.

    Only the pages a limit watches write their stamp to the session, and at most once a
    minute: moving between a station and other pages writes nothing. (A session rewritten on
    any request sends its cookie back with the response; one that comes back late, a
    favicon's, can put back a session another sign-in had just replaced.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        watched = []
        if settings.TRACELOT_IDLE_MINUTES:
            watched.append(("tracelot_seen", settings.TRACELOT_IDLE_MINUTES))
        if settings.TRACELOT_STATION_IDLE_MINUTES and request.path.startswith("/capture/"):
            watched.append(("tracelot_station_seen", settings.TRACELOT_STATION_IDLE_MINUTES))
        session, now = request.session, time.time()
        for stamp, limit in watched:
            seen = session.get(stamp)
            if seen and now - seen > limit * 60:
                return self._signed_out(request, limit)
        for stamp, _limit in watched:
            seen = session.get(stamp)
            if not seen or now - seen > STAMP_EVERY:
                session[stamp] = now
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest, limit: int) -> HttpResponse:
        logout(request)
        query = urlencode({"idle": limit, "next": request.get_full_path()})
        target = f"{reverse('accounts:login')}?{query}"
        if request.headers.get("HX-Request"):
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = target
            return answer
        return HttpResponseRedirect(target)
