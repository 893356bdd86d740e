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
    """Folded terms that must all match: `exact` ones as whole words, `prefixes` as word starts."""

    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when there is nothing to search for."""
        return not self.exact and not self.prefixes

    def phrases(self) -> list[str]:
        """Each term as an FTS5 phrase: `"tok"` or `"tok"*`."""
        return [f'"{t}"' for t in self.exact] + [f'"{t}"*' for t in self.prefixes]

    def fts5(self) -> str:
        """The SQLite FTS5 MATCH expression: every term, quoted."""
        return " ".join(self.phrases())

    def lexemes(self, weight: str = "") -> list[str]:
        """Each term for PostgreSQL `to_tsquery('simple', …)`: `tok` or `tok:*`, with an optional weight."""
        return ([f"{t}:{weight}" if weight else t for t in self.exact]
                + [f"{t}:*{weight}" for t in self.prefixes])

    def tsquery(self) -> str:
        """The PostgreSQL tsquery text: `tok & pre:*`."""
        return " & ".join(self.lexemes())


def letters(text: str) -> int:
    """How many letters and digits `text` has once folded (what "3 characters" counts)."""
    return sum(len(token) for token in fold_tokens(text))


def parse_query(text: str, *, typing: bool = True) -> SearchQuery:
    """Turn typed text into a safe query.

    Every word of at least `MIN_PREFIX` letters also finds longer words starting with it:
    "wyw" finds "wywóz", and "wywoz" finds the inflected "wywozu". Shorter words must
    match whole. While `typing`, a short last word not yet followed by a space is left
    out (it would match almost everything) unless it is the only one.
    """
    tokens = fold_tokens(text)
    if typing and len(tokens) > 1 and len(tokens[-1]) < MIN_PREFIX and not text[-1:].isspace():
        tokens = tokens[:-1]
    tokens = list(dict.fromkeys(tokens))
    return SearchQuery(tuple(t for t in tokens if len(t) < MIN_PREFIX),
                       tuple(t for t in tokens if len(t) >= MIN_PREFIX))
