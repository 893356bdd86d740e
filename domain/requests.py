"""Requests: their types, channels, lifecycle and which form sections each type needs."""

from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    """What the customer wants; decides which sections of the form appear."""

    INFORMATION = "information"
    ACTION = "action"
    COMMENT = "comment"


class Channel(StrEnum):
    """How the contact reached the office."""

    PHONE = "phone"
    EMAIL = "email"
    FAX = "fax"
    WEB = "web"
    SOCIAL = "social"
    CHAT = "chat"
    WALK_IN = "walk_in"


class Status(StrEnum):
    """Where a request is in its life."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    PENDING_CUSTOMER = "pending_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


OPEN_STATUSES: frozenset[Status] = frozenset(
    {Status.NEW, Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.REOPENED})

# Which status may follow which. Resolving straight from `new` is normal: most
# information calls are answered and closed within the call itself.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.PENDING_CUSTOMER: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset({Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
}


class TransitionError(ValueError):
    """A status change the lifecycle does not allow."""


def check_transition(old: Status | str, new: Status | str) -> Status:
    """Return `new` as a Status if a request may move from `old` to it, else raise."""
    old_s, new_s = Status(old), Status(new)
    if new_s not in TRANSITIONS[old_s]:
        allowed = ", ".join(sorted(TRANSITIONS[old_s])) or "nothing"
        raise TransitionError(f"a {old_s} request cannot become {new_s} (allowed: {allowed})")
    return new_s


class Section(StrEnum):
    """A part of the request form."""

    CUSTOMER = "customer"
    KNOWLEDGE_BASE = "knowledge_base"
    PROBLEM = "problem"
    WORK_ORDER = "work_order"
    COMMENT = "comment"
    RESOLUTION = "resolution"


SECTIONS_BY_TYPE: dict[RequestType | None, tuple[Section, ...]] = {
    None: (),
    RequestType.INFORMATION: (Section.KNOWLEDGE_BASE, Section.RESOLUTION),
    RequestType.ACTION: (Section.CUSTOMER, Section.PROBLEM, Section.WORK_ORDER),
    RequestType.COMMENT: (Section.COMMENT,),
}


def sections_for(request_type: RequestType | str | None) -> tuple[Section, ...]:
    """The form sections a request of this type needs (none while the type is unset)."""
    return SECTIONS_BY_TYPE[RequestType(request_type) if request_type else None]


class CommentAbout(StrEnum):
    """What a comment is about."""

    EMPLOYEE = "employee"
    OFFICE = "office"
    SERVICE = "service"
    OTHER = "other"


class CommentKind(StrEnum):
    """Whether a comment praises, complains, or just remarks."""

    COMPLIMENT = "compliment"
    COMPLAINT = "complaint"
    REMARK = "remark"


# Fields of a request that an agent edits in the form and that are saved as typed.
EDITABLE_FIELDS: frozenset[str] = frozenset({
    "type", "channel", "subject", "notes", "resolution_note", "comment_about",
    "comment_kind", "complaint", "address", "field_values", "customer_id",
    "problem_code_id", "category_id", "priority",
})
