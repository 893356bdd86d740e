"""Words of an article as search sees them: folded copies to index, and hit positions in the original.

The index holds a folded copy ("Wywóz ODPADÓW" -> "wywoz odpadow") so that search does
not care about diacritics or case; the original stays for display. Folding can change
lengths (ß -> ss, ĳ -> ij), so each original word is folded on its own and remembers
its span: a hit found in folded words maps back to the exact original letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from domain.text import fold

# A word: letters and digits, with any combining marks that decorate them (a decomposed
# "é" is "e" + U+0301, and the mark must not split the word).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Word:
    """One word of the original text: where it is and the folded tokens it indexes as."""

    start: int
    end: int
    tokens: tuple[str, ...]


def fold_tokens(text: str) -> list[str]:
    """The folded search tokens of `text`: "Wywóz ODPADÓW, Straße" -> ["wywoz", "odpadow", "strasse"]."""
    return _TOKEN.findall(fold(text))


def search_copy(text: str) -> str:
    """The folded copy of `text` that is indexed: its tokens separated by single spaces."""
    return " ".join(fold_tokens(text))


def words(text: str) -> list[Word]:
    """Every word of `text` with its span in `text` and its folded tokens."""
    found = []
    for match in _WORD.finditer(text):
        tokens = tuple(_TOKEN.findall(fold(match.group())))
        if tokens:
            found.append(Word(match.start(), match.end(), tokens))
    return found


def matches(word: Word, exact: Iterable[str], prefixes: Iterable[str]) -> bool:
    """True if one of the word's tokens equals an exact term or starts with a prefix."""
    return any(token in exact or any(token.startswith(p) for p in prefixes) for token in word.tokens)
