"""Reading a seed file: size, encoding and syntax checked, positions kept for error messages.

YAML is read with a safe loader that refuses duplicate keys (PyYAML would silently keep
the last) and aliases that expand into millions of values; JSON refuses duplicate keys
too. Every problem becomes a `SeedError` naming the file and, where known, line:column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from domain.errors import InvalidInput
from domain.seed_errors import Loc, Positions, SeedError, from_invalid, from_validation
from domain.seed_format import SeedDocument

MAX_BYTES = 10 * 1024 * 1024
MAX_VALUES = 1_000_000

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """A safe YAML loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r} (first on line {seen[key]})",
                        key_node.start_mark)
                seen[key] = key_node.start_mark.line + 1
            except TypeError:
                pass  # an unhashable key: the base class reports it
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):
        # `2026-13-01` looks like a date to YAML but is none: report it where it stands.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


@dataclass(frozen=True)
class Source:
    """A parsed file: its name for messages, the plain data, and where each part starts."""

    name: str
    data: Any
    positions: Positions = field(default_factory=dict)

    def validate(self, model: type[BaseModel]) -> Any:
        """`model` validated from the data, or a SeedError at the first problem."""
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            raise from_validation(self.name, exc, model, self.positions) from None

    def error(self, exc: InvalidInput) -> SeedError:
        """`exc` (naming a place in this document) told with the file and line."""
        return from_invalid(self.name, exc, self.positions)


def read_bytes(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing a missing, unreadable or too large file."""
    name = str(path)
    if not path.exists():
        raise SeedError(name, "no such file or directory")
    if path.is_dir():
        raise SeedError(name, "is a directory, not a file")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SeedError(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        size = path.stat().st_size if path.is_file() else len(data)
        raise SeedError(name, f"is too large ({size / 1024 / 1024:.1f} MB; the limit is "
                              f"{limit // 1024 // 1024} MB)")
    return data


def decode(name: str, data: bytes) -> str:
    """The text of a UTF-8 file (a byte-order mark is allowed); binary files are refused."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise SeedError(name, f"is a binary file, not text (NUL byte at offset {offset})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SeedError(name, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                        line=line, column=column) from None


def detect_format(path: Path, given: str | None) -> str:
    """`yaml` or `json`: as given, else from the file's extension (YAML by default)."""
    if given:
        return given
    return "json" if path.suffix.lower() == ".json" else "yaml"


def _positions(node: yaml.Node) -> Positions:
    positions: Positions = {}
    stack: list[tuple[Loc, yaml.Node]] = [((), node)]
    seen: set[int] = set()
    while stack:
        loc, current = stack.pop()
        positions.setdefault(loc, (current.start_mark.line + 1, current.start_mark.column + 1))
        if id(current) in seen:
            continue  # an alias: its first place is enough
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    stack.append((loc + (key_node.value,), value_node))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((loc + (index,), item) for index, item in enumerate(current.value))
    return positions


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    # Aliases are shared, so a tiny file can stand for billions of values ("billion laughs").
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = 1
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo) for item in node.value)
    memo[id(node)] = size
    return size


def _yaml_error(name: str, exc: yaml.YAMLError) -> SeedError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"YAML: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return SeedError(name, text)
    return SeedError(name, text, line=mark.line + 1, column=mark.column + 1)


def _compose(name: str, text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _yaml_error(name, exc) from None
    finally:
        loader.dispose()


def parse_yaml(name: str, text: str) -> Source:
    """Parse YAML text into data and positions."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SeedError(name, "is empty: nothing to load")
        if _expanded_size(node, {}) > MAX_VALUES:
            raise SeedError(name, f"expands to more than {MAX_VALUES:,} values (YAML aliases)")
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(name, exc) from None
    finally:
        loader.dispose()
    return Source(name, data, _positions(node))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(name: str, text: str) -> Source:
    """Parse JSON text; positions come from reading it as YAML when that works."""
    if not text.strip():
        raise SeedError(name, "is empty: nothing to load")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise SeedError(name, f"JSON syntax: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except ValueError as exc:
        try:  # the YAML reader knows the line of a duplicate key
            parse_yaml(name, text)
        except SeedError as located:
            if located.line is not None:
                raise SeedError(name, f"JSON: {located.problem.removeprefix('YAML: ')}",
                                line=located.line, column=located.column) from None
        raise SeedError(name, f"JSON: {exc}") from None
    try:
        node = _compose(name, text)
    except SeedError:
        node = None  # valid JSON that PyYAML cannot read (tabs): no positions, still fine
    return Source(name, data, _positions(node) if node is not None else {})


def parse(name: str, data: bytes, fmt: str) -> Source:
    """Decode and parse the bytes of a seed file in `fmt` (yaml or json)."""
    text = decode(name, data)
    return parse_json(name, text) if fmt == "json" else parse_yaml(name, text)


def load_file(path: Path, fmt: str | None = None) -> Source:
    """Read and parse one file, refusing anything that is not a readable YAML/JSON document."""
    return parse(str(path), read_bytes(path), detect_format(path, fmt))


def load_document(path: Path, fmt: str | None = None) -> tuple[Source, SeedDocument]:
    """Read, parse and validate one seed file."""
    source = load_file(path, fmt)
    if not isinstance(source.data, dict):
        sections = ", ".join(SeedDocument.model_fields)
        raise SeedError(source.name, f"the top level must be a mapping of sections ({sections})",
                        line=1, column=1)
    return source, source.validate(SeedDocument)
