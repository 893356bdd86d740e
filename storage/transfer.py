"""Moving a whole office between databases (SQLite <-> PostgreSQL) as JSON files.

An export directory holds `manifest.json` (format, schema revision, row counts and
columns per table) and one JSON Lines file per table (`request.jsonl`: one row per line,
in primary-key order), written as rows stream out of one consistent read transaction.
Import reads them back in dependency order inside one write transaction, keeps the ids,
and on PostgreSQL moves each id sequence past the largest id afterwards, so new rows
never collide with imported ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, Engine, MetaData, Table, select, text
from sqlalchemy.dialects.postgresql import JSONB

from domain.errors import InvalidInput
from storage.backup import row_count
from storage.engine import _write_bind, is_sqlite
from storage.schema import HAND_MADE_PREFIXES, current_revision, head_revision
from storage.tables import ALL_TABLES
from storage.types import UTCDateTime

FORMAT = "callcenter-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1_000

Progress = Callable[[str, int], None]  # (table, rows done since last call)


def office_tables() -> list[Table]:
    """Every table of the office in dependency order (parents first), hand-made indexes left out."""
    return [t for t in ALL_TABLES.sorted_tables if not t.name.startswith(HAND_MADE_PREFIXES)]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _rows(connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(stream_results=True, yield_per=CHUNK).execute(
        select(table).order_by(*order))
    for row in result.mappings():
        yield dict(row)


def export_office(engine: Engine, directory: Path, *, source: str = "",
                  progress: Progress | None = None) -> dict[str, Any]:
    """Write every table to `directory` (which must be empty or new); return the manifest."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InvalidInput(f"{directory} is not an empty directory", where="DIR")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _export(engine, directory, source, progress)
    except BaseException:
        for path in directory.glob("*.jsonl"):
            path.unlink()  # no half export that looks usable
        raise
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _export(engine: Engine, directory: Path, source: str, progress: Progress | None) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    bind = engine if is_sqlite(engine) else engine.execution_options(
        isolation_level="REPEATABLE READ")  # one snapshot across all tables
    with bind.connect() as connection, connection.begin():
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        for table in office_tables():
            count = 0
            with open(directory / f"{table.name}.jsonl", "w", encoding="utf-8") as out:
                for row in _rows(connection, table):
                    # Sorted keys: JSONB reorders object keys, so files compare equal across engines.
                    out.write(json.dumps(row, ensure_ascii=False, sort_keys=True, default=_encode) + "\n")
                    count += 1
                    if progress and count % CHUNK == 0:
                        progress(table.name, CHUNK)
            if progress:
                progress(table.name, count % CHUNK)
            tables[table.name] = {"rows": count, "columns": [c.name for c in table.columns]}
    return {"format": FORMAT, "version": FORMAT_VERSION, "schema": revision,
            "exported_at": datetime.now(timezone.utc).isoformat(), "source": source,
            "tables": tables}


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of an export directory, checked; InvalidInput naming what is wrong."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise InvalidInput(f"{path} is missing: not a callcenter export directory", where="DIR")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} is not valid JSON: {exc}", where="DIR") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not a callcenter export manifest", where="DIR")
    if manifest.get("version") != FORMAT_VERSION:
        raise InvalidInput(f"{path}: export format {manifest.get('version')} is not supported "
                           f"(this program reads {FORMAT_VERSION})", where="DIR")
    if not isinstance(manifest.get("tables"), dict):
        raise InvalidInput(f"{path}: 'tables' must be an object", where="DIR")
    return manifest


def _null_preserving(table: Table) -> Table:
    """A copy of `table` whose JSON columns write Python None as SQL NULL, not JSON null."""
    columns = []
    for column in table.columns:
        kind = column.type
        if isinstance(kind, JSON) or "JSON" in type(kind).__name__.upper():
            kind = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
        columns.append(Column(column.name, kind, primary_key=column.primary_key))
    return Table(table.name, MetaData(), *columns)


def _check_columns(table: Table, columns: list[str], where: str) -> None:
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise InvalidInput(f"column {unknown[0]!r} does not exist in table {table.name}", where=where)
    for column in table.columns:
        generated = column.primary_key and column.name == "id"
        if (column.name not in columns and not column.nullable and column.default is None
                and column.server_default is None and not generated):
            raise InvalidInput(f"column {column.name!r} of table {table.name} is missing", where=where)


