"""Reading an article file: YAML front matter checked field by field, errors naming file, line and field."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

import yaml

from domain.contacts import normalise_phone
from domain.errors import InvalidInput
from domain.kb_document import SLUG, ArticleDoc, ArticleKind, ArticleStatus, Phone
from domain.text import fold

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_URL = re.compile(r"^https?://\S+$")
KNOWN = frozenset({"slug", "title", "language", "kind", "status", "tags", "url", "phones",
                   "links", "problem_codes", "script"})
_KINDS = ", ".join(k.value for k in ArticleKind)
_STATUSES = ", ".join(s.value for s in ArticleStatus)


class _Located:
    """Finds the file line of a front-matter field (only computed when there is an error)."""

    def __init__(self, path: str, front: str) -> None:
        self.path, self.front = path, front
        self._lines: dict[str, int] | None = None
        self._items: dict[str, list[int]] = {}

    def _load(self) -> None:
        self._lines = {}
        node = yaml.compose(self.front, Loader=_LOADER)
        if not isinstance(node, yaml.MappingNode):
            return
        for key, value in node.value:
            name = str(key.value)
            self._lines[name] = key.start_mark.line + 2  # +1 for 1-based, +1 for the '---'
            if isinstance(value, yaml.SequenceNode):
                self._items[name] = [item.start_mark.line + 2 for item in value.value]

    def line(self, name: str, index: int | None = None) -> int:
        if self._lines is None:
            self._load()
        if index is not None and index < len(self._items.get(name, ())):
            return self._items[name][index]
        return self._lines.get(name, 1)

    def error(self, name: str, message: str, index: int | None = None) -> InvalidInput:
        field = name if index is None else f"{name}[{index}]"
        return InvalidInput(message, where=f"{self.path}:{self.line(name, index)}: {field}")


def field_where(text: str, path: str, field: str, index: int | None = None) -> str:
    """`path:line: field[index]` for a field of an article file (1 if it cannot be found)."""
    try:
        front, _body = split_front_matter(text, path)
        return _Located(path, front).error(field, "", index).where
    except (InvalidInput, yaml.YAMLError):
        return f"{path}:1: {field}"


def slug_from(text: str) -> str:
    """A slug made from a name: folded, letters and digits joined by dashes."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))[:200]


def split_front_matter(text: str, path: str) -> tuple[str, str]:
    """The front-matter YAML and the Markdown body of an article file."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise InvalidInput("no front matter: an article file starts with a '---' line",
                           where=f"{path}:1")
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4:end + 5] not in ("", "\n"):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise InvalidInput("front matter is not closed by a '---' line", where=f"{path}:1")
    return text[4:end + 1], text[end + 5:].strip("\n").rstrip()


# The front matter `kb export` writes for most articles: `key: plain text` lines and
# `key:` followed by `- plain text` items, nothing else. Read line by line it costs a
# fraction of the YAML loader, which was a third of parsing a file (100,000 per import).
# Plain text: not starting with a YAML indicator or a space, not ending with a space or ':'.
_VALUE = r"[^-?:,\[\]{}#&*!|>'\"%@`\s](?:.*[^\s:])?"
_KEY_LINE = re.compile(rf"([A-Za-z_][A-Za-z0-9_]{{0,63}}):(?: ({_VALUE}))?")
_ITEM_LINE = re.compile(rf"- ({_VALUE})")
# Characters outside this set (tabs, CR, NEL, the Unicode line separators, the BOM, C0/C1
# controls, surrogates) send the front matter to the YAML loader, which knows their rules.
_NOT_SIMPLE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_RESOLVERS = _LOADER.yaml_implicit_resolvers


def _resolves(value: str) -> bool:
    """True when YAML reads plain `value` as something else than text (null, bool, number,
    date, merge key…): the loader's own implicit resolvers decide."""
    resolvers = _RESOLVERS.get(value[0])
    return resolvers is not None and any(regexp.match(value) for _tag, regexp in resolvers)


_TEXT_KEYS = frozenset(key for key in KNOWN if not _resolves(key))


def _simple_front(front: str) -> dict[str, Any] | None:
    """The front matter read without the YAML loader, or None when it is not of the simple form.

    Gives exactly what `yaml.load` gives for what it accepts (a mapping of text keys to
    plain one-line text or to lists of it); anything else — quotes, blocks, flow lists,
    comments, indentation, blank lines, nulls, numbers, repeated keys — is None.
    """
    if " #" in front or _NOT_SIMPLE.search(front):
        return None  # a comment, or characters with rules of their own
    lines = front.split("\n")
    if len(lines) < 2 or lines.pop() != "":
        return None
    data: dict[str, Any] = {}
    items: list[str] | None = None
    pairs = 0
    for line in lines:
        if line[:2] == "- ":
            match = _ITEM_LINE.fullmatch(line)
            if items is None or match is None or _resolves(match[1]):
                return None
            items.append(match[1])
            continue
        if items == []:
            return None  # `key:` with no items is a null
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.groups()
        if key in data or (key not in _TEXT_KEYS and _resolves(key)):
            return None
        if value is None:
            items = data[key] = []
        elif _resolves(value):
            return None
        else:
            data[key], items = value, None
            pairs += 1
    # Each `key: value` line holds one ': '; another one anywhere makes a nested mapping.
    if items == [] or front.count(": ") != pairs:
        return None
    return data


