"""403 and 404 pages in the user's language, with the site's navigation and no traceback."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "forbidden", "missing"),
    [("en", "Not allowed", "Not found"), ("zh-hans", "无权访问", "未找到")],
)
def test_403_and_404_speak_the_users_language_inside_the_site(
    client_as, language, forbidden, missing
):
    client = client_as("operator", link_operator=True)
    client.post(reverse("accounts:language"), {"language": language})
    response = client.get(reverse("ledger:audit-trail"))
    assert response.status_code == 403
    body = response.content.decode()
    assert forbidden in body
    assert 'class="brand"' in body  # the site's header and navigation
    response = client.get("/lots/NO-SUCH-LOT/")
    assert response.status_code == 404
    assert missing in response.content.decode()


def test_a_403_writes_no_traceback_to_the_log(client_as, caplog):
    client = client_as("operator", link_operator=True)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("ledger:audit-trail"))
    assert all(record.exc_info is None for record in caplog.records)


def test_the_header_names_the_person_not_the_login(client_as, operator):
    client = client_as("operator", link_operator=True)
    body = client.get("/").content.decode()
    assert f'<span class="who">{operator.name}</span>' in body
