# ruff: noqa: RUF001 - Chinese text is written with full-width punctuation
"""Master data in the admin: no add, change or delete without a why, and each is recorded."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.admin_pages import form_data
from tests.factories import BomLineFactory, ItemFactory
from tracelot.accounts.roles import roles_sync
from tracelot.audit.models import ChangeAction, MasterDataChange
from tracelot.items.models import BomLine, Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    return ItemFactory(code="FLOUR", name="Flour", name_zh="面粉")


def test_changing_an_item_records_who_what_from_where_and_why(admin_client, item):
    url = reverse("admin:items_item_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    data.update(name="Wheat flour", change_reason="supplier renamed the grade")

    page = admin_client.post(url, data, REMOTE_ADDR="10.1.2.3")

    assert page.status_code == 302
    change = MasterDataChange.objects.get()
    assert change.action == ChangeAction.CHANGED
    assert change.changes == {"name": ["Flour", "Wheat flour"]}
    assert change.reason == "supplier renamed the grade"
    assert change.user.username == "admin"
    assert change.address == "10.1.2.3"
    assert change.object_repr.startswith("FLOUR")


@pytest.mark.parametrize(
    ("language", "error"),
    [("en", "Say why: every master-data change records its reason."), ("zh-hans", "请说明原因")],
)
def test_a_change_without_a_reason_is_refused_and_changes_nothing(
    admin_client, item, language, error
):
    admin_client.cookies["django_language"] = language
    url = reverse("admin:items_item_change", args=[item.pk])
    data = form_data(admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language))
    data["name"] = "Wheat flour"

    page = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)

    assert page.status_code == 200
    assert error in page.content.decode()
    item.refresh_from_db()
    assert item.name == "Flour"
    assert not MasterDataChange.objects.exists()


def test_adding_a_record_is_recorded_with_its_values(admin_client):
    page = admin_client.post(
        reverse("admin:partners_supplier_add"),
        {
            "code": "GW",
            "name": "Golden Wheat Co.",
            "name_zh": "金麦",
            "change_reason": "new flour source",
        },
    )

    assert page.status_code == 302, page.content.decode()[:2000]
    change = MasterDataChange.objects.get()
    assert change.action == ChangeAction.ADDED
    assert change.changes["name"] == ["", "Golden Wheat Co."]
    assert change.reason == "new flour source"


def test_a_bill_of_materials_row_changed_on_the_item_page_is_recorded(admin_client):
    line = BomLineFactory(quantity="0.8")
    url = reverse("admin:items_item_change", args=[line.parent.pk])
    data = form_data(admin_client.get(url))
    prefix = next(k for k in data if k.endswith("-0-quantity"))
    data[prefix] = "0.75"
    data["change_reason"] = "recipe v2"

    assert admin_client.post(url, data).status_code == 302

    change = MasterDataChange.objects.get()
    assert change.content_type.model == "bomline"
    assert change.changes == {"quantity": ["0.8000", "0.75"]}
    assert change.reason == "recipe v2"


def test_deleting_needs_a_reason_too(admin_client):
    spare = ItemFactory(code="SPARE")
    url = reverse("admin:items_item_delete", args=[spare.pk])

    refused = admin_client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    assert "Say why" in refused.content.decode()
    assert Item.objects.filter(pk=spare.pk).exists()

    assert admin_client.post(url, {"post": "yes", "change_reason": "typed twice"}).status_code
    assert not Item.objects.filter(pk=spare.pk).exists()
    change = MasterDataChange.objects.get()
    assert (change.action, change.object_id, change.reason) == (
        ChangeAction.DELETED,
        str(spare.pk),
        "typed twice",
    )


def test_the_list_offers_no_bulk_delete_that_would_skip_the_reasons(admin_client, item):
    page = admin_client.get(reverse("admin:items_item_changelist"))
    assert "delete_selected" not in page.content.decode()


def test_giving_a_user_a_role_is_recorded(admin_client, django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(username="wang")
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(admin_client.get(url))
    data["groups"] = [Group.objects.get(name="quality").pk]
    data["change_reason"] = "took over QC on line 2"

    assert admin_client.post(url, data).status_code == 302

    change = MasterDataChange.objects.get()
    assert change.changes == {"groups": ["", "quality"]}
    assert "password" not in change.changes


def test_changes_are_append_only(admin_client, item):
    url = reverse("admin:items_item_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    admin_client.post(url, {**data, "name": "Wheat flour", "change_reason": "renamed"})
    change = MasterDataChange.objects.get()

    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        MasterDataChange.objects.update(reason="nothing happened")
    with pytest.raises(TypeError):
        MasterDataChange.objects.all().delete()
    # Nor behind the model's back: the database refuses it too.
    for sql in (
        "UPDATE audit_masterdatachange SET reason = 'nothing happened'",
        "DELETE FROM audit_masterdatachange",
    ):
        with (
            pytest.raises(DatabaseError, match="master-data changes are never"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert MasterDataChange.objects.get().reason == "renamed"


def test_the_audit_trail_shows_and_exports_the_change_with_its_reason(
    admin_client, client_as, item
):
    url = reverse("admin:items_item_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    admin_client.post(url, {**data, "shelf_life_days": "90", "change_reason": "new spec"})

    auditor = client_as("auditor")
    body = auditor.get(reverse("ledger:audit-trail")).content.decode()
    assert "new spec" in body
    assert "shelf life" in body.lower()

    export = auditor.get(reverse("ledger:audit-trail"), {"export": "changes-csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[1][-1] == "new spec"
    assert "365 → 90" in rows[1][-2]


def test_an_unchanged_save_records_nothing(admin_client, item):
    url = reverse("admin:items_item_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    assert admin_client.post(url, {**data, "change_reason": "looked"}).status_code == 302
    assert not MasterDataChange.objects.exists()
    assert BomLine.objects.count() == 0


def test_adding_a_user_asks_why_and_never_records_the_password(admin_client, django_user_model):
    url = reverse("admin:auth_user_add")
    fields = {"username": "zhao", "password1": "a-long-secret-1", "password2": "a-long-secret-1"}
    fields["usable_password"] = "true"

    refused = admin_client.post(url, fields)
    assert refused.status_code == 200
    assert "Say why" in refused.content.decode()
    assert not django_user_model.objects.filter(username="zhao").exists()

    page = admin_client.post(url, {**fields, "change_reason": "new QC technician"})

    assert page.status_code == 302
    change = MasterDataChange.objects.get()
    assert change.action == ChangeAction.ADDED
    assert change.changes["username"] == ["", "zhao"]
    assert not [name for name in change.changes if "password" in name]
    assert "a-long-secret-1" not in str(change.changes)
    assert django_user_model.objects.get(username="zhao").check_password("a-long-secret-1")


def test_a_bill_of_materials_row_deleted_on_the_item_page_is_recorded(admin_client):
    line = BomLineFactory(quantity="0.8")
    url = reverse("admin:items_item_change", args=[line.parent.pk])
    data = form_data(admin_client.get(url))
    prefix = next(k for k in data if k.endswith("-0-quantity")).removesuffix("quantity")
    data[f"{prefix}DELETE"] = "on"
    data["change_reason"] = "flour no longer in the recipe"

    assert admin_client.post(url, data).status_code == 302

    assert not BomLine.objects.filter(pk=line.pk).exists()
    change = MasterDataChange.objects.get()
    assert (change.action, change.object_id, change.content_type.model) == (
        ChangeAction.DELETED,
        str(line.pk),
        "bomline",
    )


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("en", "GLN 6901234000017 has a wrong check digit: it should end in 6."),
        ("zh-hans", "GLN 6901234000017 的校验位不对：最后一位应为 6。"),
    ],
)
def test_a_refusal_from_a_service_is_shown_on_the_form_and_nothing_is_written(
    admin_client, language, error
):
    from tracelot.partners.models import Supplier

    page = admin_client.post(
        reverse("admin:partners_supplier_add"),
        {"code": "GW", "name": "Golden Wheat", "gln": "6901234000017", "change_reason": "new"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert page.status_code == 200
    assert error in page.content.decode()
    assert page.context["adminform"].form.errors["gln"] == [error]
    assert not Supplier.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_an_inline_row_refused_by_its_service_is_named_in_the_error(admin_client, english):
    frozen = ItemFactory(code="FROZEN", name="Frozen dumplings")
    url = reverse("admin:items_item_change", args=[frozen.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "bom_lines-TOTAL_FORMS": "1",
            "bom_lines-0-component": str(frozen.pk),
            "bom_lines-0-quantity": "1",
            "name": "Frozen dumplings, bulk",
            "change_reason": "rework line",
        }
    )

    page = admin_client.post(url, data)

    assert page.status_code == 200
    errors = page.context["adminform"].form.non_field_errors()
    assert errors == [
        "FROZEN ← 1 FROZEN: FROZEN cannot be made from itself; it may only list itself as a "
        "rework allowance of at most 0.1 per unit."
    ]
    assert Item.objects.get(pk=frozen.pk).name == "Frozen dumplings"  # the whole page is undone
    assert not BomLine.objects.exists()
    assert not MasterDataChange.objects.exists()


def test_a_delete_refused_by_the_service_is_shown_on_the_confirmation_page(
    admin_client, monkeypatch, english
):
    from tracelot.audit import admin as audit_admin

    spare = ItemFactory(code="SPARE")
    service = audit_admin.master_data_delete

    def deleted_meanwhile(*, record, reason, by):
        Item.objects.filter(pk=record.pk).delete()  # another planner, a moment earlier
        service(record=record, reason=reason, by=by)

    monkeypatch.setattr(audit_admin, "master_data_delete", deleted_meanwhile)
    url = reverse("admin:items_item_delete", args=[spare.pk])

    page = admin_client.post(url, {"post": "yes", "change_reason": "typed twice"})

    assert page.status_code == 200
    assert "no longer exists; someone may have deleted it meanwhile." in page.content.decode()
    assert Item.objects.filter(pk=spare.pk).exists()  # the attempt was rolled back
    assert not MasterDataChange.objects.exists()


def test_deleting_in_the_admin_records_the_record_as_it_was(admin_client):
    spare = ItemFactory(code="SPARE", name="Spare part", shelf_life_days=30)
    url = reverse("admin:items_item_delete", args=[spare.pk])

    admin_client.post(url, {"post": "yes", "change_reason": "typed twice"}, REMOTE_ADDR="10.1.2.3")

    change = MasterDataChange.objects.get()
    assert change.changes["name"] == ["Spare part", ""]
    assert change.changes["shelf_life_days"] == ["30", ""]
    assert change.address == "10.1.2.3"


def test_adding_a_user_with_a_role_records_the_role(admin_client, django_user_model):
    roles_sync()
    quality = Group.objects.get(name="quality")
    page = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "zhao",
            "email": "zhao@example.com",
            "usable_password": "false",
            "groups": [quality.pk],
            "change_reason": "new QC technician",
        },
    )

    assert page.status_code == 302, page.content.decode()[:3000]
    user = django_user_model.objects.get(username="zhao")
    assert list(user.groups.all()) == [quality]
    assert not user.has_usable_password()
    assert MasterDataChange.objects.get().changes["groups"] == ["", "quality"]


def test_the_user_page_offers_the_roles_as_groups_and_nothing_else(admin_client):
    roles_sync()
    Group.objects.create(name="night-supervisors")
    page = admin_client.get(reverse("admin:auth_user_add"))
    offered = {group.name for group in page.context["adminform"].form.fields["groups"].queryset}
    assert offered == {"operator", "warehouse", "quality", "planner", "auditor"}
