"""What the board's rows look like: cells as literal Text, coloured by how urgent they are."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text

from console.i18n import _
from domain.monitor import AgentLoad, CategoryLoad, LoadState, QueueItem, TodaySummary
from screens.fmt import channel_name, local, status_name, type_name
from screens.monitor_tables import Row
from screens.safe import literal_line

STATE_STYLE = {LoadState.OVERDUE: "bold red", LoadState.AT_RISK: "bold yellow", LoadState.OK: ""}
UNCATEGORISED_KEY = "none"


def duration(since: datetime | None, now: datetime) -> str:
    """How long since `since`, compactly: "45s", "12m", "3h 05m", "2d 4h"."""
    if since is None:
        return ""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 60:
        return f"{minutes}m"
    if hours < 24:
        return f"{hours}h {minutes % 60:02d}m"
    return f"{days}d {hours % 24}h"


def until(due: datetime | None, now: datetime) -> str:
    """Time left to `due`, or how late it is ("-1h 05m")."""
    if due is None:
        return ""
    return duration(now, due) if due >= now else "-" + duration(due, now)


def _count(value: int, state: LoadState = LoadState.OK) -> Text:
    return Text(str(value) if value else "·", style=STATE_STYLE[state] if value else "dim")


def category_key(category_id: int | None) -> str:
    """The row key of a category (the uncategorised have one too)."""
    return UNCATEGORISED_KEY if category_id is None else str(category_id)


def category_row(load: CategoryLoad, zone: ZoneInfo, now: datetime) -> Row:
    """One category on the board; the name takes the colour of its worst deadline."""
    style = STATE_STYLE[load.state]
    name = literal_line(load.path, style) if load.path else Text(_("(uncategorised)"), style=style or "italic")
    due = Text(local(load.earliest_due_at, zone, now), style=style)
    if load.earliest_due_at is not None:
        due.append(f" ({until(load.earliest_due_at, now)})", style="dim" if not style else style)
    return category_key(load.category_id), [
        name, _count(load.depth), _count(load.unassigned),
        _count(load.overdue, LoadState.OVERDUE), _count(load.due_soon, LoadState.AT_RISK),
        _count(load.complaints, LoadState.AT_RISK), _count(load.escalations, LoadState.AT_RISK),
        Text(duration(load.oldest_waiting_at, now)), due]


def agent_row(agent: AgentLoad, now: datetime) -> Row:
    """One agent: there or not, what they work on and for how long, their load."""
    if agent.away:
        presence = Text(_("out of office"), style="magenta")
        if agent.away_reason:
            presence.append(" · ")
            presence.append_text(literal_line(agent.away_reason, "magenta"))
    elif agent.signed_in:
        presence = Text(_("signed in"), style="green")
    else:
        presence = Text(_("signed out"), style="dim")
    busy = Text(_("request {number}").format(number=agent.busy_with)) if agent.busy_with else Text("")
    return str(agent.id), [
        literal_line(agent.login), literal_line(agent.name), presence, busy,
        Text(duration(agent.busy_since, now)), _count(agent.open_requests),
        _count(agent.handled_today)]


def queue_row(item: QueueItem, zone: ZoneInfo, now: datetime) -> Row:
    """One request in a queue, in pull order."""
    style = STATE_STYLE[item.state]
    flags = " ".join(flag for flag, on in ((_("complaint"), item.complaint),
                                           (_("escalated"), item.escalated)) if on)
    due = Text(local(item.due_at, zone, now), style=style)
    if item.due_at is not None:
        due.append(f" ({until(item.due_at, now)})")
    return str(item.number), [
        Text(str(item.number), style=style), literal_line(item.subject),
        Text(type_name(item.type)), Text(channel_name(item.channel)),
        Text(status_name(item.status)), Text(item.priority or ""), due,
        Text(duration(item.created_at, now)),
        literal_line(item.assigned_agent or _("in the queue")), Text(flags, style="bold yellow")]


def today_text(today: TodaySummary) -> Text:
    """Today's totals, by type and by channel, deadlines kept, what waits for supervisors."""
    text = Text()
    text.append(_("Today ({day}): {total} requests").format(day=today.day, total=today.total),
                style="bold")
    text.append("\n" + _("By type") + ": ", style="bold")
    text.append(" · ".join(f"{type_name(None if key == '(none)' else key)} {count}"
                           for key, count in today.by_type.items()) or "—")
    text.append("\n" + _("By channel") + ": ", style="bold")
    text.append(" · ".join(f"{channel_name(key)} {count}" for key, count in today.by_channel.items()) or "—")
    text.append("\n" + _("Deadlines today") + ": ", style="bold")
    if today.compliance is None:
        text.append(_("none decided yet"), style="dim")
    else:
        style = "green" if today.compliance >= 0.9 else "yellow" if today.compliance >= 0.75 else "bold red"
        text.append(f"{today.compliance:.0%}", style=style)
        text.append(" " + _("kept ({met} met, {breached} breached)").format(
            met=today.sla_met, breached=today.sla_breached))
    text.append("\n" + _("Waiting for supervisors") + ": ", style="bold")
    text.append(_("{complaints} complaints, {escalations} escalations").format(
        complaints=today.complaints_waiting, escalations=today.escalations_waiting),
        style="bold yellow" if today.complaints_waiting or today.escalations_waiting else "")
    return text

