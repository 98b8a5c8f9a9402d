"""Sign-in throttling (django-axes) for the sign-in pages, where there is a request."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class SignInThrottle(AxesStandaloneBackend):
    """Refuses a locked-out user on a sign-in page; a sign-in without a request (a script,
    the test client's login) has no address to throttle and is left to the next backend."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]

    def get_user(self, user_id: Any) -> Any:
        # Being first, this backend is what force_login (tests, scripts) names in a session:
        # its sessions must still find their user.
        return ModelBackend().get_user(user_id)
