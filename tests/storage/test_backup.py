"""Backups taken while another process keeps opening requests, and restoring them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.errors import InvalidInput
from storage.backup import backup, restore
from storage.engine import make_engine, read_session
from storage.requests import open_request
from storage.tables import AuditEntry, Request

WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from storage.engine import make_engine
    from storage.requests import open_request
    engine = make_engine(sys.argv[1])
    for _ in range(int(sys.argv[2])):
        number = open_request(engine, now=datetime.now(timezone.utc), agent_id=None, actor="writer").number
        print(number, flush=True)  # printed only after the commit returned
""")


def _numbers(path: Path) -> set[int]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM request")}
    finally:
        connection.close()


def _committed_so_far(lines: list[str]) -> set[int]:
    return {int(line) for line in lines if line.strip()}


def test_a_backup_taken_during_writes_holds_every_request_committed_before_it(sqlite_url, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, sqlite_url, "400"],
                              stdout=subprocess.PIPE, text=True)
    seen: list[str] = []
    copies = []
    try:
        for index in range(3):
            while len(seen) < 40 * (index + 1):
                seen.append(writer.stdout.readline())
            committed = _committed_so_far(seen)
            target = tmp_path / f"copy-{index}.db"
            backup(make_engine(sqlite_url), target)
            copies.append((target, committed))
        rest, _ = writer.communicate(timeout=120)
    finally:
        writer.kill()
    assert writer.returncode == 0
    for target, committed in copies:
        in_copy = _numbers(target)
        assert committed <= in_copy
        connection = sqlite3.connect(target)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        opened = connection.execute(
            "SELECT count(*) FROM audit_log WHERE entity = 'request' AND action = 'open'").fetchone()[0]
        connection.close()
        assert opened == len(in_copy)  # each request arrives with its audit entry, or not at all
    all_committed = _committed_so_far(seen + rest.splitlines())
    final = tmp_path / "final.db"
    backup(make_engine(sqlite_url), final)
    assert _numbers(final) == all_committed and len(all_committed) == 400


def test_restoring_a_backup_brings_back_every_request(sqlite_url, tmp_path, now):
    engine = make_engine(sqlite_url)
    numbers = {open_request(engine, now=now, agent_id=None, actor="cli").number for _ in range(25)}
    backup(engine, tmp_path / "copy.db")
    fresh = make_engine(str(tmp_path / "fresh.db"))
    restore(fresh, tmp_path / "copy.db")
    with read_session(fresh) as session:
        assert set(session.exec(select(Request.id)).all()) == numbers
        assert session.exec(select(func.count()).select_from(AuditEntry)).one() == 25
    assert open_request(fresh, now=now, agent_id=None, actor="cli").number == max(numbers) + 1


def test_restore_refuses_a_database_with_data_unless_forced(sqlite_url, tmp_path, now):
    engine = make_engine(sqlite_url)
    kept = open_request(engine, now=now, agent_id=None, actor="cli").number
    backup(engine, tmp_path / "copy.db")
    later = open_request(engine, now=now, agent_id=None, actor="cli").number
    with pytest.raises(InvalidInput, match="--force"):
        restore(engine, tmp_path / "copy.db")
    with read_session(engine) as session:
        assert session.get(Request, later) is not None  # refused: nothing changed
    restore(engine, tmp_path / "copy.db", force=True)
    with read_session(engine) as session:
        assert set(session.exec(select(Request.id)).all()) == {kept}


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_url, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    with pytest.raises(InvalidInput, match="not a SQLite backup"):
        restore(make_engine(str(tmp_path / "new.db")), junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(InvalidInput, match="not a callcenter backup"):
        restore(make_engine(str(tmp_path / "new.db")), other)


def test_backup_never_overwrites_an_existing_file(sqlite_url, tmp_path):
    existing = tmp_path / "there.db"
    existing.write_text("keep me")
    with pytest.raises(InvalidInput, match="exists"):
        backup(make_engine(sqlite_url), existing)
    assert existing.read_text() == "keep me"


@pytest.mark.postgres
def test_a_postgres_backup_restores_with_pg_restore(pg_url, tmp_path, now):
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    engine = make_engine(pg_url)
    kept = open_request(engine, now=now, agent_id=None, actor="cli").number
    result = backup(engine, tmp_path / "office.dump")
    assert result.ran and result.bytes > 0
    open_request(engine, now=now, agent_id=None, actor="cli")  # after the backup: gone again
    engine.dispose()
    restore(engine, tmp_path / "office.dump", force=True)
    with read_session(engine) as session:
        assert set(session.exec(select(Request.id)).all()) == {kept}
