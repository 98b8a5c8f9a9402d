"""Running in production: the documented configuration passes Django's deployment checks,
the server will not start on the published secret key, sign-ins are throttled on both
sign-in pages, idle station screens sign out, and weak passwords are refused."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from tracelot.accounts.roles import roles_sync
from tracelot.core import clock

pytestmark = pytest.mark.django_db

PRODUCTION = {  # README, "Running in production"
    "TRACELOT_HTTPS": "1",
    "TRACELOT_BEHIND_PROXY": "1",
    "TRACELOT_ALLOWED_HOSTS": "trace.plant.example.com",
    "TRACELOT_CSRF_ORIGINS": "https://trace.plant.example.com",
}


def _tracelot(*argv: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "TRACELOT_DATA_DIR": str(tmp_path), **env}
    environment.pop("TRACELOT_DEBUG", None)
    # Set by the browser tests' plugin in this process; no production server has it.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "tracelot.cli", *argv],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_production_configuration_passes_the_deployment_checks(tmp_path):
    key = {"TRACELOT_SECRET_KEY": secrets.token_urlsafe(50)}
    done = _tracelot("check", "--deploy", env={**PRODUCTION, **key}, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_without_https_the_deployment_checks_say_what_is_missing(tmp_path):
    done = _tracelot("check", "--deploy", "--fail-level", "WARNING", env={}, tmp_path=tmp_path)
    assert done.returncode != 0
    assert "SECURE_HSTS_SECONDS" in done.stderr + done.stdout


def test_the_server_refuses_the_published_secret_key(tmp_path):
    public = {"TRACELOT_SECRET_KEY": "insecure-development-key-change-me"}
    done = _tracelot("serve", "127.0.0.1:0", env=public, tmp_path=tmp_path)
    assert done.returncode != 0
    assert "TRACELOT_SECRET_KEY is the public default" in done.stderr


def test_with_nothing_set_the_data_directory_gets_its_own_secret_key(tmp_path):
    done = _tracelot("check", "--system-only", env={}, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    key = tmp_path / "secret-key"
    assert len(key.read_text().strip()) >= 50
    assert key.stat().st_mode & 0o777 == 0o600


@pytest.fixture
def zhang(django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(username="zhang", password="pw-zhang-1")
    user.groups.add(Group.objects.get(name="operator"))
    return user


@pytest.mark.parametrize("page", ["accounts:login", "admin:login"])
def test_repeated_wrong_passwords_lock_signing_in_even_with_the_right_one(client, zhang, page):
    url = reverse(page)
    for _ in range(5):
        client.post(url, {"username": "zhang", "password": "guess"})
    answer = client.post(url, {"username": "zhang", "password": "pw-zhang-1"})
    assert answer.status_code == 429
    assert "Too many wrong passwords" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_said_in_chinese_and_lifts_after_its_time(client, zhang):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "zhang", "password": "guess"})
    answer = client.post(
        url, {"username": "zhang", "password": "pw-zhang-1"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "密码错误次数过多" in answer.content.decode()
    with time_machine.travel(clock.now() + timedelta(minutes=16)):
        answer = client.post(url, {"username": "zhang", "password": "pw-zhang-1"})
    assert answer.status_code == 302


def test_an_idle_station_screen_signs_its_user_out(client, zhang):
    client.post(reverse("accounts:login"), {"username": "zhang", "password": "pw-zhang-1"})
    assert client.get(reverse("capture:station")).status_code == 200
    with time_machine.travel(clock.now() + timedelta(minutes=31)):
        answer = client.get(reverse("capture:station"))
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("accounts:login") + "?idle=30")
        page = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "_auth_user_id" not in client.session
    assert "30 分钟" in page


def test_elsewhere_a_session_outlives_half_an_hour(client, zhang):
    client.post(reverse("accounts:login"), {"username": "zhang", "password": "pw-zhang-1"})
    client.get("/")
    with time_machine.travel(clock.now() + timedelta(minutes=45)):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("password", ["password123", "12345678901", "zhang123"])
def test_weak_passwords_are_refused(zhang, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, user=zhang)


def test_a_session_made_by_force_login_still_finds_its_user(client, zhang):
    """The sign-in throttle comes first among the backends, so force_login (tests, scripts)
    names it in the session: the user must still be found on the next request."""
    client.force_login(zhang)
    assert client.get("/").wsgi_request.user == zhang


def test_leaving_a_station_page_writes_nothing_to_the_session(client, zhang):
    """Moving from a station to any other request (a favicon's) sends no session cookie back:
    a late answer cannot put back a session that another sign-in has replaced."""
    client.post(reverse("accounts:login"), {"username": "zhang", "password": "pw-zhang-1"})
    assert "sessionid" in client.get(reverse("capture:station")).cookies  # stamped
    for path in ("/favicon.ico", "/", reverse("capture:station")):
        assert "sessionid" not in client.get(path).cookies, path


def test_a_station_visited_long_ago_asks_for_the_password_again(client, zhang):
    client.post(reverse("accounts:login"), {"username": "zhang", "password": "pw-zhang-1"})
    client.get(reverse("capture:station"))
    with time_machine.travel(clock.now() + timedelta(minutes=45)):
        assert client.get("/").status_code == 200  # elsewhere: still signed in
        assert client.get(reverse("capture:station")).status_code == 302


def test_the_favicon_is_answered_without_cookies(client):
    """A first visit's favicon must not set a CSRF cookie of its own: it raced with the
    sign-in form's and failed the first sign-in."""
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"].endswith("favicon.svg")
    assert not answer.cookies
