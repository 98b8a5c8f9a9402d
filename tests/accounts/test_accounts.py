"""Sign-in, roles and the language each user reads Tracelot in."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tracelot.accounts.roles import ROLES, roles_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def role_user(django_user_model):
    roles_sync()

    def make(role: str):
        user = django_user_model.objects.create_user(username=role, password="pw-" + role)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def test_every_role_exists_as_a_group_after_migrate():
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


def test_an_operator_cannot_release_and_a_quality_manager_can(role_user):
    assert not role_user("operator").has_perm("lots.release_lot")
    assert role_user("quality").has_perm("lots.release_lot")


def test_an_auditor_holds_view_permissions_only(role_user):
    auditor = role_user("auditor")
    permissions = auditor.get_all_permissions()
    assert permissions
    assert all(name.split(".")[1].startswith("view_") for name in permissions)


def test_signing_in_with_the_right_password_lands_on_the_start_page(client, role_user):
    role_user("operator")
    response = client.post(
        reverse("accounts:login"), {"username": "operator", "password": "pw-operator"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_says_so_in_chinese(client, role_user):
    role_user("operator")
    response = client.post(
        reverse("accounts:login"),
        {"username": "operator", "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "用户名或密码不正确" in response.content.decode()


def test_a_users_language_follows_them_to_any_browser(client, role_user):
    user = role_user("operator")
    client.force_login(user)
    client.post(reverse("accounts:language"), {"language": "zh-hans", "next": "/"})
    other_browser = client.__class__()
    other_browser.force_login(user)
    body = other_browser.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-hans"' in body


def test_the_language_switch_refuses_an_unknown_language_and_a_foreign_redirect(client):
    response = client.post(
        reverse("accounts:language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_every_page_has_the_language_switch(client, role_user):
    assert 'id="language"' in client.get(reverse("accounts:login")).content.decode()
    client.force_login(role_user("operator"))
    assert 'id="language"' in client.get("/").content.decode()


def test_one_migrate_gives_every_role_its_permissions_from_every_app():
    # The test database is made by one `migrate`, as a first install is: no roles_sync() here.
    operator = Group.objects.get(name="operator").permissions
    assert operator.filter(content_type__app_label="capture", codename="use_station").exists()
    quality = set(
        Group.objects.get(name="quality").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert {("quality", "add_inspection"), ("lots", "hold_lot"), ("lots", "release_lot")} <= quality
