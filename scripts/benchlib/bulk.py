"""Fast bulk loading of generated rows: `executemany` on SQLite, `COPY` on PostgreSQL.

Rows are plain tuples in the table's column order given by the caller; datetimes must be
aware (UTC), JSON columns are Python values. This bypasses the ORM on purpose: building
a million rows through it would take many minutes and measure nothing we care about.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.types import JSON

from storage.tables import ALL_TABLES
from storage.types import UTCDateTime

CHUNK = 5_000


def _converters(table: str, columns: Sequence[str], sqlite: bool) -> list[tuple[int, Callable]]:
    """(column index, converter) for the columns whose values need converting."""
    model = ALL_TABLES.tables[table]
    out = []
    for index, name in enumerate(columns):
        kind = model.c[name].type
        if isinstance(kind, JSON) or "JSON" in type(kind).__name__:
            out.append((index, _json_text))
        elif sqlite and isinstance(kind, UTCDateTime):
            out.append((index, _sqlite_time))
    return out


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _sqlite_time(value: datetime | None) -> str | None:
    # The text SQLAlchemy writes for DateTime on SQLite: naive UTC, always with microseconds.
    if value is None:
        return None
    if value.tzinfo is not timezone.utc:
        value = value.astimezone(timezone.utc)
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class BulkLoader:
    """Writes many rows into tables of one database inside one long transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.raw = engine.raw_connection()
        self.cursor = self.raw.cursor()
        self.deferred: list[str] = []
        if self.sqlite:
            # Generation only (a data set cut short is made again): a rollback journal
            # writes new pages once, where one huge WAL transaction writes them twice.
            self.cursor.execute("PRAGMA journal_mode=DELETE").fetchall()
            self.cursor.execute("PRAGMA synchronous=OFF")
            self.cursor.execute("PRAGMA cache_size=-512000")  # 500 MB while loading
            self.cursor.execute("BEGIN")

    def defer_indexes(self, tables: Sequence[str]) -> None:
        """Drop the secondary indexes of `tables` now and build them again at commit.

        Building an index from sorted data once is many times faster than keeping ten
        indexes of a million-row table up to date row by row (SQLite only).
        """
        if not self.sqlite:
            return
        marks = ", ".join("?" for _ in tables)
        rows = self.cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})", list(tables)).fetchall()
        for name, sql in rows:
            self.cursor.execute(f'DROP INDEX "{name}"')
            self.deferred.append(sql)

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple], *,
               progress=None, task=None) -> int:
        """Insert `rows` into `table`; advance a Rich progress task per chunk; return the count."""
        converters = _converters(table, columns, self.sqlite)

        def converted(row: tuple) -> tuple:
            if not converters:
                return row
            values = list(row)
            for index, convert in converters:
                values[index] = convert(values[index])
            return tuple(values)

        count = 0
        if self.sqlite:
            placeholders = ", ".join("?" for _ in columns)
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({placeholders})'
            chunk: list[tuple] = []
            for row in rows:
                chunk.append(converted(row))
                if len(chunk) >= CHUNK:
                    self.cursor.executemany(sql, chunk)
                    count += len(chunk)
                    if progress is not None:
                        progress.advance(task, len(chunk))
                    chunk = []
            if chunk:
                self.cursor.executemany(sql, chunk)
                count += len(chunk)
                if progress is not None:
                    progress.advance(task, len(chunk))
            return count
        with self.cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(converted(row))
                count += 1
                if progress is not None and count % CHUNK == 0:
                    progress.advance(task, CHUNK)
        if progress is not None:
            progress.advance(task, count % CHUNK)
        return count

    def commit(self) -> None:
        """Commit everything loaded and close the raw connection."""
        if self.sqlite:
            for sql in self.deferred:
                self.cursor.execute(sql)
            self.cursor.execute("COMMIT")
            self.cursor.execute("PRAGMA journal_mode=WAL").fetchall()
            self.cursor.execute("PRAGMA synchronous=FULL")
        else:
            self.raw.commit()
        self.cursor.close()
        self.raw.close()
