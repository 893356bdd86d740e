"""A statement run on the DBAPI cursor writes exactly what SQLAlchemy would."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, insert, select, update

from storage import audit
from storage.engine import make_engine, run_raw_write
from storage.raw_statement import RawStatement
from storage.tables import AuditEntry
from storage.types import JSONDoc, UTCDateTime

metadata = MetaData()
thing = Table("thing", metadata, Column("id", Integer, primary_key=True), Column("status", String),
              Column("at", UTCDateTime), Column("doc", JSONDoc))
WARSAW = timezone(timedelta(hours=1))


@pytest.fixture
def memory(db_url):
    engine = make_engine(db_url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(thing), [
            {"id": 1, "status": "new", "at": datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=WARSAW),
             "doc": {"a": [1, "ł"], "b": None}},
            {"id": 2, "status": "closed", "at": None, "doc": None},
            {"id": 3, "status": "reopened", "at": datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc),
             "doc": {"x": "[bold]y"}}])
    yield engine
    engine.dispose()


def test_an_update_returning_writes_as_sqlalchemy_does(memory):
    # SQLite takes positional parameters, psycopg named ones.
    # An expanding IN list (a constant), two named values, a datetime written.
    statement = (update(thing).where(thing.c.status.in_(["new", "reopened"]), thing.c.id == bindparam("which"))
                 .values(at=bindparam("now"), status="in_progress").returning(thing.c.id))
    now = datetime(2026, 3, 3, 10, 15, 1, 5, tzinfo=WARSAW)
    raw = RawStatement(statement, memory.dialect, ("which", "now"))
    connection = memory.raw_connection()
    cursor = connection.cursor()
    returned = raw.execute(cursor, {"which": 1, "now": now}).fetchone()
    assert raw.execute(cursor, {"which": 2, "now": now}).fetchone() is None  # closed: not in the list
    connection.commit()
    connection.close()
    with memory.connect() as sa:
        stored = sa.execute(select(thing).where(thing.c.id == 1)).mappings().one()
        # The same change made by SQLAlchemy on row 3 is stored in the same form.
        sa.execute(statement, {"which": 3, "now": now})
        text_forms = sa.exec_driver_sql(
            "SELECT CAST(at AS VARCHAR), CAST(doc AS VARCHAR) FROM thing WHERE id IN (1, 3) ORDER BY id").all()
    assert tuple(returned) == (1,)
    assert dict(stored) == {"id": 1, "status": "in_progress", "at": now.astimezone(timezone.utc),
                            "doc": {"a": [1, "ł"], "b": None}}
    assert stored["at"].tzinfo is not None
    assert text_forms[0][0] == text_forms[1][0]  # the same instant, stored in the same form


def test_an_audit_entry_written_on_the_cursor_is_the_one_write_stores(sqlite_engine, now):
    values = audit.entry_values(at=now, actor_id=None, actor="anna", entity="request", entity_id=7,
                                action="pull", changes={"queue": ["Streets/[red]x", None], "at": now})
    run_raw_write(sqlite_engine, lambda cursor: audit.raw_insert(sqlite_engine.dialect).execute(cursor, values))
    with sqlite_engine.begin() as connection:
        audit.write(connection, **{**values, "entity_id": 7})
    with sqlite_engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT at, actor_id, actor, entity, entity_id, action, changes FROM "
            f"{AuditEntry.__table__.name} WHERE actor = 'anna' ORDER BY id").all()
    assert len(rows) == 2
    assert rows[0] == rows[1]


def test_a_failed_raw_write_leaves_nothing_behind(sqlite_engine, now):
    values = audit.entry_values(at=now, actor_id=None, actor="bert", entity="request", entity_id=1,
                                action="pull")

    def write_then_fail(cursor):
        audit.raw_insert(sqlite_engine.dialect).execute(cursor, values)
        raise RuntimeError("after the insert")

    with pytest.raises(RuntimeError):
        run_raw_write(sqlite_engine, write_then_fail)
    with sqlite_engine.connect() as connection:
        assert connection.execute(select(AuditEntry.id).where(AuditEntry.actor == "bert")).first() is None
