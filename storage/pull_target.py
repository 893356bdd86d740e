"""Who is pulling, and from which categories: read before every pull."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine import Connection, Dialect

from domain.roles import can_supervise
from storage.errors import NotFound
from storage.raw_statement import RawStatement
from storage.tables import Agent, CategoryMember, RoutingCategory


@dataclass(frozen=True)
class PullTarget:
    """Who is pulling, and from which categories."""

    agent_id: int
    login: str
    supervisor: bool
    categories: dict[int, str]


_TARGET = (select(Agent.id, Agent.login, Agent.role, RoutingCategory.id.label("category_id"),
                  RoutingCategory.path)
           .select_from(Agent).outerjoin(CategoryMember, CategoryMember.agent_id == Agent.id)
           .outerjoin(RoutingCategory, RoutingCategory.id == CategoryMember.category_id)
           .where(Agent.id == bindparam("agent_id")))


def pull_target(connection: Connection, agent_id: int) -> PullTarget:
    """The agent's role and categories, or NotFound."""
    return _target(agent_id, connection.execute(_TARGET, {"agent_id": agent_id}).all())


def pull_target_raw(engine: Engine, agent_id: int) -> PullTarget:
    """`pull_target` on a DBAPI cursor: read by every SQLite pull just before it queues
    for the write lock, on cores the lock holder needs."""
    statement = _raw_target(engine.dialect)
    connection = engine.raw_connection()
    try:
        rows = statement.execute(connection.cursor(), {"agent_id": agent_id}).fetchall()
    finally:
        connection.close()
    return _target(agent_id, rows)


def _target(agent_id: int, rows) -> PullTarget:
    """PullTarget from `_TARGET`'s rows (id, login, role, category_id, path)."""
    if not rows:
        raise NotFound(f"no agent with id {agent_id}")
    (ident, login, role, _category, _path) = rows[0]
    return PullTarget(ident, login, can_supervise(role),
                      {category: path for *_agent, category, path in rows if category is not None})


@lru_cache(maxsize=8)
def _raw_target(dialect: Dialect) -> RawStatement:
    return RawStatement(_TARGET, dialect, ("agent_id",))
