"""`tracelot demo_logins`: one user per role with its documented password."""

from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from tracelot.demo.builder import DemoBuilder
from tracelot.plants.models import Operator

ROLES = ["operator", "warehouse", "quality", "planner", "auditor"]


@pytest.mark.django_db
def test_demo_logins_creates_a_user_and_group_per_role_and_prints_them(capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    for role in ROLES:
        user = authenticate(username=role, password=f"tracelot-{role}")
        assert user is not None
        assert user.groups.filter(name=role).exists()
        assert f"tracelot-{role}" in out
    admin = authenticate(username="admin", password="tracelot-admin")
    assert admin is not None
    assert admin.is_superuser
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.django_db
def test_demo_logins_links_shop_floor_users_to_the_demo_operators_and_can_run_twice():
    DemoBuilder(lots=200, seed=1, until=date(2025, 3, 14)).build()
    call_command("demo_logins")
    call_command("demo_logins")
    assert User.objects.filter(username="operator").count() == 1
    assert Operator.objects.get(code="A02").user.username == "operator"
    assert Operator.objects.get(code="QA01").user.username == "quality"
    assert Operator.objects.get(code="WH01").user.username == "warehouse"


@pytest.mark.django_db
def test_the_demo_comes_with_a_rule_for_each_condition_told_to_the_role_that_acts():
    from tracelot.alerts.models import AlertRule, Condition

    call_command("demo_logins", verbosity=0)
    call_command("demo_logins", verbosity=0)  # twice: the rules once
    told = {
        rule.condition: list(rule.roles.values_list("name", flat=True))
        for rule in AlertRule.objects.all()
    }
    assert AlertRule.objects.count() == len(told)  # one rule per condition
    assert set(told) == set(Condition) - {Condition.INCIDENT_CONTAINED}
    assert told[Condition.EXPIRING] == ["warehouse"]
    assert told[Condition.SCAN_REFUSED] == ["planner"]
    assert told[Condition.INSPECTION_FAILED] == ["quality"]
    assert AlertRule.objects.get(condition=Condition.MASS_BALANCE).percent == 5
