"""Indexes that let the supervisors' board and the reports read without touching rows.

`ix_request_open` is partial: it holds only open requests, so the board's per-category
and per-agent counts read a few thousand index entries even with millions of closed
requests. Its condition is literal SQL, and queries repeat exactly that text
(`OPEN_SQL`): SQLite uses a partial index only when the query names the same terms,
and PostgreSQL cannot prove a bound parameter matches it.
"""

from __future__ import annotations

from sqlalchemy import Index, text

from domain.requests import OPEN_STATUSES
from storage.tables import Request

OPEN_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES)))

# `status` leads so that SQLite, which has no statistics unless ANALYZE ran, sees the
# same `status IN (...)` search here as on other indexes and prefers this covering one.
OPEN_INDEX_COLUMNS = ("status", "category_id", "assigned_agent_id", "resolution_due_at",
                      "created_at", "assigned_at", "complaint", "escalated")
REPORTING_INDEX_COLUMNS = ("created_at", "type", "channel", "category_id", "problem_code_id",
                           "assigned_agent_id")
RESOLVED_INDEX_COLUMNS = ("resolved_at", "assigned_agent_id", "resolution_due_at")

_table = Request.__table__
Index("ix_request_open", *(_table.c[name] for name in OPEN_INDEX_COLUMNS),
      sqlite_where=text(OPEN_SQL), postgresql_where=text(OPEN_SQL))
Index("ix_request_reporting", *(_table.c[name] for name in REPORTING_INDEX_COLUMNS))
Index("ix_request_resolved", *(_table.c[name] for name in RESOLVED_INDEX_COLUMNS))


def open_requests():
    """The WHERE clause selecting open requests, spelled exactly as the partial index's."""
    return text(OPEN_SQL)
