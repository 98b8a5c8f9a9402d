"""The start page: lot counts by status for signed-in users, in their language; nothing of
the plant for anonymous visitors."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import LotFactory
from tracelot.core import clock
from tracelot.core.background import background_wait

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_sees_no_plant_data(client):
    lot = LotFactory()
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in" in body
    assert "Lots by status" not in body
    assert "released" not in body
    assert lot.code not in body


def test_a_signed_in_user_sees_the_lots_of_their_site_by_status(client_as):
    LotFactory.create_batch(3)
    response = client_as("auditor").get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "released" in response.content.decode()


def test_the_start_page_speaks_chinese(client_as):
    LotFactory()
    body = client_as("auditor").get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="zh-hans"' in body
    assert "已放行" in body


def test_the_start_page_tells_a_signed_in_newcomer_how_to_get_a_demo(client_as):
    response = client_as("planner").get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "tracelot demo" in response.content.decode()


def _released(client) -> int:
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return int(re.search(r"<td>released</td><td>(\d+)</td>", body).group(1))


def test_the_counts_are_kept_and_counted_again_in_the_background(
    flushable_ledger, client_as, monkeypatch
):
    """No view waits for a count of every lot but the very first: later views show the kept
    counts, and one that finds them older than two minutes has them counted again."""
    LotFactory.create_batch(2)
    client = client_as("auditor")
    assert _released(client) == 2
    LotFactory()
    assert _released(client) == 2
    later = timezone.now() + timedelta(minutes=3)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _released(client) == 2
    background_wait(timeout=60)
    assert _released(client) == 3
