"""The benchmark data set: made once per (engine, scale, seed), then reused between runs.

SQLite: `bench-data/callcenter-s<scale>-seed<seed>-v<version>.db`. PostgreSQL: a database
`cc_bench_s<scale>_seed<seed>_v<version>` on the server that `--db URL` names. A data set
counts as made only when its marker setting (`bench_dataset`) is present, written last,
so an interrupted generation is started again. The key includes a hash of the migration
files, so a changed schema gets a new data set (`scripts/bench generate --prune` removes
old ones).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from storage import schema
from storage.engine import make_engine, normalise_url
from storage.transfer import reset_sequences

from .bulk import BulkLoader
from .generate import Sizes, load_articles, load_request_history, load_requests
from .machine import server_version
from .organisation import load_organisation

DATASET_VERSION = 3
DATA_DIR = Path(__file__).resolve().parents[2] / "bench-data"
MARKER = "bench_dataset"


@dataclass(frozen=True)
class Dataset:
    """A ready data set: its URL, sizes and the instant its year of requests ends."""

    url: str
    scale: float
    seed: int
    sizes: Sizes
    now: datetime
    generated_seconds: float | None = None

    @property
    def engine_name(self) -> str:
        """`sqlite` or `postgresql`."""
        return make_url(normalise_url(self.url)).get_backend_name()

    def describe(self) -> dict:
        """JSON-ready facts about the data set and its server's version (for reports)."""
        engine = make_engine(self.url)
        try:
            version = server_version(engine)
        finally:
            engine.dispose()
        return {"scale": self.scale, "seed": self.seed, "sizes": asdict(self.sizes),
                "now": self.now.isoformat(), "engine": self.engine_name, "server": version,
                "generated_seconds": self.generated_seconds}


@functools.cache
def _schema_hash() -> str:
    """A short hash of the migration files: a data set is remade when they change."""
    digest = hashlib.sha256()
    for path in sorted((schema.MIGRATIONS / "versions").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def _key(scale: float, seed: int) -> str:
    return f"s{scale:g}-seed{seed}-v{DATASET_VERSION}-{_schema_hash()}".replace(".", "_")


def _is_postgres(url: str | None) -> bool:
    return bool(url) and make_url(normalise_url(url)).get_backend_name() == "postgresql"


def _pg_admin(url: str) -> Engine:
    return make_engine(url).execution_options(isolation_level="AUTOCOMMIT")


def _pg_database_url(server_url: str, database: str) -> str:
    return make_url(normalise_url(server_url)).set(database=database).render_as_string(hide_password=False)


def _marker(engine: Engine) -> dict | None:
    try:
        with engine.connect() as connection:
            value = connection.execute(text("SELECT value FROM office_setting WHERE key = :k"),
                                       {"k": MARKER}).scalar()
    except Exception:
        return None
    if value is None:
        return None
    return json.loads(value) if isinstance(value, str) else value


def _write_marker(engine: Engine, facts: dict) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO office_setting (key, value) VALUES (:k, :v)"),
                           {"k": MARKER, "v": json.dumps(facts)})


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)


def populate(engine: Engine, sizes: Sizes, *, seed: int, now: datetime, console: Console) -> None:
    """Fill a freshly migrated, empty database with the generated office."""
    rng = random.Random(seed)
    loader = BulkLoader(engine)
    loader.defer_indexes(["request", "audit_log", "activity", "article_usage", "customer_contact"])
    with _progress(console) as progress:
        org_task = progress.add_task("organisation, agents", total=1)
        org = load_organisation(loader, rng=rng, agents=sizes.agents, now=now)
        progress.advance(org_task)
        task = progress.add_task("requests", total=sizes.requests)
        facts = load_requests(loader, org, sizes, rng=rng, now=now, progress=progress, task=task)
        audit_total = len(facts.created) + sum(1 for s in facts.status if s)
        task = progress.add_task("audit log, activity", total=audit_total)
        load_request_history(loader, facts, rng=rng, progress=progress, task=task)
        task = progress.add_task("articles", total=sizes.articles)
        load_articles(loader, org, sizes, rng=rng, now=now, progress=progress, task=task)
        task = progress.add_task("indexes, commit", total=1)
        loader.commit()
        progress.advance(task)
    with engine.begin() as connection:
        reset_sequences(connection)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    # SQLite: loaded with a rollback journal and switched back to WAL, so no WAL to fold in.


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)


def _sqlite_path(scale: float, seed: int) -> Path:
    return DATA_DIR / f"callcenter-{_key(scale, seed)}.db"


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-pull.lock"):  # the lock file: storage.pull_turns
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{path}-pull.orders", ignore_errors=True)  # storage.pull_orders


