"""Browser tests: Playwright drives the system Chromium (never a downloaded browser)."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tracelot.accounts.roles import roles_sync

# Playwright's sync API keeps an event loop running in the test's thread; Django refuses ORM
# calls from a thread with a running loop unless told that this (test) code is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
# This machine has no network but loopback: without these Chromium keeps dialling out.
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
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        message = "Chromium is missing: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot(request):
    """Keep a picture of the page under test-output/screenshots/<test>-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str = "") -> Path:
        path = SCREENSHOTS / f"{request.node.name}{'-' + name if name else ''}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(live_server, context, django_user_model, operator):
    """Sign a user of `role` in: the session cookie of a forced login, put in the browser."""
    roles_sync()

    def as_role(role: str, *, link_operator: bool = False):
        user = django_user_model.objects.create_user(username=role, first_name=role.title())
        user.groups.add(Group.objects.get(name=role))
        if link_operator:
            operator.user = user
            operator.save()
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        return user

    return as_role
