"""Forgot your password: a link by e-mail, written in the account owner's language."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tracelot.accounts.services import user_language_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(django_user_model):
    return django_user_model.objects.create_user(
        username="wang", email="wang@plant.example", password="old-secret-123"
    )


def reset_link(message) -> str:
    return re.search(r"https?://testserver(/accounts/password-reset/\S+/)", message.body).group(1)


def test_the_sign_in_page_offers_a_password_reset(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password-reset") in body


def test_the_reset_e_mail_is_in_english_for_an_english_user(client, wang):
    user_language_set(user=wang, language="en")
    response = client.post(reverse("accounts:password-reset"), {"email": "wang@plant.example"})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["wang@plant.example"]
    assert message.subject == "Tracelot: choose a new password"
    assert "Open this link within 3 days" in message.body


def test_the_reset_e_mail_is_in_chinese_for_a_chinese_user_whatever_the_page(client, wang):
    user_language_set(user=wang, language="zh-hans")
    client.post(
        reverse("accounts:password-reset"),
        {"email": "wang@plant.example"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    (message,) = mail.outbox
    assert message.subject.endswith("设置新密码")
    assert "3 天内" in message.body
    assert "Open this link" not in message.body


def test_the_link_sets_a_new_password(client, wang):
    client.post(reverse("accounts:password-reset"), {"email": "wang@plant.example"})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    assert form_page.context["validlink"]

    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "new-secret-456", "new_password2": "new-secret-456"},
        follow=True,
    )

    assert done.status_code == 200
    assert "Your new password is saved" in done.content.decode()
    wang.refresh_from_db()
    assert wang.check_password("new-secret-456")


def test_a_used_link_is_refused(client, wang):
    client.post(reverse("accounts:password-reset"), {"email": "wang@plant.example"})
    link = reset_link(mail.outbox[0])
    target = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(target, {"new_password1": "new-secret-456", "new_password2": "new-secret-456"})

    again = client.get(link, follow=True)

    assert not again.context["validlink"]
    assert "expired or was already used" in again.content.decode()


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, wang):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@plant.example"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-sent")
    assert mail.outbox == []


def test_mismatched_new_passwords_are_refused_in_chinese(client, wang):
    user_language_set(user=wang, language="zh-hans")
    client.post(reverse("accounts:password-reset"), {"email": "wang@plant.example"})
    target = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    page = client.post(
        target,
        {"new_password1": "new-secret-456", "new_password2": "other-secret-789"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert "输入的两个密码不一致" in page.content.decode()
    wang.refresh_from_db()
    assert wang.check_password("old-secret-123")
