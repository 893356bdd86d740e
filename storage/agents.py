"""Agents: adding, passwords, sign-in, memberships and out-of-office periods."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, select

from domain.errors import InvalidInput
from domain.passwords import hash_password, verify_password
from domain.records import AgentRecord
from domain.roles import Role
from storage import audit
from storage.engine import read_session, run_write
from storage.errors import NotFound
from storage.tables import Agent, AgentAbsence, CategoryMember, RoutingCategory


def _absent_now(session: Session, agent_id: int, now: datetime) -> bool:
    return session.exec(select(AgentAbsence.id).where(
        AgentAbsence.agent_id == agent_id, AgentAbsence.starts_at <= now,
        or_(AgentAbsence.ends_at.is_(None), AgentAbsence.ends_at > now))).first() is not None


def to_record(session: Session, agent: Agent, now: datetime | None = None) -> AgentRecord:
    """The read model of `agent`, with its category paths and whether it is away."""
    paths = session.exec(select(RoutingCategory.path).join(
        CategoryMember, CategoryMember.category_id == RoutingCategory.id).where(
        CategoryMember.agent_id == agent.id).order_by(RoutingCategory.path)).all()
    return AgentRecord(id=agent.id, login=agent.login, name=agent.name, role=agent.role,
                       languages=list(agent.languages or []), active=agent.active,
                       categories=list(paths),
                       away=_absent_now(session, agent.id, now) if now else False)


def agent_by_login(session: Session, login: str) -> Agent:
    """The agent with `login`, or NotFound."""
    agent = session.exec(select(Agent).where(Agent.login == login)).first()
    if agent is None:
        raise NotFound(f"no agent with login {login!r}")
    return agent


def category_by_path(session: Session, path: str) -> RoutingCategory:
    """The routing category at `path`, or NotFound."""
    category = session.exec(select(RoutingCategory).where(RoutingCategory.path == path)).first()
    if category is None:
        raise NotFound(f"no routing category {path!r}")
    return category


def add_agent(engine: Engine, *, login: str, name: str, role: str, now: datetime,
              password: str | None = None, languages: list[str] | None = None,
              categories: list[str] = (), actor: str = "cli") -> AgentRecord:
    """Create an agent (refusing a login that exists) and its memberships."""
    if not login or not login.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise InvalidInput(f"{login!r} may only use letters, digits, '.', '_' and '-'", where="login")
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"{role!r} is not one of agent, supervisor, admin", where="role") from None
    password_hash = hash_password(password) if password is not None else None

    def work(session: Session) -> AgentRecord:
        if session.exec(select(Agent.id).where(Agent.login == login)).first() is not None:
            raise InvalidInput(f"an agent with login {login!r} already exists", where="login")
        agent = Agent(login=login, name=name, role=role, languages=languages or ["en"],
                      password_hash=password_hash, created_at=now)
        session.add(agent)
        session.flush()
        for path in categories:
            session.add(CategoryMember(category_id=category_by_path(session, path).id, agent_id=agent.id))
        audit.record(session, at=now, actor_id=None, actor=actor, entity="agent", entity_id=agent.id,
                     action="create", changes={"login": [None, login], "role": [None, role],
                                               "categories": [None, list(categories)]})
        session.flush()
        return to_record(session, agent, now)

    return run_write(engine, work)


def set_password(engine: Engine, *, login: str, password: str, now: datetime, actor: str = "cli") -> None:
    """Replace an agent's password hash."""
    password_hash = hash_password(password)

    def work(session: Session) -> None:
        agent = agent_by_login(session, login)
        agent.password_hash = password_hash
        session.add(agent)
        audit.record(session, at=now, actor_id=None, actor=actor, entity="agent",
                     entity_id=agent.id, action="password")

    run_write(engine, work)


def authenticate(engine: Engine, *, login: str, password: str, now: datetime) -> AgentRecord | None:
    """The agent if login and password match an active agent; None otherwise (no hint which)."""
    with read_session(engine) as session:
        agent = session.exec(select(Agent).where(Agent.login == login)).first()
    if not verify_password(agent.password_hash if agent else None, password) or not agent.active:
        return None

    def work(session: Session) -> AgentRecord:
        fresh = session.get(Agent, agent.id)
        fresh.last_seen_at = now
        session.add(fresh)
        session.flush()
        return to_record(session, fresh, now)

    return run_write(engine, work)


def mark_seen(engine: Engine, agent_id: int, *, now: datetime) -> None:
    """Record that a signed-in agent's console is still running (the monitor's "signed in")."""

    def work(session: Session) -> None:
        session.execute(update(Agent).where(Agent.id == agent_id).values(last_seen_at=now))

    run_write(engine, work)


def list_agents(engine: Engine, *, now: datetime) -> list[AgentRecord]:
    """Every agent, by login."""
    with read_session(engine) as session:
        return [to_record(session, a, now) for a in session.exec(select(Agent).order_by(Agent.login))]


def set_away(engine: Engine, *, login: str, starts_at: datetime, ends_at: datetime | None,
             reason: str, now: datetime, actor: str = "cli") -> None:
    """Record an out-of-office period; no automatic assignment reaches the agent in it."""
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput("must be after --from", where="--to")

    def work(session: Session) -> None:
        agent = agent_by_login(session, login)
        absence = AgentAbsence(agent_id=agent.id, starts_at=starts_at, ends_at=ends_at, reason=reason)
        session.add(absence)
        audit.record(session, at=now, actor_id=None, actor=actor, entity="agent", entity_id=agent.id,
                     action="away", changes={"away": [None, {"from": starts_at, "to": ends_at,
                                                             "reason": reason}]})

    run_write(engine, work)


def set_back(engine: Engine, *, login: str, now: datetime, actor: str = "cli") -> int:
    """End every current or future absence of the agent now; returns how many changed."""

    def work(session: Session) -> int:
        agent = agent_by_login(session, login)
        open_absences = session.exec(select(AgentAbsence).where(
            AgentAbsence.agent_id == agent.id,
            or_(AgentAbsence.ends_at.is_(None), AgentAbsence.ends_at > now))).all()
        for absence in open_absences:
            if absence.starts_at > now:
                session.delete(absence)
            else:
                absence.ends_at = now
                session.add(absence)
        audit.record(session, at=now, actor_id=None, actor=actor, entity="agent",
                     entity_id=agent.id, action="back", changes={"absences_ended": [None, len(open_absences)]})
        return len(open_absences)

    return run_write(engine, work)
