"""Who may do what."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """An agent's role."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# Supervisors and admins manage queues, absences and the knowledge base.
SUPERVISING = (Role.SUPERVISOR, Role.ADMIN)


def can_supervise(role: Role | str) -> bool:
    """Supervisors and admins manage queues, absences and the knowledge base."""
    return Role(role) in SUPERVISING
