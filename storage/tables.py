"""The database tables, as SQLModel classes. Only `storage/` imports this module.

Every timestamp is stored in UTC (`UTCDateTime`); names in several languages are JSON
objects keyed by language code (`{"en": "Solid Waste", "pl": "Odpady stałe"}`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import JSONDoc, UTCDateTime


def _json(nullable: bool = False, default: Any = None) -> Any:
    return Field(default_factory=(lambda: default() if callable(default) else default),
                 sa_column=Column(JSONDoc, nullable=nullable))


def _when(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime, nullable=nullable, index=index))


def _long_text(nullable: bool = False) -> Any:
    return Field(default="" if not nullable else None, sa_column=Column(Text, nullable=nullable))


# --- organisation -------------------------------------------------------------------


class OfficeSetting(SQLModel, table=True):
    """One key/value setting of the office (name, country, languages, default region)."""

    __tablename__ = "office_setting"
    key: str = Field(primary_key=True, max_length=64)
    value: Any = _json(nullable=True)


class BusinessCalendar(SQLModel, table=True):
    """Opening hours, time zone and holiday country that deadlines are counted on."""

    __tablename__ = "business_calendar"
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    country: Optional[str] = Field(default=None, max_length=8)
    subdivision: Optional[str] = Field(default=None, max_length=16)
    # {"mon": [["08:00", "17:00"]], "tue": [...], ...}; a missing day is closed.
    weekly_hours: Any = _json(default=dict)


class CalendarClosure(SQLModel, table=True):
    """An extra day the office is closed (besides public holidays)."""

    __tablename__ = "calendar_closure"
    __table_args__ = (UniqueConstraint("calendar_id", "day"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    calendar_id: int = Field(foreign_key="business_calendar.id", ondelete="CASCADE")
    day: str = Field(max_length=10)  # ISO date in the calendar's zone
    reason: str = Field(default="", max_length=200)


class Priority(SQLModel, table=True):
    """A priority level and the business-time targets it sets."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    names: Any = _json(default=dict)
    rank: int = Field(index=True)  # 1 = most urgent
    response_minutes: int
    resolution_minutes: int


class Department(SQLModel, table=True):
    """Top of the service hierarchy (e.g. Environmental Services)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    names: Any = _json(default=dict)


class Provider(SQLModel, table=True):
    """A provider within a department (e.g. Solid Waste)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    names: Any = _json(default=dict)


class ServiceCategory(SQLModel, table=True):
    """A service category that groups problem codes (e.g. Residential Garbage Collection)."""

    __tablename__ = "service_category"
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    names: Any = _json(default=dict)


class ProblemCode(SQLModel, table=True):
    """A concrete service problem; carries the standard work-order template."""

    __tablename__ = "problem_code"
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    service_category_id: int = Field(foreign_key="service_category.id", index=True)
    names: Any = _json(default=dict)
    description: str = _long_text()
    keywords: Any = _json(default=list)
    template_title: str = Field(default="", max_length=300)
    template_instructions: str = _long_text()
    default_priority: Optional[str] = Field(default=None, max_length=32)
    routing_category_id: Optional[int] = Field(default=None, foreign_key="routing_category.id")
    active: bool = True


