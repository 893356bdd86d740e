"""Shared fixtures: a migrated database per test on SQLite and (when reachable) PostgreSQL.

Each engine starts from a template migrated once per test session and copied per test
(a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), so tests are
isolated without paying for migrations each time.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from storage import schema
from storage.engine import make_engine

PG_URL = os.environ.get("CALLCENTER_TEST_PG", "")
REQUIRE_PG = os.environ.get("CALLCENTER_REQUIRE_POSTGRES") == "1"
FIXED_NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)  # a Friday


def _pg_admin() -> Engine | None:
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("CALLCENTER_REQUIRE_POSTGRES=1 but CALLCENTER_TEST_PG is not set")
        return None
    engine = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL at {PG_URL} unreachable: {exc}")
        return None
    return engine


def _pg_url(database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(make_engine(PG_URL).url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(str(path))
    schema.upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    admin = _pg_admin()
    if admin is None:
        yield None
        return
    name = f"cc_tpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_pg_url(name))
    schema.upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """A fresh, migrated SQLite database file for this test."""
    path = tmp_path / "callcenter.db"
    shutil.copy(sqlite_template, path)
    return str(path)


@pytest.fixture
def pg_url(pg_template) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test (skips when no server)."""
    if pg_template is None:
        pytest.skip("no PostgreSQL server (set CALLCENTER_TEST_PG; ./scripts/pg-start starts one)")
    admin = _pg_admin()
    name = f"cc_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    yield _pg_url(name)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """A fresh migrated database URL, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """An engine on a fresh migrated database, on SQLite and on PostgreSQL."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url) -> Iterator[Engine]:
    """An engine on a fresh migrated SQLite database only."""
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def now() -> datetime:
    """The fixed 'now' of the tests: Friday 2026-11-27 10:00 UTC."""
    return FIXED_NOW
