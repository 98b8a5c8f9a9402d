"""Browser tests: pytest-playwright drives the Chromium of the operating system.

Never a downloaded browser (`playwright install` is not part of any setup): the launch
arguments below point Playwright at `chromium` from apt. Run them alone with
`make test-browser`; screenshots land in test-output/screenshots/.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

# Playwright's sync API runs an asyncio event loop in this (the test's) thread and switches
# to it with greenlets, so `asyncio.get_running_loop()` finds a loop while the test's own code
# runs; Django then refuses every ORM call from the test and its fixtures (factories,
# force_login) with SynchronousOnlyOperation. Nothing here is async: the live server handles
# requests in its own thread. The variable is read at call time, so setting it on import of
# this conftest is early enough; it only affects processes that collect the browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_MISSING = "Chromium is missing: install it with `sudo apt-get install chromium`"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
# The test machines reach nothing but loopback: without the networking switches Chromium
# keeps dialling Google (updates, sync, QUIC probes) and floods the log with refused
# connections. --no-sandbox because CI runs as root; no GPU in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system Chromium, headless; fail on CI and skip elsewhere when it is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {CHROMIUM_MISSING}", pytrace=False)
        pytest.skip(CHROMIUM_MISSING)
    return {
        "headless": True,
        **browser_type_launch_args,  # --headed on the command line still wins
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


def _no_static_handler(application: Any) -> Any:
    """Hand every request to the WSGI app, so /static/ is served by WhiteNoise as in production
    (pytest-django's live server otherwise answers /static/ with Django's test handler)."""
    return application


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, serving static files through the app's own middleware."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Relative URLs in page.goto() go to the live server (replaces pytest-playwright's own
    base_url fixture, which pytest warns about)."""
    return live_server.url


def _screenshot_stem(node: pytest.Item) -> str:
    """The test's name without pytest-playwright's `chromium` parameter."""
    name = getattr(node, "originalname", node.name)
    callspec = getattr(node, "callspec", None)
    if callspec is not None:
        parts = [part for part in callspec.id.split("-") if part != "chromium"]
        if parts:
            name += f"[{'-'.join(parts)}]"
    return name


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Keep a picture of the page: test-output/screenshots/<test>[-<name>].png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str = "") -> Path:
        stem = _screenshot_stem(request.node)
        path = SCREENSHOTS / f"{stem}-{name}.png" if name else SCREENSHOTS / f"{stem}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def signed_in_page(live_server: Any, context: BrowserContext, page: Page) -> Callable[..., Page]:
    """Sign `user` in and return the page.

    Without a password: the session cookie of a forced login is put into the browser (fast,
    the default). With `password=`: through the real sign-in page, as a person does.
    """

    def sign_in(user: Any, *, password: str | None = None) -> Page:
        if password is None:
            client = Client()
            client.force_login(user)
            name = settings.SESSION_COOKIE_NAME
            cookie = {"name": name, "value": client.cookies[name].value, "url": live_server.url}
            context.add_cookies([cookie])
            return page
        page.goto(f"{live_server.url}{reverse('accounts:login')}")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form.sign-in button[type=submit]")
        return page

    return sign_in


@pytest.fixture
def sign_in(
    signed_in_page: Callable[..., Page], django_user_model: Any, operator: Any
) -> Callable[..., Any]:
    """Sign a new user of `role` in (cookie route); `link_operator` makes them the operator,
    `staff` lets them into the admin (master data). The roles are as one `migrate` on a
    fresh database leaves them: no roles_sync() here, a first install has none either."""

    def as_role(
        role: str, *, link_operator: bool = False, staff: bool = False, password: str | None = None
    ) -> Any:
        user = django_user_model.objects.create_user(
            username=role, first_name=role.title(), is_staff=staff, password=password
        )
        user.groups.add(Group.objects.get(name=role))
        if link_operator:
            operator.user = user
            operator.save()
        signed_in_page(user)
        return user

    return as_role
