"""Words of an article as search sees them: folded copies to index, and hit positions in the original.

The index holds a folded copy ("Wywóz ODPADÓW" -> "wywoz odpadow") so that search does
not care about diacritics or case; the original stays for display. Folding can change
lengths (ß -> ss, ĳ -> ij), so each original word is folded on its own and remembers
its span: a hit found in folded words maps back to the exact original letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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


# Letters that survive lower() + NFKD + dropping accents without becoming ASCII (see fold).
_LOWER_SPECIAL = (("ł", "l"), ("ß", "ss"), ("ø", "o"), ("æ", "ae"), ("œ", "oe"), ("đ", "d"),
                  ("ð", "d"), ("þ", "th"), ("ı", "i"), ("ħ", "h"), ("ŀ", "l"))
# After NFKD, Latin text is ASCII plus combining accents (U+034F is not an accent).
_NOT_LATIN = re.compile(r"[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")
_ASCII_TOKENS = bytes(c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122) else 32
                      for c in range(256))


def search_copy(text: str) -> str:
    """The folded copy of `text` that is indexed: its tokens separated by single spaces.

    Always equal to `" ".join(fold_tokens(text))`; Latin-script text (nearly every
    article) takes a path of C-speed string operations, since importing 100,000
    articles folds some 200 MB of text.
    """
    lowered = text.lower()
    for special, replacement in _LOWER_SPECIAL:
        if special in lowered:
            lowered = lowered.replace(special, replacement)
    decomposed = unicodedata.normalize("NFKD", lowered)
    if _NOT_LATIN.search(decomposed):
        return " ".join(fold_tokens(text))
    ascii_bytes = decomposed.encode("ascii", "ignore").translate(_ASCII_TOKENS)
    return b" ".join(ascii_bytes.split()).decode("ascii")


@lru_cache(maxsize=65536)
def _word_tokens(word: str) -> tuple[str, ...]:
    # Articles repeat their words: folding each distinct word once keeps snippets fast.
    return tuple(_TOKEN.findall(fold(word)))


def words(text: str) -> list[Word]:
    """Every word of `text` with its span in `text` and its folded tokens."""
    found = []
    for match in _WORD.finditer(text):
        tokens = _word_tokens(match.group())
        if tokens:
            found.append(Word(match.start(), match.end(), tokens))
    return found


def matches(word: Word, exact: Iterable[str], prefixes: Iterable[str]) -> bool:
    """True if one of the word's tokens equals an exact term or starts with a prefix."""
    return any(token in exact or any(token.startswith(p) for p in prefixes) for token in word.tokens)


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(^|\n)\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|[*_`~]{1,3}")


def plain(markdown: str) -> str:
    """Markdown as plain prose for snippets: link texts kept, markers and URLs dropped."""
    text = _LINK.sub(r"\1", markdown)
    text = _MARKS.sub(lambda m: m.group(1) or "", text)
    return " ".join(text.split())
