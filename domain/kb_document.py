"""A knowledge-base article as a document: its fields, its Markdown file form, its version snapshot."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import yaml

from domain.kb_text import plain_lines


class ArticleKind(StrEnum):
    """What an article mainly gives the agent."""

    ANSWER = "answer"
    SCRIPT = "script"
    PHONES = "phones"
    URL = "url"
    LINK = "link"


class ArticleStatus(StrEnum):
    """Drafts are seen by supervisors only; agents read published articles."""

    DRAFT = "draft"
    PUBLISHED = "published"


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BODY_LINK = re.compile(r"\]\(kb:([^)\s]+)\)")
"""A link to another article inside the Markdown body: `[text](kb:slug)`."""

FIELDS = ("slug", "title", "language", "kind", "status", "tags", "url", "phones", "links",
          "problem_codes", "script")
"""Front-matter fields in the order export writes them."""


@dataclass(frozen=True)
class Phone:
    """A number to read to the caller, stored in E.164, with what it reaches."""

    label: str
    number: str


@dataclass(frozen=True)
class ArticleDoc:
    """Everything an author controls in an article (the database adds id, version, times)."""

    slug: str
    title: str
    language: str
    body: str = ""
    kind: str = ArticleKind.ANSWER.value
    status: str = ArticleStatus.PUBLISHED.value
    tags: tuple[str, ...] = ()
    url: str | None = None
    phones: tuple[Phone, ...] = ()
    links: tuple[str, ...] = ()
    problem_codes: tuple[str, ...] = ()
    script: str = ""

    def body_links(self) -> tuple[str, ...]:
        """Slugs linked from the body as `[text](kb:slug)`, in order, each once."""
        return tuple(dict.fromkeys(BODY_LINK.findall(self.body)))

    def all_links(self) -> tuple[str, ...]:
        """The front-matter links, then body links not among them."""
        return tuple(dict.fromkeys(self.links + self.body_links()))

    def index_text(self) -> str:
        """What body search looks in: the prose, the call script, tags and phone labels.

        Its words are what counts (it is folded into `search_copy`): the prose keeps its
        line breaks and spaces as they are."""
        parts = [plain_lines(self.body), self.script, " ".join(self.tags),
                 " ".join(p.label for p in self.phones)]
        return "\n".join(part for part in parts if part)

    def snapshot(self) -> dict[str, Any]:
        """The whole content as JSON-ready data (kept in each version)."""
        return {"slug": self.slug, "title": self.title, "language": self.language,
                "body": self.body, "kind": str(self.kind), "status": str(self.status),
                "tags": list(self.tags), "url": self.url,
                "phones": [{"label": p.label, "number": p.number} for p in self.phones],
                "links": list(self.links), "problem_codes": list(self.problem_codes),
                "script": self.script}

    def first_snapshot(self) -> dict[str, Any]:
        """The snapshot of a new article's first version: the content, and as `changed` every
        field it sets (`snapshot() | {"changed": changed_fields(None)}`)."""
        data = self.snapshot()
        data["changed"] = _set_fields(data)
        return data

    def changed_fields(self, other: ArticleDoc | None) -> list[str]:
        """Names of the fields that differ from `other` (all of them when there is none)."""
        mine = self.snapshot()
        if other is None:
            return _set_fields(mine)
        theirs = other.snapshot()
        return [name for name in mine if mine[name] != theirs[name]]

    def with_status(self, status: str) -> ArticleDoc:
        """A copy with another status."""
        return replace(self, status=ArticleStatus(status).value)


def from_snapshot(data: dict[str, Any]) -> ArticleDoc:
    """The document a version snapshot (or a stored row's fields) describes."""
    return ArticleDoc(
        slug=data["slug"], title=data["title"], language=data["language"],
        body=data.get("body") or "", kind=str(data.get("kind") or ArticleKind.ANSWER.value),
        status=str(data.get("status") or ArticleStatus.PUBLISHED.value),
        tags=tuple(data.get("tags") or ()), url=data.get("url") or None,
        phones=tuple(Phone(p["label"], p["number"]) for p in data.get("phones") or ()),
        links=tuple(data.get("links") or ()), problem_codes=tuple(data.get("problem_codes") or ()),
        script=data.get("script") or "")


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as readable `|` blocks."""


# Characters YAML reads as line breaks besides "\n": in a block or a plain or single-quoted
# scalar they come back as "\n" or folded into a space, so text holding one is written
# double-quoted, where they are escaped.
_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if not _OTHER_BREAKS.isdisjoint(value):
        style = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_markdown(doc: ArticleDoc) -> str:
    """The article as a Markdown file with YAML front matter (what `kb export` writes)."""
    data = doc.snapshot()
    front: dict[str, Any] = {}
    for name in FIELDS:
        value = data[name]
        if value in ("", None, []) and name not in ("slug", "title", "language"):
            continue
        front[name] = value
    if "phones" in front:
        front["phones"] = [p if p["label"] else p["number"] for p in front["phones"]]
    text = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    body = doc.body
    return f"---\n{text}---\n\n{body}\n" if body else f"---\n{text}---\n"


def _set_fields(snapshot: dict[str, Any]) -> list[str]:
    """Names of the fields a snapshot sets (not empty): a new article's `changed`."""
    return [name for name, value in snapshot.items() if value not in ("", None, [])]
