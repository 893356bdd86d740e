"""What a typed search means: folded terms, the last one a prefix while typing, and the engine syntax.

User text never reaches the full-text engine as syntax: it is folded and cut into
letter/digit tokens, and each token is quoted, so `"`, `AND (`, `*` or `NEAR` are just
words (or nothing). Every term must match (AND); the last one also matches longer
words while the agent is still typing it ("wyw" finds "wywóz").
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.kb_text import fold_tokens

MIN_PREFIX = 3
"""Shorter prefixes match too many words to rank quickly; they are not searched."""

MIN_QUERY = 3
"""A query with fewer letters shows recent and most-used articles instead."""


@dataclass(frozen=True)
class SearchQuery:
    """Folded terms that must all match; `prefix` is a last term that may be a word's start."""

    exact: tuple[str, ...]
    prefix: str | None = None

    @property
    def empty(self) -> bool:
        """True when there is nothing to search for."""
        return not self.exact and self.prefix is None

    def fts5(self) -> str:
        """The SQLite FTS5 MATCH expression: quoted tokens, the prefix as `"tok"*`."""
        parts = [f'"{term}"' for term in self.exact]
        if self.prefix is not None:
            parts.append(f'"{self.prefix}"*')
        return " ".join(parts)

    def tsquery(self) -> str:
        """The PostgreSQL `to_tsquery('simple', …)` text: `tok & tok & pre:*`."""
        parts = list(self.exact)
        if self.prefix is not None:
            parts.append(f"{self.prefix}:*")
        return " & ".join(parts)


def letters(text: str) -> int:
    """How many letters and digits `text` has once folded (what "3 characters" counts)."""
    return sum(len(token) for token in fold_tokens(text))


def parse_query(text: str, *, typing: bool = True) -> SearchQuery:
    """Turn typed text into a safe query.

    While `typing`, a last word not followed by a space is a prefix if it has at least
    `MIN_PREFIX` letters; a shorter unfinished word is left out (it would match almost
    everything) unless it is the only one. Repeated terms count once.
    """
    tokens = fold_tokens(text)
    if not tokens:
        return SearchQuery(())
    unfinished = typing and not text[-1:].isspace()
    if not unfinished:
        return SearchQuery(_unique(tokens))
    *done, last = tokens
    if len(last) >= MIN_PREFIX:
        return SearchQuery(_unique(t for t in done if t != last), last)
    if done:
        return SearchQuery(_unique(done))
    return SearchQuery((last,))


def _unique(tokens) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tokens))
