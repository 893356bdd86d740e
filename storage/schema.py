"""Schema versions: Alembic upgrades, downgrades and the "is this database current" check.

The check that runs before every command and before the console opens is cheap: the
head revision is read from the migration files' `revision = …` / `down_revision = …`
lines and compared with the database's `alembic_version` row by plain SQL. Alembic (a
third of a second of imports) is loaded only when the two differ, to upgrade or to
explain why not. `tests/cli/test_start.py` checks that the cheap head equals Alembic's.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from storage.errors import SchemaBehind

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")

# Tables, columns and indexes made by hand in migrations (full-text indexes and their
# shadow tables) that autogenerate must neither create nor try to drop.
HAND_MADE_PREFIXES = ("article_fts",)

_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]\s*$", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M)
_QUOTED = re.compile(r"^['\"]([^'\"]+)['\"]$")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: leave hand-made search tables (and PostgreSQL's tsvector column and its index) alone."""
    return not (type_ in ("table", "column", "index") and name and name.startswith(HAND_MADE_PREFIXES))


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations, without an alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision this program knows."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def quick_head_revision() -> str | None:
    """The head revision read from the migration files' text, without Alembic.

    None when the files are not the plain linear chain this reader understands (a merge,
    a tuple `down_revision`, two heads): callers then ask Alembic.
    """
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        if path.name.startswith("__"):
            continue
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return None
        down_value = down.group(1)
        if down_value == "None":
            parent = None
        elif quoted := _QUOTED.match(down_value):
            parent = quoted.group(1)
        else:
            return None
        revisions[revision.group(1)] = parent
    heads = set(revisions) - set(revisions.values())
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _stored_revisions(engine: Engine) -> list[str] | None:
    """The `alembic_version` rows by plain SQL; None when the table is not there."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return [row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))]


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite database named by a bare path or a plain `sqlite:///` URL.

    None for anything else (other databases, in-memory, URLs with options): those take
    the full check through SQLAlchemy.
    """
    if "://" not in url:
        return None if url in ("", ":memory:") else str(Path(url).expanduser().absolute())
    prefix = "sqlite:///"
    if url.startswith(prefix) and not {"?", "%"} & set(url) and len(url) > len(prefix):
        return url[len(prefix):]
    return None


def sqlite_file_is_current(url: str) -> bool:
    """True when `url` names an existing SQLite file at the head revision.

    Uses the standard library only (no SQLAlchemy, no Alembic), read-only, so the console
    can make this check before it paints. False means "do the full check", not "behind".
    """
    path = sqlite_path(url)
    if path is None or not Path(path).is_file():
        return False
    head = quick_head_revision()
    if head is None:
        return False
    try:
        connection = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return rows == [(head,)]


def _run(engine: Engine, fn, *args) -> None:
    from storage.engine import _write_bind

    config = alembic_config()
    with _write_bind(engine).begin() as connection:
        config.attributes["connection"] = connection
        fn(config, *args)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`."""
    from alembic import command

    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to `revision` (`base` drops everything)."""
    from alembic import command

    _run(engine, command.downgrade, revision)


def ensure_current(engine: Engine, *, auto_upgrade: bool = True) -> None:
    """Upgrade an older schema, or refuse clearly when we may not or it is newer."""
    quick_head = quick_head_revision()
    if quick_head is not None and _stored_revisions(engine) == [quick_head]:
        return
    from alembic.script import ScriptDirectory

    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise SchemaBehind(
            f"database schema {current} is newer than this program ({head}); upgrade callcenter")
    if not auto_upgrade:
        raise SchemaBehind(
            f"database schema is at {current or 'nothing'}, this program needs {head}: "
            "run `callcenter init`")
    upgrade(engine)
