"""SQLite: the board on which pullers leave their orders while another has the turn at
the write lock, so that the puller whose turn it is claims for them too
(`storage.pull_sqlite`).

The board is a directory next to the database (`<database>-pull.orders`); files only,
nothing here touches the database. An order is two files named `<time>-<pid>-<n>`:

- `.order`: who pulls (agent, login, role, categories, as read before posting) and when,
  written under another name and renamed into place, so it is never read half-written.
  It is on the board until its poster withdraws it (to claim for itself) or a puller
  whose turn it is has claimed for it and committed (`remove`), which that puller does
  before it gives the turn back: an order on the board has not been claimed for.
- `.fifo`, a named pipe its poster waits on. Others write into it: the answer
  (`=<number>`, or `=-` for none) after the claim committed, or `go` when the turn is
  given back and the order still waits. Opening it for writing is also how an order whose
  poster died is recognised (no reader: ENXIO) and thrown away, so nobody is given a
  request they are no longer there to see.
"""

from __future__ import annotations

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

_ORDER = ".order"
_FIFO = ".fifo"
_WRITING = ".writing"
_GO = b"go\n"
_NONE = "-"
# Files of an order not complete after this long were left by a poster that died (looked
# for at most this often).
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
    """An order taken from the board to be claimed for, with its pipe open for the answer."""

    path: str
    order: Order
    fd: int


def board_for(database: str | None) -> str | None:
    """The board's directory for a database file (created if need be); None for an
    in-memory database, off POSIX, or where the directory cannot be made."""
    if not database or database == ":memory:" or not hasattr(os, "mkfifo"):
        return None
    board = f"{database}-pull.orders"
    try:
        os.makedirs(board, exist_ok=True)
    except OSError:
        return None
    return board


class Posting:
    """An order on the board, as its poster sees it."""

    def __init__(self, path: str, fd: int, writer: int) -> None:
        self._path = path
        self._fd = fd
        # Its own writer, so that the pipe never reads as closed (ready at once, again and
        # again) between the writes of those who answer it.
        self._writer = writer
        self._unread = b""

    def wait(self, seconds: float) -> Answer | None:
        """The answer, if it comes within `seconds` (0: already here); None when told the
        turn is free, or when the time is up."""
        if seconds > 0:
            select.select([self._fd], [], [], seconds)
        try:
            self._unread += os.read(self._fd, 4096)
        except BlockingIOError:
            pass
        for line in self._unread.split(b"\n"):
            if line.startswith(b"="):
                text = line[1:].decode("ascii")
                return Answer(None if text == _NONE else int(text))
        self._unread = b""  # only "go"s so far
        return None

    def on_board(self) -> bool:
        """Whether the order still waits: not withdrawn, and not claimed for."""
        return os.path.exists(self._path + _ORDER)

    def withdraw(self) -> None:
        """Take the order off the board: its poster claims for itself now."""
        with suppress(FileNotFoundError):
            os.unlink(self._path + _ORDER)

    def _remove(self) -> None:
        self.withdraw()
        with suppress(FileNotFoundError):
            os.unlink(self._path + _FIFO)
        os.close(self._writer)
        os.close(self._fd)


_sequence = count()


class BoardUnavailable(Exception):
    """The order could not be posted (the board's directory is gone, no file descriptors
    are left, …): nothing was posted, and the puller claims alone."""


@contextmanager
def posted(board: str, order: Order) -> Iterator[Posting]:
    """Post `order` for as long as the block runs; its files are gone afterwards. Raises
    BoardUnavailable, before anything is posted, if it cannot be."""
    path = os.path.join(board, f"{time.time_ns():020d}-{os.getpid()}-{next(_sequence)}")
    fds = []
    try:
        os.mkfifo(path + _FIFO, 0o666)  # less the umask: as open as the database file is
        fds.append(os.open(path + _FIFO, os.O_RDONLY | os.O_NONBLOCK))
        fds.append(os.open(path + _FIFO, os.O_WRONLY | os.O_NONBLOCK))
    except OSError as exc:
        for fd in fds:
            os.close(fd)
        with suppress(OSError):
            os.unlink(path + _FIFO)
        raise BoardUnavailable(str(exc)) from exc
    posting = Posting(path, *fds)
    try:
        try:
            with open(path + _WRITING, "wb") as file:
                file.write(_encode(order))
            os.rename(path + _WRITING, path + _ORDER)
        except OSError as exc:
            raise BoardUnavailable(str(exc)) from exc
        yield posting
    finally:
        with suppress(FileNotFoundError):
            os.unlink(path + _WRITING)
        posting._remove()


