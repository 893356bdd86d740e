"""Words of an article as search sees them: folded copies to index, and hit positions in the original.

The index holds a folded copy ("Wywóz ODPADÓW" -> "wywoz odpadow") so that search does
not care about diacritics or case; the original stays for display. Folding can change
lengths (ß -> ss, ĳ -> ij), so each original word is folded on its own and remembers
its span: a hit found in folded words maps back to the exact original letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from domain.text import fold

# A word: letters and digits, with any combining marks that decorate them (a decomposed
# "é" is "e" + U+0301, and the mark must not split the word).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
_TOKEN = re.compile(r"[^\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


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
    latin = _latin_copy(text)
    return " ".join(fold_tokens(text)) if latin is None else latin


def _latin_copy(text: str) -> str | None:
    """The search copy of Latin-script text (each word one token), or None for other text."""
    lowered = text.lower()
    for special, replacement in _LOWER_SPECIAL:
        if special in lowered:
            lowered = lowered.replace(special, replacement)
    decomposed = unicodedata.normalize("NFKD", lowered)
    if _NOT_LATIN.search(decomposed):
        return None
    ascii_bytes = decomposed.encode("ascii", "ignore").translate(_ASCII_TOKENS)
    return b" ".join(ascii_bytes.split()).decode("ascii")


@lru_cache(maxsize=65536)
def _word_tokens(word: str) -> tuple[str, ...]:
    # Articles repeat their words: folding each distinct word once keeps snippets fast.
    return tuple(_TOKEN.findall(fold(word)))


def hit_spans(text: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the words of `text` with a token equal to an exact term or starting with a prefix.

    This runs for every result of every keystroke's search. Latin-script text folds word
    for word into exactly one token each, so the hits are found in the fast folded copy
    and only the words up to the last hit are located; other text is folded word by word.
    """
    # Without combining marks a word is just a run of letters and digits (twice as fast to find).
    pattern = _WORD if _MARKS.search(text) else _TOKEN
    latin = _latin_copy(text)
    if latin is None:
        return [match.span() for match in pattern.finditer(text)
                if any(t in exact or (prefixes and t.startswith(prefixes))
                       for t in _word_tokens(match.group()))]
    tokens = latin.split(" ") if latin else []
    hits = [i for i, t in enumerate(tokens) if t in exact or (prefixes and t.startswith(prefixes))]
    if not hits:
        return []
    spans = []
    for match in pattern.finditer(text):  # only as far as the last hit
        spans.append(match.span())
        if len(spans) > hits[-1]:
            break
    if len(spans) <= hits[-1]:
        # Fewer words than tokens (should not happen for Latin text): fold each word.
        return [m.span() for m in pattern.finditer(text)
                if any(t in exact or (prefixes and t.startswith(prefixes)) for t in _word_tokens(m.group()))]
    return [spans[i] for i in hits]


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARKS = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.M)
_INLINE_MARKS = re.compile(r"[*_`~]+")


def plain(markdown: str) -> str:
    """Markdown as plain prose for snippets: link texts kept, markers and URLs dropped."""
    text = _LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    text = _INLINE_MARKS.sub("", _LINE_MARKS.sub("", text))
    return " ".join(text.split())
