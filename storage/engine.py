"""Engines and sessions: the only place a database connection is opened.

SQLite runs in WAL mode with foreign keys on, `synchronous=FULL` (a committed request
survives power loss) and a generous busy timeout. Python's sqlite3 module is told not to
start transactions itself, so that write sessions can begin with `BEGIN IMMEDIATE`: the
write lock is taken up front and one transaction never upgrades a read lock into a
write lock while another console does the same (which deadlocks into "database is
locked"). On top of that every write is retried with a short jittered back-off.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from storage.errors import StorageError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
_IMMEDIATE = "callcenter_begin_immediate"


def normalise_url(url: str) -> str:
    """Turn a bare path into a SQLite URL and `postgresql://` into the psycopg 3 driver."""
    if "://" not in url:
        if url == ":memory:":
            return "sqlite://"
        return f"sqlite:///{Path(url).expanduser().absolute()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def display_url(url: str) -> str:
    """The URL with any password hidden, for printing."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for `url` with the connection settings this project relies on."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, in_memory=parsed.database in (None, "", ":memory:"), echo=echo)
    return _postgres_engine(url, echo=echo)


# A connection given back to the pool less than this long ago is not pinged again when it
# is taken out: SQLAlchemy's `pool_pre_ping` pings on every checkout, a round trip that
# costs as much as a pull's claim (client and server CPU on shared cores). An idle
# connection is pinged, and a dead one replaced before anyone uses it, as with
# `pool_pre_ping`. What the interval leaves: a server that went away within the last
# second fails one statement, and the pool then drops its connections.
PING_AFTER_IDLE_SECONDS = 1.0


def _postgres_engine(url: str, *, echo: bool) -> Engine:
    engine = create_engine(url, echo=echo, pool_size=5, max_overflow=5)

    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi_connection, record) -> None:
        record.info["given_back_at"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record) -> None:
        record.info["given_back_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_when_idle(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get("given_back_at", 0.0) < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            if engine.dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError(str(exc)) from exc  # the pool connects afresh
            raise

    return engine


def _sqlite_engine(url: str, *, in_memory: bool, echo: bool) -> Engine:
    if in_memory:
        # Thread workers must see the same in-memory database: one shared connection.
        engine = create_engine(url, echo=echo, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        Path(make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={
            "check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    """True when `engine` talks to SQLite."""
    return engine.dialect.name == "sqlite"


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; objects stay usable after it closes."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def _write_bind(engine: Engine) -> Engine:
    return engine.execution_options(**{_IMMEDIATE: True}) if is_sqlite(engine) else engine


def _is_transient(exc: Exception) -> bool:
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc).lower()
    return any(word in message for word in (
        "database is locked", "database is busy", "deadlock detected",
        "could not serialize access", "server closed the connection"))


def run_write(engine: Engine, work: Callable[[Session], T], *, attempts: int = 8) -> T:
    """Run `work(session)` in one write transaction, commit, and return its result.

    Transient lock or serialisation failures are retried with jittered back-off, so that
    no agent ever sees "database is locked"; `work` must therefore be safe to repeat.
    """
    delay = 0.01
    for attempt in range(1, attempts + 1):
        try:
            with Session(_write_bind(engine), expire_on_commit=False) as session:
                result = work(session)
                session.commit()
                return result
        except OperationalError as exc:
            if attempt == attempts or not _is_transient(exc):
                raise StorageError(f"database error: {exc.orig or exc}") from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)
    raise AssertionError("unreachable")


def run_raw_write(engine: Engine, work: Callable[[Any], T], *,
                  begin: Callable[[Any], AbstractContextManager[Any]] | None = None,
                  attempts: int = 8) -> T:
    """Run `work(cursor)` on a DBAPI cursor in one write transaction (`BEGIN IMMEDIATE` on
    SQLite), commit, and return its result: `run_write` without the Session, for the hot
    path whose statements are `storage.raw_statement.RawStatement`s. Retried like
    `run_write`, so `work` must be safe to repeat. `work` may leave no transaction open
    (PostgreSQL's pull is one call in autocommit); the commit here is then a no-op.

    `begin(cursor)`, if given, is a context manager that opens the transaction on entry
    and is left after the commit: how the caller waits for its turn.
    """
    begin = begin or (_begin_immediate if is_sqlite(engine) else _begun_by_the_driver)
    transient = engine.dialect.loaded_dbapi.OperationalError
    delay = 0.01
    for attempt in range(1, attempts + 1):
        connection = engine.raw_connection()
        try:
            with begin(cursor := connection.cursor()):
                result = work(cursor)
                connection.commit()
            return result
        except transient as exc:
            _roll_back(connection, transient)
            if attempt == attempts or not _is_transient(exc):
                raise StorageError(f"database error: {exc}") from exc
        except BaseException:
            _roll_back(connection, transient)
            raise
        finally:
            connection.close()
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.5)
    raise AssertionError("unreachable")


def _roll_back(connection: Any, transient: type[Exception]) -> None:
    try:
        connection.rollback()
    except transient:  # the connection itself is gone: the pool must not hand it out again
        connection.invalidate()


@contextmanager
def _begin_immediate(cursor: Any) -> Iterator[None]:
    cursor.execute("BEGIN IMMEDIATE")
    yield


@contextmanager
def _begun_by_the_driver(_cursor: Any) -> Iterator[None]:
    yield  # psycopg opens a transaction with the first statement


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction that commits at the end (no retry; prefer `run_write`)."""
    with Session(_write_bind(engine), expire_on_commit=False) as session:
        yield session
        session.commit()
