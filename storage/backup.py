"""Consistent copies of a live database, and putting one back.

SQLite: the online backup API copies the database page by page inside one read
transaction, so the copy is the state of one instant even while consoles keep writing
(in WAL mode they are never blocked by it). PostgreSQL: `pg_dump`/`pg_restore` do the
same job; they are called when installed, otherwise the command to run is returned.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from domain.errors import InvalidInput
from storage.engine import is_sqlite
from storage.errors import StorageError
from storage.schema import HAND_MADE_PREFIXES

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore did."""

    path: str
    bytes: int
    engine: str
    command: list[str] | None = None  # the pg_dump/pg_restore command (run, or to run)
    ran: bool = True


def _sqlite_file(engine: Engine) -> str:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        raise InvalidInput("an in-memory database cannot be backed up", where="--db")
    return database


def row_count(engine: Engine) -> int:
    """Rows in the office's tables: 0 for a new database (search-index bookkeeping aside)."""
    from storage.tables import ALL_TABLES

    present = set(inspect(engine).get_table_names())
    names = [t.name for t in ALL_TABLES.sorted_tables
             if t.name in present and not t.name.startswith(HAND_MADE_PREFIXES)]
    total = 0
    with engine.connect() as connection:
        for name in names:
            total += connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            if total:
                break  # non-empty is all callers need to know
    return total


def backup(engine: Engine, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the whole database to `target` consistently, while others keep writing."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise InvalidInput(f"{target} exists; choose a new file name", where="FILE")
    if not is_sqlite(engine):
        return _pg_dump(engine, target)
    source_path = _sqlite_file(engine)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    try:
        destination = sqlite3.connect(partial)
        try:
            # One step (pages=-1): a single read transaction, so the copy is one instant's
            # state. Stepping in chunks would restart whenever a console commits.
            source.backup(destination, pages=-1)
            destination.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            check = destination.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            destination.close()
    finally:
        source.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise StorageError(f"the copy failed its integrity check: {check}")
    os.replace(partial, target)
    return BackupResult(path=str(target), bytes=target.stat().st_size, engine="sqlite")


def is_sqlite_backup(path: Path) -> bool:
    """True when `path` starts like a SQLite database file."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def restore(engine: Engine, source: Path, *, force: bool = False) -> BackupResult:
    """Replace the database's contents with the backup at `source`.

    Refuses to overwrite a database that holds any rows unless `force` is given. The
    schema of the restored copy may be older; callers upgrade it afterwards.
    """
    source = Path(source)
    if not source.is_file():
        raise InvalidInput(f"{source} does not exist or is not a file", where="FILE")
    if not force and _exists_with_rows(engine):
        raise InvalidInput("the database is not empty; add --force to overwrite it "
                           "(make a backup of it first)", where="restore")
    if not is_sqlite(engine):
        if is_sqlite_backup(source):
            raise InvalidInput(
                f"{source} is a SQLite backup; to move it into PostgreSQL run "
                f"`callcenter --db {source} export --json DIR` and then `callcenter import DIR`",
                where="FILE")
        return _pg_restore(engine, source)
    if not is_sqlite_backup(source):
        raise InvalidInput(f"{source} is not a SQLite backup file", where="FILE")
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise InvalidInput(f"{source} is a SQLite file but not a callcenter backup", where="FILE")
        target = sqlite3.connect(_sqlite_file(engine), timeout=30)
        try:
            backup_db.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        backup_db.close()
    engine.dispose()  # pooled connections may hold the old schema in their caches
    return BackupResult(path=str(source), bytes=source.stat().st_size, engine="sqlite")


def _exists_with_rows(engine: Engine) -> bool:
    if is_sqlite(engine) and not Path(_sqlite_file(engine)).exists():
        return False
    return row_count(engine) > 0


def _pg_env(engine: Engine) -> dict[str, str]:
    url = engine.url
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    return env


def _run_pg(engine: Engine, command: list[str], path: Path) -> BackupResult:
    if shutil.which(command[0]) is None:
        return BackupResult(path=str(path), bytes=0, engine="postgresql", command=command, ran=False)
    done = subprocess.run(command, env=_pg_env(engine), capture_output=True, text=True)
    if done.returncode != 0:
        raise StorageError(f"{command[0]} failed: {done.stderr.strip().splitlines()[-1:]}")
    size = path.stat().st_size if path.exists() else 0
    return BackupResult(path=str(path), bytes=size, engine="postgresql", command=command)


def _pg_target(engine: Engine) -> list[str]:
    url = engine.url
    return ["--host", str(url.host or "localhost"), "--port", str(url.port or 5432),
            "--username", str(url.username or ""), "--dbname", str(url.database or "")]


def _pg_dump(engine: Engine, target: Path) -> BackupResult:
    command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *_pg_target(engine)]
    return _run_pg(engine, command, target)


def _pg_restore(engine: Engine, source: Path) -> BackupResult:
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
               *_pg_target(engine), str(source)]
    return _run_pg(engine, command, source)