def _newest_stale(scale: float, seed: int) -> Path | None:
    """The newest SQLite data set of this scale and seed made under other migrations."""
    prefix = f"callcenter-{_key(scale, seed).rsplit('-', 1)[0]}-"
    candidates = sorted(DATA_DIR.glob(f"{prefix}*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    return candidates[0] if candidates else None


def dataset(url: str | None = None, *, scale: float = 1.0, seed: int = 42, fresh: bool = False,
            stale_ok: bool = False, console: Console | None = None) -> Dataset:
    """The data set for this engine, scale and seed: reused if made before, else generated.

    `url` is None for SQLite (a file under bench-data/) or a PostgreSQL URL naming the
    server (its database part is replaced). `fresh=True` throws a cached copy away.
    `stale_ok=True` (SQLite) reuses the newest data set made under older migration files,
    upgraded by revision: quicker, but a migration edited in place is not applied to it.
    """
    console = console or Console(stderr=True)
    sizes = Sizes.for_scale(scale)
    if _is_postgres(url):
        name = f"cc_bench_{_key(scale, seed)}".lower()
        admin = _pg_admin(url)
        target = _pg_database_url(url, name)
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": name}).scalar()
        engine = make_engine(target) if exists else None
        marker = None if fresh or engine is None else _marker(engine)
        if marker is None:
            if engine is not None:
                engine.dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            engine = make_engine(target)
        admin.dispose()
    else:
        if url:
            raise ValueError("--db takes a PostgreSQL URL; SQLite data sets live under bench-data/")
        path = _sqlite_path(scale, seed)
        if stale_ok and not fresh and not path.exists():
            path = _newest_stale(scale, seed) or path
        target = str(path)
        if fresh:
            _remove_sqlite(path)
        engine = make_engine(target) if path.exists() else None
        marker = None if engine is None else _marker(engine)
        if marker is None:
            if engine is not None:
                engine.dispose()
            _remove_sqlite(path)
            engine = make_engine(target)
    try:
        if marker is not None:
            schema.ensure_current(engine)
            return Dataset(url=target, scale=scale, seed=seed, sizes=sizes,
                           now=datetime.fromisoformat(marker["now"]),
                           generated_seconds=marker.get("generated_seconds"))
        console.print(f"generating data set {_key(scale, seed)} ({sizes.requests:,} requests, "
                      f"{sizes.articles:,} articles) into {make_url(normalise_url(target)).render_as_string()}")
        started = time.perf_counter()
        schema.upgrade(engine)
        now = _now()
        populate(engine, sizes, seed=seed, now=now, console=console)
        seconds = round(time.perf_counter() - started, 1)
        _write_marker(engine, {"scale": scale, "seed": seed, "now": now.isoformat(),
                               "version": DATASET_VERSION, "generated_seconds": seconds})
        console.print(f"data set ready in {seconds:.0f} s")
        return Dataset(url=target, scale=scale, seed=seed, sizes=sizes, now=now,
                       generated_seconds=seconds)
    finally:
        engine.dispose()


@contextmanager
def working_copy(data: Dataset) -> Iterator[str]:
    """A throw-away copy of the data set for benchmarks that write; removed afterwards."""
    suffix = uuid.uuid4().hex[:8]
    if data.engine_name == "sqlite":
        source = Path(make_url(normalise_url(data.url)).database)
        copy = source.with_name(f"work-{suffix}-{source.name}")
        shutil.copyfile(source, copy)
        if Path(f"{source}-wal").exists():
            shutil.copyfile(f"{source}-wal", f"{copy}-wal")
        try:
            yield str(copy)
        finally:
            _remove_sqlite(copy)
        return
    source = make_url(normalise_url(data.url)).database
    name = f"cc_work_{suffix}"
    admin = _pg_admin(data.url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    try:
        yield _pg_database_url(data.url, name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_size(url: str) -> int:
    """Bytes the database takes (file plus WAL on SQLite, pg_database_size on PostgreSQL)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return sum(os.path.getsize(f"{parsed.database}{s}") for s in ("", "-wal")
                   if os.path.exists(f"{parsed.database}{s}"))
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    finally:
        engine.dispose()


def prune(url: str | None, keep: Dataset) -> list[str]:
    """Remove cached data sets other than `keep` (old seeds, scales or schemas); their names."""
    removed = []
    if _is_postgres(url):
        keep_name = make_url(normalise_url(keep.url)).database
        admin = _pg_admin(url)
        with admin.connect() as connection:
            names = connection.execute(text(
                "SELECT datname FROM pg_database WHERE datname LIKE 'cc\\_bench\\_%'")).scalars().all()
            for name in names:
                if name != keep_name:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    removed.append(name)
        admin.dispose()
        return removed
    keep_path = Path(make_url(normalise_url(keep.url)).database).resolve()
    for path in DATA_DIR.glob("callcenter-*.db"):
        if path.resolve() != keep_path:
            _remove_sqlite(path)
            removed.append(path.name)
    return removed