def take_orders(board: str, limit: int) -> list[Taken]:
    """Up to `limit` orders on the board whose posters still wait, oldest first, each
    with its pipe open for the answer; orders whose poster died are thrown away. For the
    puller whose turn it is."""
    taken = []
    for path in _orders(board):
        if len(taken) == limit:
            break
        fd = _open_pipe(path)
        if fd is None:
            continue
        try:
            with open(path + _ORDER, "rb") as file:
                order = _decode(file.read())
        except (OSError, ValueError, KeyError, TypeError):  # withdrawn meanwhile, or not
            os.close(fd)  # readable here (another version's): its poster claims for itself
            continue
        taken.append(Taken(path, order, fd))
    return taken


def remove(taken: Taken) -> None:
    """Take an order off the board once its claim committed (before the turn is given
    back); `answer` it afterwards."""
    with suppress(FileNotFoundError):
        os.unlink(taken.path + _ORDER)


def answer(taken: Taken, number: int | None) -> None:
    """Tell the poster of an order claimed for what was claimed."""
    _send(taken.fd, f"={_NONE if number is None else number}\n".encode("ascii"))


def put_back(taken: Taken) -> None:
    """Leave an order taken but not claimed for on the board, for the next turn."""
    os.close(taken.fd)


def wake_next(board: str) -> None:
    """Tell the oldest poster still waiting that the turn is free."""
    for path in _orders(board):
        fd = _open_pipe(path)
        if fd is not None:
            _send(fd, _GO)
            return


def _orders(board: str) -> list[str]:
    """The paths (without suffix) of the orders on the board, oldest first."""
    global _swept_at
    sweep = time.monotonic() - _swept_at > _LEFT_BEHIND_SECONDS
    names = []
    with os.scandir(board) as entries:
        for entry in entries:
            if entry.name.endswith(_ORDER):
                names.append(entry.name[:-len(_ORDER)])
            elif sweep:
                _sweep(entry)
    if sweep:
        _swept_at = time.monotonic()
    return [os.path.join(board, name) for name in sorted(names)]


def _open_pipe(path: str) -> int | None:
    """The order's pipe open for writing; None if its poster is gone (the order is then
    removed) or withdrew it."""
    try:
        return os.open(path + _FIFO, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno != errno.ENXIO:  # gone, or not ours to write: its poster claims for itself
            return None
    for suffix in (_ORDER, _FIFO):  # nobody reads the pipe: its poster is gone
        with suppress(FileNotFoundError):
            os.unlink(path + suffix)
    return None


def _send(fd: int, message: bytes) -> None:
    try:
        os.write(fd, message)  # shorter than PIPE_BUF: written whole or not at all
    except OSError:  # the poster left meanwhile: nobody to tell
        pass
    finally:
        os.close(fd)


_swept_at = 0.0


def _sweep(entry: os.DirEntry) -> None:
    """Remove a file left by a poster that died before its order was complete: a
    half-written order, or a pipe nobody reads."""
    with suppress(FileNotFoundError):
        if time.time() - entry.stat().st_mtime <= _LEFT_BEHIND_SECONDS:
            return
        if not entry.name.endswith(_FIFO):
            os.unlink(entry.path)
            return
        path = entry.path[:-len(_FIFO)]
        if not os.path.exists(path + _ORDER):  # (an order's pipe is looked at with the order)
            fd = _open_pipe(path)  # removed if nobody reads it
            if fd is not None:
                os.close(fd)


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
