"""Seed-file problems as one line: `file:line:column: place: problem`.

Validation errors from pydantic and reference errors from the checks both name a place
in the document (`departments[2].providers[0].code`); when the file was YAML or JSON we
also know where that place starts, so an editor can jump to it.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from domain.errors import DomainError, InvalidInput

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]
_UNPLACED = (1 << 62, 0)  # sorts after every real line:column


class SeedError(DomainError):
    """A problem in a seed file, told on one line with the file, the place and the problem."""

    def __init__(self, file: str, problem: str, *, where: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        self.file, self.problem, self.where, self.line, self.column = file, problem, where, line, column
        head = f"{file}:{line}:{column}" if line is not None else file
        super().__init__(f"{head}: {where}: {problem}" if where else f"{head}: {problem}")


def loc_text(loc: Sequence[str | int]) -> str:
    """`("departments", 2, "code")` -> `departments[2].code`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def parse_loc(where: str) -> Loc:
    """`departments[2].code` -> `("departments", 2, "code")`."""
    return tuple(int(index) if index else name for index, name in _TOKEN.findall(where))


def position(positions: Positions, loc: Loc) -> tuple[int, int] | None:
    """Where `loc` (or its nearest enclosing part that the file has) starts."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]]
    return None


def _unwrap(annotation: Any) -> list[Any]:
    """The classes an annotation may hold (Optional, Annotated and containers opened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, dict):
        return [inner for arg in typing.get_args(annotation) for inner in _unwrap(arg)]
    return [annotation]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        inner = [c for c in _unwrap(info.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        current = inner[0] if inner else None
    return current


def _problem(error: dict[str, Any], root: type[BaseModel]) -> str:
    kind, message, value = error["type"], error["msg"], error.get("input")
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        model = _model_at(root, tuple(error["loc"][:-1]))
        allowed = sorted(model.model_fields) if model else []
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        return (f"unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + (f"; allowed here: {', '.join(allowed)}" if allowed else ""))
    if kind == "missing":
        return "is required"
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if isinstance(value, (str, int, float, bool)) and repr(value) not in message and "got " not in message:
        message += f" (got {value!r})"
    return message


def from_validation(file: str, exc: ValidationError, root: type[BaseModel],
                    positions: Positions) -> SeedError:
    """The first problem (in document order) of a pydantic error, with a count of the rest."""
    errors = []
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if part != "[key]")
        errors.append((position(positions, loc) or _UNPLACED, loc, error))
    errors.sort(key=lambda item: item[0])
    at, loc, error = errors[0]
    problem = _problem({**error, "loc": loc}, root)
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    line, column = (None, None) if at == _UNPLACED else at
    return SeedError(file, problem, where=loc_text(loc) or None, line=line, column=column)


def from_invalid(file: str, exc: InvalidInput, positions: Positions) -> SeedError:
    """An InvalidInput naming a place in the document, told with the file and line."""
    where = exc.where
    problem = str(exc).removeprefix(f"{where}: ") if where else str(exc)
    at = position(positions, parse_loc(where)) if where else None
    return SeedError(file, problem, where=where, line=at[0] if at else None,
                     column=at[1] if at else None)