def parse_article(text: str, path: str) -> ArticleDoc:
    """Read one article file; raise InvalidInput naming `path:line: field` and the problem."""
    front, body = split_front_matter(text, path)
    simple = _simple_front(front)
    if simple is not None:
        return _document(simple, body, _Located(path, front), lambda: PurePath(path).stem)
    try:
        data = yaml.load(front, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(f"front matter is not valid YAML ({problem})", where=f"{path}:{line}") from None
    if not isinstance(data, dict):
        raise InvalidInput("front matter must be a mapping of fields", where=f"{path}:2")
    return _document(data, body, _Located(path, front), lambda: PurePath(path).stem)


class _Fields:
    """Names a form field in errors (the editor has no file lines)."""

    def error(self, name: str, message: str, index: int | None = None) -> InvalidInput:
        return InvalidInput(message, where=name if index is None else f"{name}[{index}]")


def doc_from_form(data: dict[str, Any], body: str) -> ArticleDoc:
    """An article from the editor's fields, checked exactly like a file's front matter."""
    data = {key: value for key, value in data.items() if value not in (None, "", [])}
    return _document(data, body.strip("\n").rstrip(), _Fields(), lambda: data.get("title", ""))


def _document(data: dict[str, Any], body: str, at, default_slug: Callable[[], str]) -> ArticleDoc:
    unknown = sorted(str(k) for k in data if k not in KNOWN)
    if unknown:
        raise at.error(unknown[0], f"unknown field (known: {', '.join(sorted(KNOWN))})")
    title = _text(at, data, "title", required=True, limit=300)
    language = _text(at, data, "language", required=True)
    if not _LANGUAGE.match(language):
        raise at.error("language", f"{language!r} is not a language code like pl, nl, pt, en")
    slug = _text(at, data, "slug") or slug_from(default_slug())
    if not SLUG.match(slug) or len(slug) > 200:
        raise at.error("slug", f"{slug!r} must be lower-case letters and digits joined by '-'")
    kind = _choice(at, data, "kind", ArticleKind, _KINDS, ArticleKind.ANSWER)
    status = _choice(at, data, "status", ArticleStatus, _STATUSES, ArticleStatus.PUBLISHED)
    url = _text(at, data, "url") or None
    if url is not None and not _URL.match(url):
        raise at.error("url", f"{url!r} is not an http(s) address")
    links = _list(at, data, "links")
    for i, link in enumerate(links):
        if not SLUG.match(link):
            raise at.error("links", f"{link!r} is not an article slug", i)
    return ArticleDoc(
        slug=slug, title=title, language=language, body=body, kind=kind, status=status,
        tags=tuple(dict.fromkeys(t.lower() for t in _list(at, data, "tags"))), url=url,
        phones=_phones(at, data.get("phones")), links=tuple(dict.fromkeys(links)),
        problem_codes=tuple(dict.fromkeys(_list(at, data, "problem_codes"))),
        script=_text(at, data, "script"))


def _text(at: _Located, data: dict, name: str, *, required: bool = False, limit: int = 0) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise at.error(name, "is required")
        return ""
    if not isinstance(value, str):
        raise at.error(name, f"must be text, not {_kind(value)} ({value!r})")
    value = value.strip()
    if limit and len(value) > limit:
        raise at.error(name, f"is {len(value)} characters long; at most {limit}")
    return value


def _choice(at: _Located, data: dict, name: str, enum, allowed: str, default) -> str:
    value = data.get(name)
    if value is None:
        return default.value
    try:
        return enum(value).value
    except ValueError:
        raise at.error(name, f"{value!r} is not one of {allowed}") from None


def _list(at: _Located, data: dict, name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise at.error(name, f"must be a list, not {_kind(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise at.error(name, f"must be non-empty text, not {item!r}", i)
    return [item.strip() for item in value]


def _phones(at: _Located, value: Any) -> tuple[Phone, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise at.error("phones", f"must be a list of {{label, number}}, not {_kind(value)}")
    phones = []
    for i, item in enumerate(value):
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            label, number = "", str(item)
        elif isinstance(item, dict) and set(item) <= {"label", "number"} and "number" in item:
            label, number = item.get("label") or "", item["number"]
        else:
            raise at.error("phones", "must be a number or {label: …, number: …}", i)
        if not isinstance(label, str) or not isinstance(number, (str, int)):
            raise at.error("phones", "label and number must be text", i)
        try:
            e164 = normalise_phone(str(number), region=None, where="")
        except InvalidInput as exc:
            raise at.error("phones", f"{exc} (write it with its country code, +48 …)", i) from None
        phones.append(Phone(label.strip(), e164))
    return tuple(phones)


def _kind(value: Any) -> str:
    return {bool: "yes/no", int: "a number", float: "a number", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)
