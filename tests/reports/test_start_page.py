"""The start page: lot counts by status for signed-in users, in their language; nothing of
the plant for anonymous visitors."""

import pytest

from tests.factories import LotFactory

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
