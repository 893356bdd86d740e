"""PostgreSQL connections: pinged when taken out of the pool after idling, not on every use."""

from __future__ import annotations

from sqlalchemy import text

from storage import engine as engine_module
from storage.engine import make_engine


def _backend(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _count_pings(engine, monkeypatch) -> list[int]:
    pings = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def test_a_connection_just_given_back_is_not_pinged_again(pg_url, monkeypatch):
    engine = make_engine(pg_url)
    try:
        pings = _count_pings(engine, monkeypatch)
        first = _backend(engine)
        assert [_backend(engine) for _ in range(5)] == [first] * 5
        assert pings == []
    finally:
        engine.dispose()


def test_an_idle_connection_whose_server_side_died_is_replaced_unseen(pg_url, monkeypatch):
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    engine = make_engine(pg_url)
    other = make_engine(pg_url)
    try:
        pings = _count_pings(engine, monkeypatch)
        dead = _backend(engine)
        with other.connect() as connection:
            killed = connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})
            assert killed.scalar_one()
        alive = _backend(engine)  # pinged, found dead, replaced: no error reaches the caller
        assert alive != dead
        assert len(pings) >= 1
    finally:
        engine.dispose()
        other.dispose()
