"""SQLite pull-next: the puller whose turn it is claims for everyone waiting.

SQLite has one write lock. Passing it from one process to the next costs about as much
as the work done with it: `scripts/bench pull` timed the bare UPDATE commit at 0.58 ms
for one process committing again and again, and at 1.0 ms when 8 processes took turns
(2026-11-26, 2 cores). So pullers combine their claims:

- A puller posts its order on a board (`storage.pull_orders`) and takes the turn
  (`storage.pull_turns`) if it is free. If it is not, it waits on its order's pipe.
- The puller whose turn it is withdraws its own order and takes the others off the
  board (oldest first, up to `MAX_PER_TURN` claims in all; taking is a rename, which
  succeeds once). It claims for itself first, then for them, in one `BEGIN IMMEDIATE`
  transaction with one commit; removes the orders it claimed for and puts back any it
  could not claim for; gives the turn back; then sends each poster its answer and tells
  the oldest order still waiting that the turn is free.
- A poster told the turn is free tries to take it. A poster whose order was claimed for
  only waits for the answer.

Nothing about atomicity changes. Every claim is chosen and made under the write lock,
one after another on one connection, each seeing the ones before it, exactly as if each
puller had taken its own turn; and no order can be taken twice, even by two pullers
that both believe the turn is theirs. Each claim is made for its poster, with what the
poster read before posting: their agent, their time, their audit entry. A claim for
someone else that fails (a constraint, say: their agent was deleted meanwhile) is undone
alone, with a savepoint, and the order goes back on the board: its poster then claims
for itself and meets the error itself. The oldest orders are served first, 15 in a
turn besides the holder's own.

When a process dies:
- holding the turn: the kernel frees it, and the others look again within
  `_LOOK_AGAIN_SECONDS`;
- after taking orders: its poster finds the order abandoned (the taker's flock is
  gone), reads whether a claim was committed for it (the request assigned to the agent
  at the order's time), and if not puts the order back;
- after its commit, before it told the answers: the posters read their claims from the
  database after `_ANSWER_SECONDS`;
- a poster, after its order was taken: it is still claimed for; the agent finds that
  request at their next pull ("you still hold request N").
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import ExitStack, suppress
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.engine import Dialect

from domain.requests import Status
from storage import audit
from storage.engine import run_raw_write
from storage.pull_orders import (Answer, BoardUnavailable, Order, Posting, State, Taken, answer, board_for,
                                 posted, put_back, remove, take_orders, wake_next)
from storage.pull_target import PullTarget
from storage.pull_turns import give_turn_back, try_turn, turn_handle, turn_lock_path
from storage.queue_claim import R, sqlite_choice, sqlite_claim

# A turn is held for one claim per order on the board, up to this many; the rest wait for the next.
MAX_PER_TURN = 16
# How long a poster waits before it looks at the turn on its own: only when word that the
# turn is free went astray (the puller whose turn it was died, say).
_LOOK_AGAIN_SECONDS = 0.02
# How long a poster whose order was claimed for waits for the answer before it reads what
# was claimed from the database: only if the puller that claimed for it died first.
_ANSWER_SECONDS = 10.0

# Claims per write transaction in this process, for `scripts/bench pull` to report.
claims_per_turn: Counter[int] = Counter()


def claim_sqlite(engine: Engine, target: PullTarget, now: datetime) -> int | None:
    """Claim for `target` at `now` (see `storage.queue.claim_next_request`): the request's
    number, or None when nothing was claimed (nothing waits, or the agent holds one)."""
    database = engine.url.database
    lock = turn_lock_path(database)
    board = board_for(database) if lock is not None else None
    if board is not None:
        try:
            return _claim_combined(engine, lock, board, target, now)
        except BoardUnavailable:  # raised before anything was posted or claimed
            pass
    # SQLite's busy handler alone decides who writes next.
    return run_raw_write(engine, lambda cursor: _claim(cursor, engine.dialect, target, now))


def _claim_combined(engine: Engine, lock: str, board: str, target: PullTarget, now: datetime) -> int | None:
    """Post the order, then claim in this puller's turn or be claimed for (see the module's
    docstring)."""
    with ExitStack() as stack:
        try:
            turn = stack.enter_context(turn_handle(lock))
        except OSError as exc:
            raise BoardUnavailable(str(exc)) from exc
        posting = stack.enter_context(posted(board, Order(target, now)))
        while True:
            if try_turn(turn):
                served: list[tuple[Taken, int | None]] = []
                try:
                    if (reply := posting.wait(0)) is not None:  # answered just before
                        return reply.number
                    if posting.withdraw():
                        mine, served = _claim_for_all(engine, board, target, now)
                        return mine
                finally:
                    give_turn_back(turn)
                    _tell(board, served)
            elif (reply := posting.wait(_LOOK_AGAIN_SECONDS)) is not None:
                return reply.number
            state = posting.state()
            if state is State.TAKEN and (reply := posting.wait(_LOOK_AGAIN_SECONDS)) is not None:
                return reply.number  # (being claimed for: wait for it rather than for the turn)
            if state is State.DONE and (reply := _await_answer(engine, posting, target, now)) is not None:
                return reply.number
            if state is State.ABANDONED:  # taken by a puller that died: did it commit?
                if (number := _claimed_at(engine, target, now)) is not None:
                    return number
                posting.repost()


def _claim_for_all(engine: Engine, board: str, target: PullTarget,
                   now: datetime) -> tuple[int | None, list[tuple[Taken, int | None]]]:
    """In this puller's turn (its own order withdrawn): claim for itself and for the
    orders on the board, and take those claimed for off the board for good. Its own
    number, and theirs to answer."""
    taken = take_orders(board, MAX_PER_TURN - 1)
    try:
        def claims(cursor) -> tuple[int | None, dict[str, int | None]]:
            return (_claim(cursor, engine.dialect, target, now),
                    _claims_for(cursor, engine.dialect, taken))

        mine, numbers = run_raw_write(engine, claims)
    except BaseException:
        for order in taken:  # nothing was claimed: the orders go back on the board
            put_back(order)
        raise
    served = []
    for order in taken:
        if order.path in numbers:
            remove(order)
            served.append((order, numbers[order.path]))
        else:
            put_back(order)
    claims_per_turn[1 + len(served)] += 1
    return mine, served


def _tell(board: str, served: list[tuple[Taken, int | None]]) -> None:
    """After the turn: each poster claimed for its answer, and the oldest order still
    waiting that the turn is free. Never raises: the claims have committed."""
    for order, number in served:
        answer(order, number)
    with suppress(OSError):
        wake_next(board)


def _await_answer(engine: Engine, posting: Posting, target: PullTarget, now: datetime) -> Answer | None:
    """The answer to an order claimed for and off the board; if it never comes (the
    puller that claimed died before telling), what the claim wrote. None if the order
    turns out to be back (it was only seen between two names)."""
    deadline = time.monotonic() + _ANSWER_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        if (reply := posting.wait(min(left, 0.1))) is not None:
            return reply
        if posting.state() is not State.DONE:
            return None
    return Answer(_claimed_at(engine, target, now))


def _claimed_at(engine: Engine, target: PullTarget, now: datetime) -> int | None:
    """The request claimed for the agent at `now`, if any (`now` is the clock time of the
    pull, so one pull's): read when whoever claimed for an order died before telling."""
    with engine.connect() as connection:
        return connection.execute(select(R.c.id).where(
            R.c.assigned_agent_id == target.agent_id, R.c.assigned_at == now)
            .order_by(R.c.id.desc()).limit(1)).scalar()


def _claims_for(cursor, dialect: Dialect, others: list[Taken]) -> dict[str, int | None]:
    """Claim for each order taken from the board, each in a savepoint, so that one that
    fails (a constraint, more categories than SQLite takes in one statement, …) is undone
    alone: the answers by order (path; an order that failed has none, and its poster
    claims for itself and meets the error itself)."""
    failures = (dialect.loaded_dbapi.Error, ValueError, OverflowError)
    answers = {}
    for taken in others:
        cursor.execute("SAVEPOINT pull_order")
        try:
            number = _claim(cursor, dialect, taken.order.target, taken.order.now)
        except failures:
            if not cursor.connection.in_transaction:  # the whole transaction is gone
                raise
            cursor.execute("ROLLBACK TO pull_order")
            cursor.execute("RELEASE pull_order")
            continue
        cursor.execute("RELEASE pull_order")
        answers[taken.path] = number
    return answers


def _claim(cursor, dialect: Dialect, target: PullTarget, now: datetime) -> int | None:
    """One claim and its audit entry, inside the turn's transaction: the number, or None."""
    chosen = sqlite_choice(dialect, tuple(sorted(target.categories))).execute(cursor, {}).fetchone()
    if chosen is None:
        return None
    request_id, old_status, category_id = chosen
    taken = sqlite_claim(dialect, target.supervisor).execute(
        cursor, {"request_id": request_id, "agent_id": target.agent_id, "now": now}).fetchone()
    if taken is None:  # the agent holds a request
        return None
    audit.raw_insert(dialect).execute(cursor, audit.entry_values(
        at=now, actor_id=target.agent_id, actor=target.login, entity="request",
        entity_id=request_id, action="pull", changes=_claim_changes(target, category_id, old_status)))
    return request_id


def _claim_changes(target: PullTarget, category_id: int, old_status: str) -> dict:
    # The audit entry is the claim's history: "pull" by the agent, out of which queue, old
    # -> new. No activity line: every page written here is written while all others wait.
    changes = {"assigned_agent": [None, target.login], "queue": [target.categories.get(category_id), None]}
    if old_status != Status.IN_PROGRESS.value:
        changes["status"] = [old_status, Status.IN_PROGRESS.value]
    return changes
