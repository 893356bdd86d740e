"""SQLite: the board on which pullers leave their orders while another has the turn at
the write lock, so that the puller whose turn it is claims for them too
(`storage.pull_sqlite`).

The board is a directory next to the database (`<database>-pull.orders`); files only,
nothing here touches the database. An order named `<time>-<pid>-<n>` is:

- a named pipe (`.fifo`) its poster waits on. Others write into it: the answer
  (`=<number>`, or `=-` for none) after the claim committed, or `go` when the turn is
  given back and the order still waits. Opening it for writing also tells whether its
  poster is still there (no reader: ENXIO); an order whose poster died is thrown away.
- the order itself: who pulls (agent, login, role, categories, as read before posting)
  and when, written under another name and renamed into place, so it is never read
  half-written. While it waits it is `.order`. A puller whose turn it is takes it by
  renaming it `.taken` (a rename succeeds once, so no two pullers can ever take one
  order, whatever happens to the turn) and holds an flock on it while it claims: a
  `.taken` order whose flock is free was taken by a puller that died. After the commit
  the taker removes it (the order is done), or, if it could not claim, renames it back.

A poster killed while its order is taken is still claimed for; the agent then finds
that request at their next pull ("you still hold request N").
"""

from __future__ import annotations

import enum
import errno
import json
import os
import select
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from itertools import count

from storage.pull_target import PullTarget

try:  # POSIX; elsewhere every puller claims alone
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_ORDER = ".order"
_TAKEN = ".taken"
_FIFO = ".fifo"
_WRITING = ".writing"
_GO = b"go\n"
_NONE = "-"
# Files older than this whose poster is gone are swept away (looked for at most this often).
_LEFT_BEHIND_SECONDS = 120.0


@dataclass(frozen=True)
class Order:
    """A puller's order: claim for this target, at this time."""

    target: PullTarget
    now: datetime


@dataclass(frozen=True)
class Answer:
    """What the puller whose turn it was claimed for an order: a number, or None."""

    number: int | None


@dataclass
class Taken:
    """An order taken from the board: its pipe open for the answer, its flock held."""

    path: str
    order: Order
    pipe: int
    held: int


class State(enum.Enum):
    """Where an order is, as its poster sees it."""

    WAITING = "on the board"
    TAKEN = "taken by a puller claiming for it"
    ABANDONED = "taken by a puller that died"
    DONE = "claimed for and off the board (or between two names)"


class BoardUnavailable(Exception):
    """The order could not be posted (the board's directory is gone, no file descriptors
    are left, …): nothing was posted, and the puller claims alone."""


def board_for(database: str | None) -> str | None:
    """The board's directory for a database file (created if need be); None for an
    in-memory database, off POSIX, or where the directory cannot be made."""
    if not database or database == ":memory:" or fcntl is None or not hasattr(os, "mkfifo"):
        return None
    board = f"{database}-pull.orders"
    try:
        os.makedirs(board, exist_ok=True)
    except OSError:
        return None
    return board


class Posting:
    """An order on the board, as its poster sees it."""

    def __init__(self, path: str, reader: int, writer: int) -> None:
        self._path = path
        self._reader = reader
        # Its own writer, so that the pipe never reads as closed (ready at once, again and
        # again) between the writes of those who answer it.
        self._writer = writer
        self._unread = b""

    def wait(self, seconds: float) -> Answer | None:
        """The answer, if it comes within `seconds` (0: already here); None when told the
        turn is free, or when the time is up."""
        if seconds > 0:
            poller = select.poll()  # (select.select fails on descriptors past 1023)
            poller.register(self._reader, select.POLLIN)
            poller.poll(seconds * 1000)
        with suppress(BlockingIOError):
            self._unread += os.read(self._reader, 4096)
        for line in self._unread.split(b"\n"):
            if line.startswith(b"="):
                text = line[1:].decode("ascii")
                return Answer(None if text == _NONE else int(text))
        self._unread = b""  # only "go"s so far
        return None

    def withdraw(self) -> bool:
        """Take the order off the board to claim for itself: False if it was not on it
        (taken, or done)."""
        try:
            os.unlink(self._path + _ORDER)
        except FileNotFoundError:
            return False
        return True

    def state(self) -> State:
        """Where the order is now."""
        if os.path.exists(self._path + _ORDER):
            return State.WAITING
        try:
            fd = os.open(self._path + _TAKEN, os.O_RDONLY)
        except FileNotFoundError:
            return State.DONE
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return State.TAKEN
        finally:
            os.close(fd)
        return State.ABANDONED

    def repost(self) -> None:
        """Put an abandoned order back on the board."""
        with suppress(OSError):
            os.rename(self._path + _TAKEN, self._path + _ORDER)

    def _remove(self) -> None:
        for suffix in (_ORDER, _TAKEN, _FIFO, _WRITING):
            with suppress(OSError):
                os.unlink(self._path + suffix)
        os.close(self._writer)
        os.close(self._reader)


_sequence = count()


@contextmanager
def posted(board: str, order: Order) -> Iterator[Posting]:
    """Post `order` for as long as the block runs; its files are gone afterwards. Raises
    BoardUnavailable, before anything is posted, if it cannot be."""
    path = os.path.join(board, f"{time.time_ns():020d}-{os.getpid()}-{next(_sequence)}")
    fds = []
    try:
        os.mkfifo(path + _FIFO, 0o666)  # less the umask, like SQLite's own files
        fds.append(os.open(path + _FIFO, os.O_RDONLY | os.O_NONBLOCK))
        fds.append(os.open(path + _FIFO, os.O_WRONLY | os.O_NONBLOCK))
        with open(path + _WRITING, "wb") as file:
            file.write(_encode(order))
        os.rename(path + _WRITING, path + _ORDER)
    except OSError as exc:
        for fd in fds:
            os.close(fd)
        for suffix in (_FIFO, _WRITING):
            with suppress(OSError):
                os.unlink(path + suffix)
        raise BoardUnavailable(str(exc)) from exc
    posting = Posting(path, *fds)
    try:
        yield posting
    finally:
        posting._remove()