class TemplateField(SQLModel, table=True):
    """One typed field a problem code's work-order template asks for."""

    __tablename__ = "template_field"
    __table_args__ = (UniqueConstraint("problem_code_id", "code"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    problem_code_id: int = Field(foreign_key="problem_code.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=64)
    position: int = 0
    kind: str = Field(max_length=16)  # domain.templates.FieldKind
    labels: Any = _json(default=dict)
    description: str = _long_text()
    required: bool = False
    variable: bool = True  # False: a read-only notice shown to the agent
    choices: Any = _json(default=list)  # [{"key": "stove", "names": {"en": "Stove"}}]


# --- people and routing -------------------------------------------------------------


class Agent(SQLModel, table=True):
    """A person who signs in: agent, supervisor or admin."""

    id: Optional[int] = Field(default=None, primary_key=True)
    login: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(default="agent", max_length=16)
    languages: Any = _json(default=list)
    password_hash: Optional[str] = Field(default=None, max_length=200)
    active: bool = True
    created_at: Optional[datetime] = _when()
    last_seen_at: Optional[datetime] = _when()


class AgentAbsence(SQLModel, table=True):
    """An out-of-office period; the agent gets no automatic assignments during it."""

    __tablename__ = "agent_absence"
    id: Optional[int] = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="agent.id", ondelete="CASCADE", index=True)
    starts_at: datetime = _when(nullable=False)
    ends_at: Optional[datetime] = _when()  # None: until set back
    reason: str = Field(default="", max_length=200)


class RoutingCategory(SQLModel, table=True):
    """A node of the routing tree (`Technical support/Hardware/Printers`) and its mode."""

    __tablename__ = "routing_category"
    id: Optional[int] = Field(default=None, primary_key=True)
    path: str = Field(max_length=400, unique=True)
    name: str = Field(max_length=200)
    parent_id: Optional[int] = Field(default=None, foreign_key="routing_category.id")
    mode: str = Field(default="queue", max_length=16)  # queue | round_robin | least_open
    keywords: Any = _json(default=list)
    supervisors_only: bool = False  # complaints and escalations land here


class CategoryMember(SQLModel, table=True):
    """An agent's membership of a routing category."""

    __tablename__ = "category_member"
    category_id: int = Field(foreign_key="routing_category.id", primary_key=True, ondelete="CASCADE")
    agent_id: int = Field(foreign_key="agent.id", primary_key=True, ondelete="CASCADE")
    last_assigned_at: Optional[datetime] = _when()  # round-robin fairness


class PriorityRule(SQLModel, table=True):
    """An ordered rule; the first whose conditions all match sets the priority."""

    __tablename__ = "priority_rule"
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    position: int = Field(index=True)
    name: str = Field(default="", max_length=200)
    conditions: Any = _json(default=dict)
    priority: str = Field(max_length=32)


# --- customers, requests, work orders -------------------------------------------------


class Customer(SQLModel, table=True):
    """A person or organisation that contacts the office."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, index=True)
    address: str = Field(default="", max_length=500)
    vip: bool = False
    notes: str = _long_text()
    created_at: Optional[datetime] = _when()


class CustomerContact(SQLModel, table=True):
    """A phone number (E.164) or e-mail address of a customer, indexed for lookup."""

    __tablename__ = "customer_contact"
    __table_args__ = (Index("ix_customer_contact_lookup", "kind", "value"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=8)  # phone | email
    value: str = Field(max_length=320)


class WorkOrder(SQLModel, table=True):
    """Work to be done, made from a problem code's template; many requests may link to it."""

    __tablename__ = "work_order"
    id: Optional[int] = Field(default=None, primary_key=True)
    problem_code_id: int = Field(foreign_key="problem_code.id", index=True)
    title: str = Field(max_length=300)
    instructions: str = _long_text()
    priority: Optional[str] = Field(default=None, max_length=32)
    status: str = Field(default="open", max_length=16)  # open | in_progress | done | cancelled
    address: str = Field(default="", max_length=500, index=True)
    field_values: Any = _json(default=dict)
    created_at: Optional[datetime] = _when()
    created_by_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    closed_at: Optional[datetime] = _when()


class Request(SQLModel, table=True):
    """A customer contact, numbered and committed the instant it starts (save first)."""

    __table_args__ = (
        Index("ix_request_queue", "status", "category_id", "assigned_agent_id", "resolution_due_at"),
        Index("ix_request_agent_status", "assigned_agent_id", "status"),
        Index("ix_request_category_status", "category_id", "status"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)  # the request number
    type: Optional[str] = Field(default=None, max_length=16)
    channel: str = Field(default="phone", max_length=16)
    status: str = Field(default="new", max_length=20)
    created_at: datetime = _when(nullable=False, index=True)
    updated_at: Optional[datetime] = _when()
    created_by_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    assigned_agent_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    assigned_at: Optional[datetime] = _when()
    customer_id: Optional[int] = Field(default=None, foreign_key="customer.id", index=True)
    category_id: Optional[int] = Field(default=None, foreign_key="routing_category.id")
    problem_code_id: Optional[int] = Field(default=None, foreign_key="problem_code.id")
    work_order_id: Optional[int] = Field(default=None, foreign_key="work_order.id", index=True)
    priority: Optional[str] = Field(default=None, max_length=32)
    response_due_at: Optional[datetime] = _when()
    resolution_due_at: Optional[datetime] = _when()
    deadline_explanation: Any = _json(nullable=True)
    first_response_at: Optional[datetime] = _when()
    resolved_at: Optional[datetime] = _when()
    closed_at: Optional[datetime] = _when()
    paused_at: Optional[datetime] = _when()  # pending_customer stops the clock
    complaint: bool = False
    escalated: bool = False
    subject: str = Field(default="", max_length=300)
    notes: str = _long_text()
    resolution_note: str = _long_text()
    comment_about: Optional[str] = Field(default=None, max_length=16)
    comment_kind: Optional[str] = Field(default=None, max_length=16)
    address: str = Field(default="", max_length=500)
    field_values: Any = _json(default=dict)


class Activity(SQLModel, table=True):
    """One line of a request's thread: a note, call, message or system event."""

    id: Optional[int] = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", ondelete="CASCADE", index=True)
    at: datetime = _when(nullable=False)
    agent_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    kind: str = Field(max_length=16)  # note | call | email | message | system | assignment
    body: str = _long_text()
    data: Any = _json(nullable=True)


class AuditEntry(SQLModel, table=True):
    """Append-only record of one change: who, when, what, old -> new."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = _when(nullable=False)
    actor_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    actor: str = Field(default="", max_length=64)  # login or "cli"/"system", kept if agent goes
    entity: str = Field(max_length=32)
    entity_id: str = Field(max_length=64)
    action: str = Field(max_length=32)
    changes: Any = _json(nullable=True)  # {"field": [old, new]}


# --- knowledge base ---------------------------------------------------------------------


class Article(SQLModel, table=True):
    """A knowledge-base article; `search_text` is the folded copy that is indexed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    slug: str = Field(max_length=200, unique=True)
    title: str = Field(max_length=300)
    body: str = _long_text()
    kind: str = Field(default="answer", max_length=16)  # answer | script | phones | url | link
    language: str = Field(max_length=8, index=True)
    tags: Any = _json(default=list)
    url: Optional[str] = Field(default=None, max_length=1000)
    phones: Any = _json(default=list)  # [{"label": "...", "number": "+48..."}]
    script: str = _long_text()
    status: str = Field(default="published", max_length=16)  # draft | published
    version: int = 1
    created_at: Optional[datetime] = _when()
    updated_at: Optional[datetime] = _when()
    updated_by_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    search_title: str = _long_text()
    search_body: str = _long_text()


class ArticleLink(SQLModel, table=True):
    """A link from one article to another by slug; `to_article_id` is None when broken."""

    __tablename__ = "article_link"
    from_article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    to_slug: str = Field(max_length=200, primary_key=True)
    to_article_id: Optional[int] = Field(default=None, foreign_key="article.id", ondelete="SET NULL")
    position: int = 0


class ArticleProblemCode(SQLModel, table=True):
    """An article linked to a problem code it helps with."""

    __tablename__ = "article_problem_code"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    problem_code_id: int = Field(foreign_key="problem_code.id", primary_key=True, ondelete="CASCADE")


class ArticleVersion(SQLModel, table=True):
    """A kept version of an article: who changed it, when, and its whole content."""

    __tablename__ = "article_version"
    __table_args__ = (UniqueConstraint("article_id", "version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE", index=True)
    version: int
    at: datetime = _when(nullable=False)
    agent_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    snapshot: Any = _json(default=dict)


class ArticleUsage(SQLModel, table=True):
    """An article opened during a request, or the one that answered it."""

    __tablename__ = "article_usage"
    __table_args__ = (Index("ix_article_usage_article", "article_id", "kind"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE")
    request_id: Optional[int] = Field(default=None, foreign_key="request.id", ondelete="CASCADE", index=True)
    agent_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    at: datetime = _when(nullable=False)
    kind: str = Field(max_length=16)  # opened | answered


class SearchLog(SQLModel, table=True):
    """A knowledge-base search and how many results it found (content gaps)."""

    __tablename__ = "kb_search_log"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = _when(nullable=False, index=True)
    agent_id: Optional[int] = Field(default=None, foreign_key="agent.id")
    request_id: Optional[int] = Field(default=None, foreign_key="request.id", ondelete="SET NULL")
    query: str = Field(max_length=300)
    language: Optional[str] = Field(default=None, max_length=8)
    result_count: int = 0


ALL_TABLES = SQLModel.metadata

import storage.tables_reporting  # noqa: E402,F401
import storage.tables_console  # noqa: E402,F401
import storage.tables_seed  # noqa: E402,F401
import storage.tables_routing  # noqa: E402,F401
