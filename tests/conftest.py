"""Shared fixtures: named personas and a small dumpling plant (flour and pork into dough)."""

import importlib
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from tests.factories import (
    BomLineFactory,
    ItemFactory,
    OperatorFactory,
    SiteFactory,
    SupplierFactory,
    WorkOrderStepFactory,
)
from tracelot.audit.services import ChangedBy
from tracelot.items.models import ItemKind
from tracelot.ledger import services


def _flush_may_empty_the_append_only_tables() -> None:
    """Django's flush after a transactional test (a browser test, a live server) empties
    every table; the append-only ones refuse it, as they must anywhere but here. In the test
    run its flush, and only its flush, is let through in its own transaction: on PostgreSQL
    it says so for its TRUNCATE (core.migration_sql); on SQLite the delete triggers are
    dropped before its DELETEs and made again after them."""
    # Through each backend's base module: its operations module alone imports in a circle.
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

    SQLite = SQLiteWrapper.ops_class
    sqlite_flush = SQLite.sql_flush

    def sqlite_allowed(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = sqlite_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return []
        drops = [f"DROP TRIGGER IF EXISTS {trigger}" for _table, trigger, _create in APPEND_ONLY]
        makes = [
            create.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1)
            for _table, _trigger, create in APPEND_ONLY
        ]
        return [*drops, *statements, *makes]

    SQLite.sql_flush = sqlite_allowed
    try:
        from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
    except ImportError:  # no PostgreSQL driver: nothing to allow
        return
    DatabaseOperations = PostgresWrapper.ops_class
    sql_flush = DatabaseOperations.sql_flush

    def allowed(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        return ["SET LOCAL tracelot.allow_truncate = 'on'", *statements] if statements else []

    DatabaseOperations.sql_flush = allowed


_flush_may_empty_the_append_only_tables()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the dashboard keeps its figures there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Chinese leaves Chinese active
    in the thread (the middleware activates it), which must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site(db):
    return SiteFactory()


@pytest.fixture
def operator(site):
    """Li Wei, a shop-floor operator."""
    return OperatorFactory(site=site, code="OP-LIWEI", name="Li Wei", name_zh="李伟")


@pytest.fixture
def quality_manager(site):
    """Zhang Min, the quality manager who answers for release decisions."""
    return OperatorFactory(site=site, code="QM-ZHANG", name="Zhang Min", name_zh="张敏")


@pytest.fixture
def planner(django_user_model):
    """Chen Yu, the planner who keeps items, routings, orders and lot rules."""
    return django_user_model.objects.create_user(username="chen.yu", is_staff=True)


@pytest.fixture
def by(planner):
    """Chen Yu changing master data from her desk PC."""
    return ChangedBy(user=planner, address="10.0.8.21")


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def flour(db):
    return ItemFactory(code="FLOUR", name="Flour", name_zh="面粉", shelf_life_days=180)


@pytest.fixture
def pork(db):
    return ItemFactory(code="PORK", name="Pork", name_zh="猪肉", shelf_life_days=10)


@pytest.fixture
def cabbage(db):
    return ItemFactory(code="CABBAGE", name="Cabbage", name_zh="白菜")


@pytest.fixture
def dough(flour, pork):
    item = ItemFactory(code="DOUGH", name="Dough", kind=ItemKind.INTERMEDIATE)
    BomLineFactory(parent=item, component=flour, quantity=Decimal("0.8"))
    BomLineFactory(parent=item, component=pork, quantity=Decimal("0.2"))
    return item


@pytest.fixture
def step(dough, site, quality_manager):
    return WorkOrderStepFactory(
        work_order__site=site,
        work_order__item=dough,
        work_order__line__site=site,
        work_order__shift__site=site,
        output_item=dough,
        responsible=quality_manager,
    )


@pytest.fixture
def supplier(db):
    return SupplierFactory(code="WUDEFU", name="Wudefu Flour Mill", name_zh="五得利面粉厂")


@pytest.fixture
def receive(site, supplier, operator):
    """Receive a lot of `item`, released unless told otherwise."""
    counter = iter(range(1, 10_000))

    def _receive(item, quantity="100", *, release=True, **extra):
        n = next(counter)
        event = services.lot_receive(
            site=site,
            item=item,
            quantity=Decimal(quantity),
            supplier=supplier,
            supplier_lot=f"SUP-{n}",
            actor=operator,
            key=f"receive-{n}",
            **extra,
        )
        lot = event.lot
        if release:
            services.lot_release(
                lot=lot, reason="incoming QC passed", actor=operator, key=f"release-{n}"
            )
            lot.refresh_from_db()
        return lot

    return _receive


@pytest.fixture
def sales_order(site):
    """An open sales order at the plant's site for `quantity` of each item given."""
    from tests.factories import SalesOrderFactory

    def make(*items, quantity="1000", **extra):
        return SalesOrderFactory(site=site, lines=[(item, quantity) for item in items], **extra)

    return make


@pytest.fixture
def dough_made(step, flour, pork, receive, operator, sales_order):
    """Flour and pork consumed into a dough step, the dough produced and shipped to Hema."""
    flour_lot, pork_lot = receive(flour), receive(pork)
    services.lot_consume(step=step, lot=flour_lot, quantity=Decimal(8), actor=operator, key="c1")
    services.lot_consume(step=step, lot=pork_lot, quantity=Decimal(2), actor=operator, key="c2")
    dough = services.lot_produce(step=step, quantity=Decimal(10), actor=operator, key="p").lot
    order = sales_order(
        step.output_item, quantity=10, customer__name="Hema Fresh", customer__gln="6901234000017"
    )
    services.lot_ship(lot=dough, sales_order=order, quantity=Decimal(10), actor=operator, key="s")
    return {"flour": flour_lot, "pork": pork_lot, "dough": dough, "order": order}


TRIGGERS = importlib.import_module("tracelot.ledger.migrations.0002_event_immutable_trigger")
AUDIT_TRIGGERS = importlib.import_module("tracelot.audit.migrations.0002_change_immutable_trigger")
SIGNATURE_TRIGGERS = importlib.import_module("tracelot.accounts.migrations.0002_signatures")
ACCESS_TRIGGERS = importlib.import_module("tracelot.audit.migrations.0005_access_guards")
ADOPTION_TRIGGERS = importlib.import_module("tracelot.audit.migrations.0006_adoptions")
# (table, the trigger that refuses deletes, the SQL that makes it again)
APPEND_ONLY = [
    ("ledger_event", "ledger_event_no_delete", TRIGGERS.SQLITE[1][0]),
    ("audit_masterdatachange", "audit_change_no_delete", AUDIT_TRIGGERS.SQLITE[1][0]),
    ("audit_accessrecord", "audit_accessrecord_no_delete", ACCESS_TRIGGERS.REFUSED["sqlite"][1][0]),
    ("audit_adoption", "audit_adoption_no_delete", ADOPTION_TRIGGERS.REFUSED["sqlite"][1][0]),
    *[
        (create.split(" ON ")[1].split()[0], create.split()[2], create)
        for create, _drop in SIGNATURE_TRIGGERS.REFUSED["sqlite"]
        if "_no_delete" in create
    ],
]


@pytest.fixture
def flushable_ledger(transactional_db):
    """A transactional test that writes to the append-only tables. The flush after it
    empties them as only a test may (see _flush_may_empty_the_append_only_tables above)."""
    return


@pytest.fixture
def client_as(client, django_user_model, operator):
    """The test client signed in as a new user in `role`, optionally acting as `operator`."""
    from django.contrib.auth.models import Group

    from tracelot.accounts.roles import roles_sync
    from tracelot.plants.models import SiteMembership

    roles_sync()

    def sign_in(role: str, *, link_operator: bool = False, **fields):
        user = django_user_model.objects.create_user(username=role, **fields)
        user.groups.add(Group.objects.get(name=role))
        # A member of the plant's site, so a test may add a second site the user does not see.
        SiteMembership.objects.create(user=user, site=operator.site)
        if link_operator:
            operator.user = user
            operator.save()
        client.force_login(user)
        return client

    return sign_in


def jobs_run() -> int:
    """Run every queued job here and now, as `tracelot worker` would; how many ran."""
    from django.utils import timezone
    from django.utils.module_loading import import_string
    from django_q.brokers import get_broker
    from django_q.monitor import save_task
    from django_q.signing import SignedPackage

    broker, done = get_broker(), 0
    while batch := broker.dequeue():
        for ack_id, payload in batch:
            job = SignedPackage.loads(payload)
            func = import_string(job["func"]) if isinstance(job["func"], str) else job["func"]
            job["started"] = timezone.now()
            job["result"] = func(*job["args"], **job.get("kwargs", {}))
            job.update(stopped=timezone.now(), success=True, sync=True)  # sync: keep the connection
            save_task(job, broker)  # the result and hooks, as the worker's monitor saves them
            broker.acknowledge(ack_id)
            done += 1
    return done


def _worker_env(directory: Path) -> dict[str, str]:
    env = {**os.environ, "TRACELOT_DATA_DIR": str(directory), "TRACELOT_LANGUAGE": "en"}
    env.update(
        TRACELOT_JOB_TIMEOUT_SECONDS="3",
        TRACELOT_JOB_RETRY_SECONDS="4",
        TRACELOT_JOB_ATTEMPTS="2",
        TRACELOT_JOB_BACKOFF_SECONDS="1",
        TRACELOT_JOB_POLL_SECONDS="0.1",
        TRACELOT_CHECKPOINT_MINUTES="0",
    )
    env.pop("DATABASE_URL", None)
    return env


class _Postgres:
    """Databases of the worker tests beside the suite's own, on the same server."""

    def __init__(self) -> None:
        self.settings = connection.settings_dict

    def url(self, name: str) -> str:
        s = self.settings
        host = s.get("HOST") or "127.0.0.1"
        return f"postgres://{s.get('USER') or 'postgres'}@{host}:{s.get('PORT') or 5432}/{name}"

    def run(self, *statements: tuple[str, str] | tuple[str, str, str]) -> None:
        import psycopg
        from psycopg import sql

        s = self.settings
        with psycopg.connect(dbname="postgres", user=s.get("USER") or None,
                             host=s.get("HOST") or None, port=s.get("PORT") or None,
                             autocommit=True) as db:  # fmt: skip
            for verb, *names in statements:
                db.execute(sql.SQL(verb).format(*map(sql.Identifier, names)))


@pytest.fixture(scope="session")
def _worker_template(tmp_path_factory, django_db_setup, django_db_blocker):
    """One migrated database the worker tests copy (migrating takes seconds each time)."""
    directory = tmp_path_factory.mktemp("worker-template")
    env = _worker_env(directory)
    template = None
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            template = f"{connection.settings_dict['NAME']}_wtpl"[:63]
            _Postgres().run(("DROP DATABASE IF EXISTS {} WITH (FORCE)", template),
                            ("CREATE DATABASE {}", template))  # fmt: skip
            env["DATABASE_URL"] = _Postgres().url(template)
    subprocess.run([sys.executable, "-m", "tracelot.cli", "migrate", "-v0"], env=env, check=True)
    yield directory, template
    if template is not None:
        with django_db_blocker.unblock():
            _Postgres().run(("DROP DATABASE IF EXISTS {} WITH (FORCE)", template))


@pytest.fixture
def worker_database(_worker_template, tmp_path: Path):
    """A database of its own for real worker processes, on the engine the suite runs on: a
    copy of the migrated template, with its keys."""
    import shutil

    directory, template = _worker_template
    shutil.copytree(directory, tmp_path, dirs_exist_ok=True)
    env = _worker_env(tmp_path)
    if template is None:
        yield env
        return
    scratch = f"{template[:-5]}_worker"[:63]
    _Postgres().run(("DROP DATABASE IF EXISTS {} WITH (FORCE)", scratch),
                    ("CREATE DATABASE {} TEMPLATE {}", scratch, template))  # fmt: skip
    env["DATABASE_URL"] = _Postgres().url(scratch)
    yield env
    _Postgres().run(("DROP DATABASE IF EXISTS {} WITH (FORCE)", scratch))
