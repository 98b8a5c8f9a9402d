"""The start page: lot counts by status, in the visitor's language."""

import pytest

from tests.factories import LotFactory

pytestmark = pytest.mark.django_db


def test_the_start_page_counts_lots_by_status(client):
    LotFactory.create_batch(3)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "released" in response.content.decode()


def test_the_start_page_speaks_chinese(client):
    LotFactory()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert 'lang="zh-hans"' in body
    assert "已放行" in body


def test_the_start_page_tells_a_newcomer_how_to_get_a_demo(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "tracelot demo" in response.content.decode()
