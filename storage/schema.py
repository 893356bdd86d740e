"""Schema versions: Alembic upgrades, downgrades and the "is this database current" check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.engine import _write_bind
from storage.errors import SchemaBehind

MIGRATIONS = Path(__file__).with_name("migrations")

# Tables, columns and indexes made by hand in migrations (full-text indexes and their
# shadow tables) that autogenerate must neither create nor try to drop.
HAND_MADE_PREFIXES = ("article_fts",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: leave hand-made search tables (and PostgreSQL's tsvector column and its index) alone."""
    return not (type_ in ("table", "column", "index") and name and name.startswith(HAND_MADE_PREFIXES))


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations, without an alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision this program knows."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, fn, *args) -> None:
    config = alembic_config()
    with _write_bind(engine).begin() as connection:
        config.attributes["connection"] = connection
        fn(config, *args)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`."""
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to `revision` (`base` drops everything)."""
    _run(engine, command.downgrade, revision)


def ensure_current(engine: Engine, *, auto_upgrade: bool = True) -> None:
    """Upgrade an older schema, or refuse clearly when we may not or it is newer."""
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
