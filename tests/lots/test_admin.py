"""The admin pages for lots (read-only), lot-number rules and sequences."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ItemFactory, LotFactory
from tests.lots.conftest import LotRuleFactory
from tracelot.audit.models import MasterDataChange
from tracelot.core import admin as core_admin
from tracelot.core import clock
from tracelot.items.models import ItemKind
from tracelot.lots.models import LotRule
from tracelot.lots.services import lot_code_allocate

pytestmark = pytest.mark.django_db


def test_the_lot_list_searches_and_filters(admin_client, site):
    LotFactory(code="FLOUR-0001", supplier_lot="SUP-77", site=site)
    LotFactory(code="SUGAR-0001", site=site)
    url = reverse("admin:lots_lot_changelist")
    page = admin_client.get(url, {"q": "SUP-77", "status__exact": "released"})
    assert page.status_code == 200
    assert "FLOUR-0001" in page.text
    assert "SUGAR-0001" not in page.text


def test_lots_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, site):
    lot = LotFactory(site=site)
    assert admin_client.get(reverse("admin:lots_lot_add")).status_code == 403
    assert admin_client.get(reverse("admin:lots_lot_delete", args=[lot.pk])).status_code == 403
    page = admin_client.post(reverse("admin:lots_lot_change", args=[lot.pk]), {"code": "NEW"})
    assert page.status_code == 403
    lot.refresh_from_db()
    assert lot.code != "NEW"


def test_the_rule_page_previews_the_next_codes(admin_client, site, english):
    item = ItemFactory(code="FLOUR", kind=ItemKind.RAW)
    rule = LotRuleFactory(template="{item}-{seq:3}", reset="never", is_default=False, item=item)
    page = admin_client.get(reverse("admin:lots_lotrule_change", args=[rule.pk]))
    assert page.status_code == 200
    assert "For item FLOUR at site S1 today:" in page.text
    assert "<li>FLOUR-001</li>" in page.text
    assert "<li>FLOUR-005</li>" in page.text


def test_an_invalid_template_is_refused_in_the_admin(admin_client, english):
    page = admin_client.post(
        reverse("admin:lots_lotrule_add"),
        {"name": "Bad", "template": "{item}-{seq:4}{foo}", "reset": "never", "is_default": "on"},
    )
    assert page.status_code == 200
    assert "Unknown token {foo} at position 15" in page.text
    assert not LotRule.objects.exists()


def test_a_valid_rule_is_saved_from_the_admin(admin_client):
    page = admin_client.post(
        reverse("admin:lots_lotrule_add"),
        {
            "name": "Raw",
            "template": "{item}-{yy}-{seq:4}",
            "reset": "yearly",
            "item_kind": "raw",
            "change_reason": "numbering for raw materials",
        },
    )
    assert page.status_code == 302
    rule = LotRule.objects.get()
    assert rule.item_kind == "raw"
    change = MasterDataChange.objects.get()
    assert (change.object_id, change.reason) == (str(rule.pk), "numbering for raw materials")


def test_the_sequence_list_names_the_fallback_rule(admin_client, site, english):
    lot_code_allocate(item=ItemFactory(), site=site, occurred_on=clock.today())
    page = admin_client.get(reverse("admin:lots_lotsequence_changelist"))
    assert page.status_code == 200
    assert "built-in fallback rule" in page.text
    assert admin_client.get(reverse("admin:lots_lotsequence_add")).status_code == 403


def test_the_lot_list_pages_without_counting_the_whole_table(admin_client, site, monkeypatch):
    """A million lots: the search is a prefix the index serves, and on PostgreSQL the pages
    are numbered from the planner's estimate instead of a count of every lot per page."""
    LotFactory.create_batch(3, site=site)
    LotFactory(code="FLOUR-0001", site=site)
    monkeypatch.setattr(core_admin, "EXACT_BELOW", 0)  # as if the table were big
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("admin:lots_lot_changelist"), {"q": "flour-"})
    assert "FLOUR-0001" in page.text
    assert "LOT" not in page.text.split("FLOUR-0001")[1].split("</table>")[0]
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "lots_lot" in q["sql"]]
    assert len(counts) == (0 if connection.vendor == "postgresql" else 1)
    assert all("LIKE" not in sql.upper() for sql in counts)
