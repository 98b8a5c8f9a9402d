"""Fixtures of the scan station: a signed-in operator, a station with a wedge substitute."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group

from tracelot.accounts.roles import roles_sync
from tracelot.capture.services import ScanAnswer, station_scan_input
from tracelot.ledger.models import Event
from tracelot.plants.models import Station


@pytest.fixture
def station(site) -> Station:
    """The mixer's station PC; its wedge scanner sends ~ for the GS1 separator."""
    return Station.objects.create(site=site, code="S-MIX", name="Mixer", gs_substitute="~")


@pytest.fixture
def scan(step, operator) -> Callable[..., ScanAnswer]:
    """Scan `text` into the dough step as Li Wei; each call is a new physical scan."""
    keys = iter(range(1, 10_000))

    def _scan(text: str, *, key: str | None = None, **extra: Any) -> ScanAnswer:
        return station_scan_input(
            step=step, text=text, operator=operator, key=key or f"scan-{next(keys)}", **extra
        )

    return _scan


@pytest.fixture
def ledger_size(db) -> Callable[[], int]:
    return lambda: Event.objects.count()


@pytest.fixture
def station_user(django_user_model, operator):
    """Li Wei's user, in the operator role."""
    roles_sync()
    user = django_user_model.objects.create_user(username="liwei")
    user.groups.add(Group.objects.get(name="operator"))
    operator.user = user
    operator.save()
    return user


@pytest.fixture
def station_client(client, station_user):
    client.force_login(station_user)
    return client
