"""Which database engine a test run is on: a pytest plugin that names it in the header, and
a reachability check the Makefile runs before the PostgreSQL run.

The whole suite runs twice, once per engine (`make test-sqlite`, `make test-postgres`): the
engine is chosen by DATABASE_URL exactly as in production, so no test needs to know.
"""

import sys
from typing import Any

VENDORS = {"sqlite3": "SQLite", "postgresql": "PostgreSQL"}


def pytest_report_header(config: Any) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    backend = database["ENGINE"].rsplit(".", 1)[-1]
    engine = VENDORS.get(backend, backend)
    name = database.get("TEST", {}).get("NAME") or f"test_{database['NAME']}"
    if backend == "sqlite3":
        return f"database: {engine}, {name}"
    workers = " (+ _gwN per xdist worker)" if config.getoption("numprocesses", None) else ""
    where = f"{database.get('HOST') or 'local socket'}:{database.get('PORT') or 5432}"
    return f"database: {engine} {name}{workers} on {where} as {database.get('USER')}"


def postgres_reachable(url: str) -> str | None:
    """Return why the PostgreSQL server behind `url` cannot be reached, or None if it can."""
    import dj_database_url
    import psycopg

    database = dj_database_url.parse(url)
    try:
        # The maintenance database: the test run creates its own `test_<name>` database.
        psycopg.connect(
            dbname="postgres",
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            connect_timeout=5,
        ).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def redacted(url: str) -> str:
    """Hide the password in a database URL before printing it."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


if __name__ == "__main__":
    # python -m tests.db_engines postgres-reachable URL: exit 1 with the reason if it is not.
    if len(sys.argv) != 3 or sys.argv[1] != "postgres-reachable":
        sys.exit("usage: python -m tests.db_engines postgres-reachable URL")
    reason = postgres_reachable(sys.argv[2])
    if reason:
        print(f"PostgreSQL at {redacted(sys.argv[2])} is not reachable: {reason}")
        sys.exit(1)