def _decode(table: Table, row: dict[str, Any], where: str) -> dict[str, Any]:
    for name, value in row.items():
        if value is not None and isinstance(table.c[name].type, UTCDateTime):
            try:
                parsed = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise InvalidInput(f"{name}: {value!r} is not an ISO time", where=where) from None
            row[name] = parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return row


def _read(directory: Path, table: Table, columns: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    path = directory / f"{table.name}.jsonl"
    if not path.is_file():
        raise InvalidInput(f"{path} is missing", where="DIR")
    checked: set[frozenset[str]] = set()
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            where = f"{path.name}:{number}"
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"not valid JSON: {exc.msg}", where=where) from None
            if not isinstance(row, dict):
                raise InvalidInput("a row must be a JSON object", where=where)
            keys = frozenset(row)
            if keys not in checked:
                _check_columns(table, list(row), where)
                checked.add(keys)
            yield where, _decode(table, row, where)


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order rows of a self-referencing table (a tree) so that each parent comes first."""
    links = [fk for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        return rows
    key = links[0].column.name
    child = links[0].parent.name
    placed, ordered, pending = set(), [], rows
    while pending:
        pending_keys = {r[key] for r in pending}
        waiting = [r for r in pending if r.get(child) is not None and r[child] not in placed
                   and r[child] in pending_keys]
        waiting_ids = {id(r) for r in waiting}
        ready = [r for r in pending if id(r) not in waiting_ids]
        if not ready:
            raise InvalidInput(f"rows of {table.name} form a cycle through {child}", where="DIR")
        ordered.extend(ready)
        placed.update(r[key] for r in ready)
        pending = waiting
    return ordered


def reset_sequences(connection) -> None:
    """On PostgreSQL, move every `id` sequence past the table's largest id."""
    if connection.dialect.name != "postgresql":
        return
    for table in office_tables():
        if "id" not in table.c or not table.c["id"].primary_key:
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                      {"t": f'"{table.name}"'}).scalar()
        if sequence:
            connection.execute(text(
                f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'),
                {"s": sequence})


def import_office(engine: Engine, directory: Path, *, force: bool = False,
                  progress: Progress | None = None) -> dict[str, int]:
    """Load an export into this database in one transaction; return rows per table.

    The database must be at the current schema and empty, unless `force` is given: then
    its rows are deleted first, in the same transaction (nothing changes if import fails).
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    tables = {t.name: t for t in office_tables()}
    unknown = sorted(set(manifest["tables"]) - set(tables))
    if unknown:
        raise InvalidInput(f"table {unknown[0]!r} of the export does not exist in this database "
                           "(is this program older than the one that exported?)", where="DIR")
    if current_revision(engine) != head_revision():
        raise InvalidInput("the database schema is not current: run `callcenter init` first",
                           where="--db")
    if not force and row_count(engine) > 0:
        raise InvalidInput("the database is not empty; add --force to replace its contents",
                           where="import")
    counts: dict[str, int] = {}
    with _write_bind(engine).begin() as connection:
        if force:
            for table in reversed(office_tables()):
                connection.execute(table.delete())
        for name, table in tables.items():
            if name not in manifest["tables"]:
                continue
            columns = manifest["tables"][name].get("columns") or []
            _check_columns(table, columns, f"{MANIFEST}: tables.{name}")
            writer = _null_preserving(table)
            counts[name] = _insert(connection, table, writer, directory, columns, progress)
            expected = manifest["tables"][name].get("rows")
            if expected is not None and expected != counts[name]:
                raise InvalidInput(f"{name}.jsonl has {counts[name]} rows, the manifest says "
                                   f"{expected}: the export is incomplete", where="DIR")
        reset_sequences(connection)
    return counts


def _insert(connection, table: Table, writer: Table, directory: Path, columns: list[str],
            progress: Progress | None) -> int:
    rows = (row for _where, row in _read(directory, table, columns))
    if any(fk.column.table is table for fk in table.foreign_keys):
        rows = iter(_parents_first(table, list(rows)))
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            count += _flush(connection, writer, chunk, progress)
            chunk = []
    if chunk:
        count += _flush(connection, writer, chunk, progress)
    return count


def _flush(connection, writer: Table, chunk: list[dict[str, Any]], progress: Progress | None) -> int:
    # executemany needs the same keys in every row: group rows by their key set.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in chunk:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for rows in groups.values():
        connection.execute(writer.insert(), rows)
    if progress:
        progress(writer.name, len(chunk))
    return len(chunk)
