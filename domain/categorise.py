"""Automatic categorisation: keyword rules on the subject and body of written requests.

Keywords are given in all the office's languages and matched without caring about case
or diacritics ("wywoz" finds "Wywóz"), at the start of a word ("printer" finds
"printers", "art" does not find "start").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from domain.errors import InvalidInput
from domain.text import fold

# Channels whose text is scanned; phone and walk-in requests are categorised by the agent.
AUTO_CHANNELS = frozenset({"email", "web", "chat"})


@lru_cache(maxsize=4096)
def _pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(fold(keyword).strip()))


def find_keywords(text: str, keywords: Iterable[str]) -> list[str]:
    """The keywords (as given) that occur in `text` at the start of a word, ignoring diacritics."""
    folded = fold(text)
    return [k for k in keywords if fold(k).strip() and _pattern(k).search(folded)]


def keyword_list(value: Any, *, where: str) -> tuple[str, ...]:
    """Keywords from a list, or from `{language: [keywords]}`, checked to be strings."""
    if value is None:
        return ()
    if isinstance(value, Mapping):
        items = [word for words in value.values() for word in (words or [])]
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = list(value)
    else:
        raise InvalidInput("must be a list of keywords or {language: [keywords]}", where=where)
    bad = [word for word in items if not isinstance(word, str) or not word.strip()]
    if bad:
        raise InvalidInput(f"{bad[0]!r} is not a keyword", where=where)
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class CategoryKeywords:
    """A routing category and the keywords that send written requests to it."""

    path: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class CategoryChoice:
    """The category a request's text points to, and the keywords that decided it."""

    path: str
    matched: tuple[str, ...]

    def text(self) -> str:
        """"Technical support/Printers (keywords: printer, toner)"."""
        return f"{self.path} (keywords: {', '.join(self.matched)})"


def categorise(*, channel: str, subject: str, body: str,
               categories: Sequence[CategoryKeywords]) -> CategoryChoice | None:
    """The category whose keywords occur most often in a written request; None if none match.

    Ties go to the deeper (more specific) category, then to the first path in order.
    """
    if channel not in AUTO_CHANNELS:
        return None
    text = f"{subject}\n{body}"
    best: tuple[int, int, str] | None = None
    choice = None
    for category in categories:
        matched = find_keywords(text, category.keywords)
        if not matched:
            continue
        key = (-len(matched), -category.path.count("/"), category.path)
        if best is None or key < best:
            best, choice = key, CategoryChoice(category.path, tuple(matched))
    return choice
