"""The index behind pull-next: open, unassigned requests per category in deadline order.

`ix_request_pull` is partial: it holds only requests waiting in a queue, so finding the
earliest deadline in a category is a short index seek however many requests the office
has handled. Its condition is literal SQL that queries repeat exactly (`QUEUED_SQL`):
SQLite uses a partial index only when the query names the same terms, and PostgreSQL
cannot prove that a bound parameter matches it.
"""

from __future__ import annotations

from sqlalchemy import Index, text

from storage.tables import Request

# Statuses a request may wait in a queue with; pending_customer waits for the customer.
QUEUED_STATUSES = ("in_progress", "new", "reopened")
QUEUED_SQL = "assigned_agent_id IS NULL AND status IN ({})".format(
    ", ".join(f"'{s}'" for s in QUEUED_STATUSES))
PULL_INDEX = "ix_request_pull"
PULL_INDEX_COLUMNS = ("category_id", "resolution_due_at", "created_at", "id")

_table = Request.__table__
Index(PULL_INDEX, *(_table.c[name] for name in PULL_INDEX_COLUMNS),
      sqlite_where=text(QUEUED_SQL), postgresql_where=text(QUEUED_SQL))


def queued():
    """The WHERE clause selecting requests waiting in a queue, spelled as the index's."""
    return text(QUEUED_SQL)
