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
    """Sign a user out after a time without a request: TRACELOT_STATION_IDLE_MINUTES on the
    station's shared screens (the capture pages), TRACELOT_IDLE_MINUTES elsewhere (0: never).
    The sign-in page then says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = time.time()
        seen, limit = session.get("tracelot_seen"), session.get("tracelot_idle_minutes")
        if seen and limit and now - seen > limit * 60:
            logout(request)
            target = f"{reverse('accounts:login')}?{urlencode({'idle': limit, 'next': request.get_full_path()})}"
            if request.headers.get("HX-Request"):
                answer = HttpResponse(status=204)
                answer["HX-Redirect"] = target
                return answer
            return HttpResponseRedirect(target)
        at_station = request.path.startswith("/capture/")
        minutes = (
            settings.TRACELOT_STATION_IDLE_MINUTES if at_station else settings.TRACELOT_IDLE_MINUTES
        )
        # Only a session with a limit in force is stamped: without one, no session write.
        if (minutes or limit) and (not seen or now - seen > STAMP_EVERY or minutes != limit):
            session["tracelot_seen"], session["tracelot_idle_minutes"] = now, minutes
        return self.get_response(request)
