# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Users are created with their roles and their roles changed through services that record
who did it, from where and why, and never a password."""

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from tracelot.accounts.roles import roles_sync
from tracelot.accounts.services import user_create, user_roles_set, user_save
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.core.errors import Refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(db):
    roles_sync()


def test_a_user_is_created_with_a_role_and_recorded_without_the_password(by, planner):
    user = user_create(
        username="zhao.lei",
        email="zhao.lei@example.com",
        roles=["quality"],
        password="a-long-secret-1",
        reason="new QC technician",
        by=by,
    )

    assert user.check_password("a-long-secret-1")
    assert [g.name for g in user.groups.all()] == ["quality"]
    assert user.has_perm("lots.release_lot")
    change = MasterDataChange.objects.get()
    assert (change.action, change.user, change.address, change.reason) == (
        ChangeAction.ADDED,
        planner,
        "10.0.8.21",
        "new QC technician",
    )
    assert change.changes["username"] == ["", "zhao.lei"]
    assert change.changes["groups"] == ["", "quality"]
    assert not [name for name in change.changes if "password" in name]
    assert "a-long-secret-1" not in str(change.changes)


def test_a_user_without_a_password_cannot_sign_in_with_one(by):
    user = user_create(username="sun.li", roles=["operator"], reason="new operator", by=by)
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "boss is not a role; the roles are: operator, warehouse, quality, planner, auditor.",
        ),
        (
            "zh-hans",
            "boss 不是角色；可选的角色有：operator, warehouse, quality, planner, auditor。",
        ),
    ],
)
def test_an_unknown_role_is_refused_and_no_user_is_written(by, language, message):
    with translation.override(language), pytest.raises(Refused) as refused:
        user_create(username="zhao.lei", roles=["boss"], reason="new boss", by=by)
    assert (refused.value.code, refused.value.message) == ("role_unknown", message)
    assert not User.objects.filter(username="zhao.lei").exists()
    assert not MasterDataChange.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "A password needs at least 8 characters."),
        ("zh-hans", "密码至少要有 8 个字符。"),
    ],
)
def test_a_weak_password_is_refused_in_the_readers_language(by, language, message):
    with translation.override(language), pytest.raises(Refused) as refused:
        user_create(username="zhao.lei", roles=[], password="pw-1", reason="new user", by=by)
    assert (refused.value.code, refused.value.message) == ("password_invalid", message)
    assert not MasterDataChange.objects.exists()
    assert not User.objects.filter(username="zhao.lei").exists()


def test_a_taken_username_is_refused(by):
    user_create(username="zhao.lei", roles=[], reason="new user", by=by)
    with pytest.raises(Refused) as refused:
        user_create(username="zhao.lei", roles=[], reason="again", by=by)
    assert refused.value.code == "record_invalid"
    assert refused.value.detail["field"] == "username"
    assert MasterDataChange.objects.count() == 1


def test_changing_roles_records_them_before_and_after(by):
    user = user_create(username="zhao.lei", roles=["operator"], reason="new operator", by=by)

    user_roles_set(user=user, roles=["quality", "auditor"], reason="moved to QC", by=by)

    assert sorted(g.name for g in user.groups.all()) == ["auditor", "quality"]
    change = MasterDataChange.objects.latest("pk")
    assert (change.action, change.changes, change.reason) == (
        ChangeAction.CHANGED,
        {"groups": ["operator", "auditor, quality"]},
        "moved to QC",
    )


def test_giving_the_same_roles_again_records_nothing(by):
    user = user_create(username="zhao.lei", roles=["operator"], reason="new operator", by=by)
    user_roles_set(user=user, roles=["operator"], reason="checked", by=by)
    assert MasterDataChange.objects.count() == 1


def test_roles_are_not_changed_without_a_reason(by):
    user = user_create(username="zhao.lei", roles=["operator"], reason="new operator", by=by)
    with pytest.raises(Refused) as refused:
        user_roles_set(user=user, roles=["quality"], reason=" ", by=by)
    assert refused.value.code == "reason_missing"
    assert [g.name for g in user.groups.all()] == ["operator"]


def test_saving_a_users_details_records_only_what_changed(by):
    user = user_create(username="zhao.lei", roles=["operator"], reason="new operator", by=by)
    user.email, user.is_staff = "zhao.lei@example.com", True

    user_save(user=user, reason="signs in to the admin", by=by, fields=["email", "is_staff"])

    assert MasterDataChange.objects.latest("pk").changes == {
        "email": ["", "zhao.lei@example.com"],
        "is_staff": ["False", "True"],
    }
