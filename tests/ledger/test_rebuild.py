"""`tracelot rebuild_genealogy`: the edges can always be rebuilt from the ledger."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from tracelot.edges.models import Edge
from tracelot.ledger import services
from tracelot.ledger.rebuild import genealogy_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(dough_made, operator):
    services.lot_split(lot=dough_made["flour"], quantity=Decimal(5), actor=operator, key="split")


def edges() -> set[tuple[int, int, int | None, Decimal]]:
    return set(Edge.objects.values_list("source_id", "target_id", "step_id", "quantity"))


def test_a_rebuild_of_intact_edges_changes_nothing(made):
    before = edges()
    report = genealogy_rebuild(apply=True)
    assert report.differences == 0
    assert edges() == before


def test_lost_and_wrong_edges_are_rebuilt_from_the_ledger(made):
    before = edges()
    Edge.objects.filter(step__isnull=True).delete()
    Edge.objects.filter(step__isnull=False).update(quantity=Decimal(99))
    dry = genealogy_rebuild(apply=False)
    assert dry.differences > 0
    assert edges() != before  # a dry run writes nothing
    genealogy_rebuild(apply=True)
    assert edges() == before


def test_the_command_reports_what_differs(made, capsys, english):
    Edge.objects.all().delete()
    call_command("rebuild_genealogy")
    assert "run with --apply" in capsys.readouterr().out
    call_command("rebuild_genealogy", "--apply")
    call_command("rebuild_genealogy")
    assert "match the ledger" in capsys.readouterr().out.splitlines()[-1]
