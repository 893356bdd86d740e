"""Indexes that let the supervisors' board and the reports read without touching rows.

`ix_request_open` is partial: it holds only open requests, in (category, agent) order,
so the board's counts per queue and per agent are one streaming pass over a few
thousand index entries even with millions of closed requests. `ix_request_held` finds
the request each agent works on with one seek per agent. Their conditions are literal
SQL that queries repeat exactly (`OPEN_SQL`, `HELD_SQL`): SQLite uses a partial index
only when the query names the same terms, and PostgreSQL cannot prove that a bound
parameter matches one. `OPEN_SQL` says NOT IN on purpose: no other index can seek on
it, so SQLite scans this small covering index even without statistics.
"""

from __future__ import annotations

from sqlalchemy import Index, text

from domain.requests import OPEN_STATUSES, Status
from storage.tables import Request

_FINISHED = sorted(s.value for s in Status if s not in OPEN_STATUSES)
_WORKING = sorted(s.value for s in OPEN_STATUSES if s is not Status.PENDING_CUSTOMER)
OPEN_SQL = "status NOT IN ({})".format(", ".join(f"'{s}'" for s in _FINISHED))
HELD_SQL = "status IN ({}) AND assigned_agent_id IS NOT NULL".format(
    ", ".join(f"'{s}'" for s in _WORKING))

OPEN_INDEX_COLUMNS = ("category_id", "assigned_agent_id", "status", "resolution_due_at",
                      "created_at", "assigned_at", "complaint", "escalated")
HELD_INDEX_COLUMNS = ("assigned_agent_id", "assigned_at", "id")
REPORTING_INDEX_COLUMNS = ("created_at", "type", "channel", "category_id", "problem_code_id",
                           "assigned_agent_id")
RESOLVED_INDEX_COLUMNS = ("resolved_at", "assigned_agent_id", "resolution_due_at")

_table = Request.__table__
Index("ix_request_open", *(_table.c[name] for name in OPEN_INDEX_COLUMNS),
      sqlite_where=text(OPEN_SQL), postgresql_where=text(OPEN_SQL))
Index("ix_request_held", *(_table.c[name] for name in HELD_INDEX_COLUMNS),
      sqlite_where=text(HELD_SQL), postgresql_where=text(HELD_SQL))
Index("ix_request_reporting", *(_table.c[name] for name in REPORTING_INDEX_COLUMNS))
Index("ix_request_resolved", *(_table.c[name] for name in RESOLVED_INDEX_COLUMNS))


def open_requests():
    """The WHERE clause selecting open requests, spelled exactly as the partial index's."""
    return text(OPEN_SQL)


def held_requests():
    """The WHERE clause selecting requests an agent works on (not waiting for the customer)."""
    return text(HELD_SQL)
