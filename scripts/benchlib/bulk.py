"""Fast bulk loading of generated rows: `executemany` on SQLite, `COPY` on PostgreSQL.

Rows are plain tuples in the table's column order given by the caller; datetimes must be
aware (UTC), JSON columns are Python values. This bypasses the ORM on purpose: building
a million rows through it would take many minutes and measure nothing we care about.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.types import JSON

from storage.tables import ALL_TABLES

CHUNK = 5_000


def _json_columns(table: str, columns: Sequence[str]) -> list[bool]:
    model = ALL_TABLES.tables[table]
    return [isinstance(model.c[name].type, JSON) or "JSON" in type(model.c[name].type).__name__
            for name in columns]


class BulkLoader:
    """Writes many rows into tables of one database inside one long transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.raw = engine.raw_connection()
        self.cursor = self.raw.cursor()
        if self.sqlite:
            self.cursor.execute("PRAGMA synchronous=OFF")  # generation only; rebuilt if cut short
            self.cursor.execute("BEGIN")

    def _sqlite_value(self, value: Any, is_json: bool) -> Any:
        if is_json:
            return None if value is None else json.dumps(value)
        if isinstance(value, datetime):
            return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    def _pg_value(self, value: Any, is_json: bool) -> Any:
        if is_json:
            return None if value is None else json.dumps(value)
        return value

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple], *,
               progress=None, task=None) -> int:
        """Insert `rows` into `table`; advance a Rich progress task per chunk; return the count."""
        flags = _json_columns(table, columns)
        count = 0
        if self.sqlite:
            placeholders = ", ".join("?" for _ in columns)
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({placeholders})'
            chunk: list[tuple] = []
            for row in rows:
                chunk.append(tuple(self._sqlite_value(v, f) for v, f in zip(row, flags)))
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
                copy.write_row(tuple(self._pg_value(v, f) for v, f in zip(row, flags)))
                count += 1
                if progress is not None and count % CHUNK == 0:
                    progress.advance(task, CHUNK)
        if progress is not None:
            progress.advance(task, count % CHUNK)
        return count

    def commit(self) -> None:
        """Commit everything loaded and close the raw connection."""
        if self.sqlite:
            self.cursor.execute("COMMIT")
            self.cursor.execute("PRAGMA synchronous=FULL")
        else:
            self.raw.commit()
        self.cursor.close()
        self.raw.close()
