"""How values look on screen: times in the office's zone, translated names of codes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from console.i18n import _
from screens.keys import N_

TYPE_NAMES = {"information": N_("Information"), "action": N_("Action"), "comment": N_("Comment"),
              None: N_("type not chosen")}
CHANNEL_NAMES = {"phone": N_("Phone"), "email": N_("E-mail"), "fax": N_("Fax"), "web": N_("Web"),
                 "social": N_("Social media"), "chat": N_("Chat"), "walk_in": N_("Walk-in")}
STATUS_NAMES = {"new": N_("new"), "in_progress": N_("in progress"),
                "pending_customer": N_("waiting for customer"), "resolved": N_("resolved"),
                "closed": N_("closed"), "reopened": N_("reopened")}


def type_name(value: str | None) -> str:
    """The request type as the agent reads it."""
    return _(TYPE_NAMES.get(value, value or ""))


def channel_name(value: str) -> str:
    """The channel as the agent reads it."""
    return _(CHANNEL_NAMES.get(value, value))


def status_name(value: str) -> str:
    """The status as the agent reads it."""
    return _(STATUS_NAMES.get(value, value))


def local(at: datetime | None, zone: ZoneInfo, now: datetime | None = None) -> str:
    """`at` in the office's zone: the time alone today, with the date otherwise."""
    if at is None:
        return ""
    shown = at.astimezone(zone)
    if now is not None and shown.date() == now.astimezone(zone).date():
        return shown.strftime("%H:%M")
    return shown.strftime("%Y-%m-%d %H:%M")
