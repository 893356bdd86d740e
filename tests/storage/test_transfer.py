"""Moving an office SQLite -> PostgreSQL -> SQLite as JSON files, with nothing changed."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import text

from domain.errors import InvalidInput
from scripts.benchlib.dataset import populate
from scripts.benchlib.generate import Sizes
from storage.engine import make_engine, run_write
from storage.requests import open_request, request_detail, save_fields
from storage.tables import RoutingCategory
from storage.transfer import MANIFEST, export_office, import_office

TINY = Sizes(requests=300, articles=40, agents=10, work_orders=20, customers=50, days=30)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def _office(url: str) -> None:
    """A generated office with every kind of row, plus a tree whose parent came later."""
    engine = make_engine(url)
    populate(engine, TINY, seed=7, now=NOW, console=Console(quiet=True))

    def reparent(session) -> None:
        late_parent = RoutingCategory(path="Later", name="Later", mode="queue")
        session.add(late_parent)
        session.flush()
        child = session.get(RoutingCategory, 2)
        child.parent_id = late_parent.id  # a parent with a larger id than its child
        session.add(child)

    run_write(engine, reparent)
    number = open_request(engine, now=NOW, agent_id=3, actor="agent003").number
    save_fields(engine, number=number, values={"subject": "Wywóz odpadów [/b] \x1b[31m",
                                               "field_values": {"item": "stove", "count": 2}},
                now=NOW, agent_id=3, actor="agent003")
    engine.dispose()


def _files(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.jsonl"))}


@pytest.mark.postgres
def test_an_office_moves_to_postgres_and_back_unchanged(sqlite_url, pg_url, tmp_path):
    _office(sqlite_url)
    first = export_office(make_engine(sqlite_url), tmp_path / "from-sqlite")
    counts = import_office(make_engine(pg_url), tmp_path / "from-sqlite")
    assert counts == {name: t["rows"] for name, t in first["tables"].items()}
    assert counts["request"] == TINY.requests + 1 and counts["article"] == TINY.articles
    export_office(make_engine(pg_url), tmp_path / "from-postgres")
    back = tmp_path / "back.db"
    from storage import schema

    schema.upgrade(make_engine(str(back)))
    import_office(make_engine(str(back)), tmp_path / "from-postgres")
    export_office(make_engine(str(back)), tmp_path / "back-again")
    original = _files(tmp_path / "from-sqlite")
    assert original == _files(tmp_path / "from-postgres") == _files(tmp_path / "back-again")
    assert all(original[name] for name in ("request.jsonl", "audit_log.jsonl", "article.jsonl",
                                           "customer.jsonl", "work_order.jsonl", "agent.jsonl"))


@pytest.mark.postgres
def test_new_rows_after_an_import_into_postgres_get_fresh_ids(sqlite_url, pg_url, tmp_path):
    _office(sqlite_url)
    export_office(make_engine(sqlite_url), tmp_path / "office")
    pg = make_engine(pg_url)
    import_office(pg, tmp_path / "office")
    number = open_request(pg, now=NOW, agent_id=None, actor="cli").number
    assert number == TINY.requests + 2
    assert request_detail(pg, number)["audit"][0]["action"] == "open"


def test_import_refuses_a_database_with_data_unless_forced(engine, tmp_path, now):
    open_request(engine, now=now, agent_id=None, actor="cli")
    export_office(engine, tmp_path / "office")
    with pytest.raises(InvalidInput, match="--force"):
        import_office(engine, tmp_path / "office")
    open_request(engine, now=now, agent_id=None, actor="cli")
    counts = import_office(engine, tmp_path / "office", force=True)
    assert counts["request"] == 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM request")).scalar_one() == 1


def test_a_broken_row_names_the_file_and_line_and_imports_nothing(sqlite_url, tmp_path, now):
    source = make_engine(sqlite_url)
    for _ in range(3):
        open_request(source, now=now, agent_id=None, actor="cli")
    export_office(source, tmp_path / "office")
    lines = (tmp_path / "office" / "audit_log.jsonl").read_text().splitlines()
    lines[1] = lines[1][:-5]
    (tmp_path / "office" / "audit_log.jsonl").write_text("\n".join(lines) + "\n")
    target_path = tmp_path / "target.db"
    from storage import schema

    target = make_engine(str(target_path))
    schema.upgrade(target)
    with pytest.raises(InvalidInput) as failure:
        import_office(target, tmp_path / "office")
    assert failure.value.where == "audit_log.jsonl:2"
    with target.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM request")).scalar_one() == 0


def test_an_unknown_column_is_refused_with_its_name(sqlite_url, tmp_path, now):
    source = make_engine(sqlite_url)
    open_request(source, now=now, agent_id=None, actor="cli")
    export_office(source, tmp_path / "office")
    path = tmp_path / "office" / "request.jsonl"
    row = json.loads(path.read_text())
    row["colour"] = "blue"
    path.write_text(json.dumps(row) + "\n")
    source.dispose()
    with pytest.raises(InvalidInput, match="'colour'"):
        import_office(source, tmp_path / "office", force=True)


def test_a_directory_without_manifest_is_not_an_export(engine, tmp_path):
    (tmp_path / "stuff").mkdir()
    with pytest.raises(InvalidInput, match=MANIFEST):
        import_office(engine, tmp_path / "stuff")


def test_export_refuses_a_directory_that_is_not_empty(engine, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not an empty directory"):
        export_office(engine, tmp_path / "full")
