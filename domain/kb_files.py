"""Article files on disk: finding them, reading them (in parallel for big imports), writing them back."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from domain.errors import DomainError, InvalidInput
from domain.kb_document import ArticleDoc, to_markdown
from domain.kb_frontmatter import field_where, parse_article
from domain.kb_text import search_copy

PARALLEL_FROM = 2000
"""Imports with at least this many files parse them in worker processes."""


class ArticleFileErrors(DomainError):
    """Files that cannot be imported; `errors` has one line per problem (file:line: field: what)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(errors[0] + more)


@dataclass(frozen=True)
class ParsedArticle:
    """An article read from `path`, with what the import would otherwise compute one by one
    in its single writing process: the folded search copies, the body's links and, as JSON
    text (`json.dumps`), the snapshot its first version keeps if the article is new."""

    path: str
    doc: ArticleDoc
    search_title: str
    search_body: str
    body_links: tuple[str, ...]
    first_snapshot_json: str | None = None

    def where(self, field: str, index: int | None = None) -> str:
        """`path:line: field[index]` for an error about this file found later (problem codes)."""
        return field_where(Path(self.path).read_text(encoding="utf-8"), self.path, field, index)


def collect(paths: list[str]) -> list[Path]:
    """The `.md` files named, or found (recursively) in the directories named, in a stable order."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidInput("no such file or directory", where=name)
    return list(dict.fromkeys(found))


def read_article(path: Path | str) -> ParsedArticle | str:
    """Parse one file; a problem comes back as its one-line message instead of an exception."""
    name = str(path)
    try:
        with open(name, "rb") as file:
            text = file.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"{name}:1: not UTF-8 text ({exc.reason} at byte {exc.start})"
    except OSError as exc:
        return f"{name}: cannot read ({exc.strerror})"
    if "\r" in text:  # line ends as text mode reads them (universal newlines)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        doc = parse_article(text, name)
    except InvalidInput as exc:
        return str(exc)
    return ParsedArticle(name, doc, search_copy(doc.title), search_copy(doc.index_text()),
                         doc.body_links(), json.dumps(doc.first_snapshot()))


def read_articles(paths: list[Path], *, workers: int | None = None) -> Iterator[ParsedArticle | str]:
    """Parse files in order; many files are spread over worker processes (folding is CPU work).

    One worker per core (`workers` overrides it; 0 parses here). On a 2-core machine shared
    with other work, parsing in this process alone (no pickling) looked faster on 10,000
    files but was slower on 100,000 (181 s against 150 s with two workers, load 3-9):
    a busy machine shares its cores out per process, and the importer is the longest path.
    """
    if len(paths) < PARALLEL_FROM or workers == 0 or (workers or os.cpu_count() or 1) < 2:
        yield from map(read_article, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(read_article, paths, chunksize=250)


def check_unique(seen: dict[str, str], parsed: ParsedArticle) -> str | None:
    """An error line if another file of the batch already used this slug (records it otherwise)."""
    other = seen.setdefault(parsed.doc.slug, parsed.path)
    if other != parsed.path:
        return f"{parsed.where('slug')}: {parsed.doc.slug!r} is also the slug of {other}"
    return None


def write_articles(docs, directory: Path, *, progress: Callable[[], None] | None = None) -> int:
    """Write each document as `<slug>.md` in `directory` (created if needed); returns how many."""
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for doc in docs:
        (directory / f"{doc.slug}.md").write_text(to_markdown(doc), encoding="utf-8")
        count += 1
        if progress:
            progress()
    return count