def take_orders(board: str, limit: int) -> list[Taken]:
    """Take up to `limit` orders off the board whose posters still wait, oldest first;
    orders whose poster died are thrown away. Each must be `remove`d or `put_back`."""
    taken = []
    for path in _orders(board):
        if len(taken) == limit:
            break
        if (order := _take(path)) is not None:
            taken.append(order)
    return taken


def remove(taken: Taken) -> None:
    """An order claimed for is done: off the board for good (after the commit, before the
    turn is given back). `answer` it afterwards."""
    with suppress(OSError):
        os.unlink(taken.path + _TAKEN)
    os.close(taken.held)


def answer(taken: Taken, number: int | None) -> None:
    """Tell the poster of an order claimed for what was claimed."""
    _send(taken.pipe, f"={_NONE if number is None else number}\n".encode("ascii"))


def put_back(taken: Taken) -> None:
    """Put an order taken but not claimed for back on the board."""
    with suppress(OSError):
        os.rename(taken.path + _TAKEN, taken.path + _ORDER)
    os.close(taken.held)
    os.close(taken.pipe)


def wake_next(board: str) -> None:
    """Tell the oldest poster still waiting that the turn is free."""
    for path in _orders(board):
        fd, _gone = _open_pipe(path)
        if fd is not None:
            _send(fd, _GO)
            return


def _take(path: str) -> Taken | None:
    """Take one order (None if it is gone, its poster died, or it cannot be answered)."""
    try:
        held = os.open(path + _ORDER, os.O_RDONLY)
    except OSError:  # withdrawn or taken meanwhile
        return None
    try:
        # Held before the rename, so that a taken order is never seen unheld while its
        # taker lives.
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(path + _ORDER, path + _TAKEN)
    except OSError:  # withdrawn or being taken meanwhile, or not ours to move
        os.close(held)
        return None
    pipe, gone = _open_pipe(path)
    if gone:  # its poster died
        _discard(path)
    elif pipe is not None:
        try:
            return Taken(path, _decode(os.read(held, 1 << 16)), pipe, held)
        except Exception:  # not readable here (another version's order)
            os.close(pipe)
    if not gone:  # not answerable or not readable here: left to its poster
        with suppress(OSError):
            os.rename(path + _TAKEN, path + _ORDER)
    os.close(held)
    return None


def _orders(board: str) -> list[str]:
    """The paths (without suffix) of the orders on the board, oldest first."""
    global _swept_at
    sweep = time.monotonic() - _swept_at > _LEFT_BEHIND_SECONDS
    names = []
    try:
        with os.scandir(board) as entries:
            for entry in entries:
                if entry.name.endswith(_ORDER):
                    names.append(entry.name[:-len(_ORDER)])
                elif sweep:
                    _sweep(entry)
    except OSError:  # the board is gone: nothing on it
        return []
    finally:
        if sweep:
            _swept_at = time.monotonic()
    return [os.path.join(board, name) for name in sorted(names)]


def _open_pipe(path: str) -> tuple[int | None, bool]:
    """The order's pipe open for writing, or None; and whether its poster is gone (nobody
    reads the pipe any more)."""
    try:
        return os.open(path + _FIFO, os.O_WRONLY | os.O_NONBLOCK), False
    except OSError as exc:
        return None, exc.errno in (errno.ENXIO, errno.ENOENT)


def _discard(path: str) -> None:
    """Throw away the files of an order whose poster is gone."""
    for suffix in (_ORDER, _TAKEN, _FIFO):
        with suppress(OSError):
            os.unlink(path + suffix)


def _send(fd: int, message: bytes) -> None:
    try:
        os.write(fd, message)  # shorter than PIPE_BUF: written whole or not at all
    except OSError:  # the poster left meanwhile: nobody to tell
        pass
    finally:
        os.close(fd)


_swept_at = 0.0


def _sweep(entry: os.DirEntry) -> None:
    """Remove what a poster that died left: a half-written order, a pipe nobody reads, an
    order taken by a puller that died too."""
    with suppress(OSError):
        if time.time() - entry.stat().st_mtime <= _LEFT_BEHIND_SECONDS:
            return
        if entry.name.endswith(_WRITING):
            os.unlink(entry.path)
        elif entry.name.endswith((_FIFO, _TAKEN)):
            path = entry.path.rsplit(".", 1)[0]
            fd, gone = _open_pipe(path)
            if fd is not None:
                os.close(fd)
            elif gone:
                _discard(path)


def _encode(order: Order) -> bytes:
    target = order.target
    return json.dumps({"agent_id": target.agent_id, "login": target.login,
                       "supervisor": target.supervisor, "categories": list(target.categories.items()),
                       "now": order.now.isoformat()}).encode()


def _decode(data: bytes) -> Order:
    fields = json.loads(data)
    target = PullTarget(fields["agent_id"], fields["login"], fields["supervisor"],
                        {int(category): path for category, path in fields["categories"]})
    return Order(target, datetime.fromisoformat(fields["now"]))
