"""Snippets: a short piece of the original text around the hits, with the hit words marked.

A search shows about 20 hits, each with its title and a snippet marked in the original
spelling, and it runs on every keystroke. So the work per hit is kept to a window:
the hits are found first in the article's folded copy (`search_body`, what the index
holds: lower-case ASCII-like tokens, so plain string search finds them), the densest
run of them gives the place, and only a few hundred characters of the Markdown around
that place are turned into prose and searched in the original spelling. Words are
matched by folding each distinct word once per search (`HitWords`), so no regex is
compiled for the query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import or_

from domain.kb_query import SearchQuery
from domain.kb_text import LINE_MARK_STARTS, WORD, hit_spans, plain, word_tokens
from domain.text import one_line

WIDTH = 160
"""About how many characters a snippet shows."""

MARGIN = 20
"""Extra characters of Markdown taken on each side of the estimated place of the hits."""

_MARKER_ONLY = re.compile(r"[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]*")
"""A line start holding nothing but a Markdown line marker (`domain.kb_text.plain` drops it with its space)."""


@dataclass(frozen=True)
class Snippet:
    """Text to show and the `(start, end)` spans in it that matched the query."""

    text: str
    highlights: tuple[tuple[int, int], ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        """`{"text": …, "highlights": [[start, end], …]}`."""
        return {"text": self.text, "highlights": [list(span) for span in self.highlights]}


class HitWords:
    """Which words of original text one query hits, found without a regex made for the query.

    Gives the same spans as `domain.kb_text.hit_spans` (a word is hit when one of its
    folded tokens equals an exact term or starts with a prefix) without compiling the
    query's regex, which costs milliseconds for every new keystroke. The text is cut at
    spaces; each piece's folded token comes from a cache that does not depend on the
    query (articles repeat their words), and the tokens are compared to the terms by
    C-level `map`s, so a word costs well under a microsecond.
    """

    def __init__(self, query: SearchQuery) -> None:
        self._exact = frozenset(query.exact)
        self._prefixes = query.prefixes

    def _token_hits(self, tokens: Sequence[str]) -> list[bool]:
        exact, prefixes = self._exact, self._prefixes
        starts = map(str.startswith, tokens, repeat(prefixes)) if prefixes else None
        within = map(exact.__contains__, tokens) if exact else None
        if starts is not None and within is not None:
            return list(map(or_, starts, within))
        return list(starts if starts is not None else within)  # type: ignore[arg-type]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of the words of `text` the query hits, in order."""
        if not self._exact and not self._prefixes:
            return []
        pieces = text.split(" ")  # a word never spans a space: the pieces' words are the text's
        tokens = list(map(_piece_token, pieces))
        hit = self._token_hits(tokens)
        if _SEVERAL in tokens:
            return self._spans_word_by_word(pieces, tokens, hit)
        hit_at = list(compress(range(len(hit)), hit))
        if not hit_at:
            return []
        offsets = list(accumulate(map(len, pieces), initial=0))  # each piece's start, less the spaces
        found = []
        for i in hit_at:
            start, end, _token = _piece_words(pieces[i])[0]
            found.append((offsets[i] + i + start, offsets[i] + i + end))
        return found

    def _spans_word_by_word(self, pieces: list[str], tokens: list[str], hit: list[bool]) -> list[tuple[int, int]]:
        found = []
        at = 0
        for piece, token, is_hit in zip(pieces, tokens, hit):
            if is_hit or token is _SEVERAL:
                found.extend((at + start, at + end) for start, end, folded in _piece_words(piece)
                             if True in self._token_hits(folded))
            at += len(piece) + 1
        return found


_SEVERAL = "\x00several"
"""`_piece_token` of a piece whose words fold to more than one token (looked at word by word)."""


@lru_cache(maxsize=65536)
def _piece_words(piece: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    """The words of a piece of text without spaces: `(start, end, folded tokens)` each.

    Nothing here depends on the query, so it is kept across searches (articles repeat
    their words): a word is a run of letters and digits (with any combining accents),
    and an ASCII one folds by lower-casing.
    """
    if piece.isalnum():
        return ((0, len(piece), (piece.lower(),) if piece.isascii() else word_tokens(piece)),)
    return tuple((match.start(), match.end(), word_tokens(match.group())) for match in WORD.finditer(piece))


@lru_cache(maxsize=65536)
def _piece_token(piece: str) -> str:
    """The one folded token of a piece of text without spaces ("" for none, `_SEVERAL` for more)."""
    words = _piece_words(piece)
    if len(words) == 1 and len(words[0][2]) == 1:
        return words[0][2][0]
    return _SEVERAL if words else ""


def hit_words(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Spans of the words of `text` that the query matches, in order."""
    return hit_spans(text, frozenset(query.exact), query.prefixes)


def highlight(text: str, query: SearchQuery, words: HitWords | None = None) -> Snippet:
    """All of `text` (on one line) with every matching word marked."""
    flat = _one_line(text)
    if len(flat) != len(text):
        # Control characters were made visible: spans would shift, so mark nothing.
        return Snippet(flat)
    return Snippet(flat, tuple(words.spans(text) if words else hit_words(text, query)))


def snippet(text: str, query: SearchQuery, *, width: int = WIDTH, words: HitWords | None = None) -> Snippet:
    """A window of `text` of about `width` characters around the densest run of hits."""
    hits = words.spans(text) if words else hit_words(text, query)
    if not hits:
        return Snippet(_ellipsis(text, 0, min(len(text), width)))
    return _window(text, hits, width, before=False, after=False)


def _window(text: str, hits: list[tuple[int, int]], width: int, *, before: bool, after: bool) -> Snippet:
    """The snippet of `text` around its densest hits; `before`/`after`: more text precedes/follows `text`."""
    start_hit = _densest(hits, width)
    first_start = hits[start_hit][0]
    start = _word_start(text, max(0, first_start - width // 4))
    end = _word_end(text, min(len(text), start + width))
    piece = text[start:end]
    prefix = "…" if start > 0 or before else ""
    suffix = "…" if end < len(text) or after else ""
    flat = _one_line(piece)
    spans: tuple[tuple[int, int], ...] = ()
    if len(flat) == len(piece):
        spans = tuple((a - start + len(prefix), b - start + len(prefix))
                      for a, b in hits if a >= start and b <= end)
    return Snippet(prefix + flat + suffix, spans)


def folded_hits(folded: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Spans of the tokens of a folded copy (`search_copy`) that the query hits, in order.

    The copy is folded already, so plain substring search finds the terms; a hit must
    start a token (and, for an exact term, end it).
    """
    found: set[tuple[int, int]] = set()
    size = len(folded)
    for term, prefix in [(t, False) for t in query.exact] + [(t, True) for t in query.prefixes]:
        at = folded.find(term)
        while at >= 0:
            end = at + len(term)
            if at == 0 or not folded[at - 1].isalnum():
                while prefix and end < size and folded[end].isalnum():
                    end += 1
                if end == size or not folded[end].isalnum():
                    found.add((at, end))
            at = folded.find(term, at + 1)
    return sorted(found)


def body_snippet(markdown: str, folded: str, query: SearchQuery, words: HitWords, *,
                 extra: int = 0, width: int = WIDTH) -> Snippet | None:
    """A snippet around real hits of the body's prose, found by way of the folded copy —
    usually the window `snippet(plain(markdown), …)` gives, though the densest run of hits
    is judged in the folded copy, so now and then another window is shown; None when this
    way cannot tell.

    `folded` is the article's search copy: the body's prose folded, then `extra`
    characters of other text (call script, tags). The densest hits in it give an
    estimated place in the Markdown; a slice around it, cut where `plain` reads the same
    alone as within the whole (at a space, not inside a link, not before a line marker),
    becomes prose and is searched in the original spelling. No hit in the folded copy
    means none in the body either: the snippet is the body's start. None means the hits
    are elsewhere (the call script) or the estimate found none: the caller does it the
    long way.
    """
    found = folded_hits(folded, query)
    if not found:
        end, text = 0, ""
        while len(text) < width + 20 and end < len(markdown):
            end = _cut_end(markdown, 2 * max(end, width))
            if end is None:
                return None
            text = plain(markdown[:end])
        return Snippet(_ellipsis(text, 0, min(len(text), width), after=_more(markdown, end)))
    place = found[_densest(found, width)][0]
    scale = len(markdown) / max(1, len(folded) - extra)
    estimate = int(place * scale)
    if estimate >= len(markdown):
        return None
    start = _cut_start(markdown, estimate - width // 4 - MARGIN)
    end = _cut_end(markdown, estimate + width + MARGIN)
    if start is None or end is None:
        return None
    for attempt in range(4):
        text = plain(markdown[start:end])
        hits = words.spans(text)
        if not hits:
            return None
        # Markup the prose drops (link targets, markers) can leave too little prose
        # around the hits in the slice: take more Markdown on that side.
        first = hits[_densest(hits, width)][0]
        short_before = start > 0 and first < width // 4 + 20
        short_after = end < len(markdown) and len(text) < first + width + 20
        if (not short_before and not short_after) or attempt == 3:
            break
        start = _cut_start(markdown, start - width) if short_before else start
        end = _cut_end(markdown, end + width) if short_after else end
        if start is None or end is None:
            return None
    return _window(text, hits, width, before=start > len(markdown) - len(markdown.lstrip()),
                   after=_more(markdown, end))


def _more(markdown: str, end: int) -> bool:
    """Whether anything but space follows `end` (`rstrip` copies nothing when nothing trails)."""
    return end < len(markdown.rstrip())


def _one_line(text: str) -> str:
    """`domain.text.one_line`, skipped for text that has nothing to replace (nearly all)."""
    return text if text.isprintable() else one_line(text)


def _open_link(markdown: str, at: int) -> bool:
    """Whether a Markdown link (`[text](url)`) may be open at `at`: `plain` must not cut there."""
    return "[" in markdown and (markdown.rfind("[", 0, at) > markdown.rfind("]", 0, at)
            or markdown.rfind("](", 0, at) > markdown.rfind(")", 0, at))


def _cut_start(markdown: str, position: int) -> int | None:
    """The start of a word at or before `position` where a slice of `markdown` may begin."""
    if position <= 0:
        return 0
    at = min(position, len(markdown))
    for _ in range(8):
        while at > 0 and not markdown[at - 1].isspace():
            at -= 1
        if at == 0:
            return 0
        if at < len(markdown) and markdown[at] not in LINE_MARK_STARTS and not markdown[at].isspace():
            if not _open_link(markdown, at):
                return at
            at = markdown.rfind("[", 0, at)  # inside a link: cut before its text
            if at < 0:
                return None
        else:
            at -= 1  # a possible line marker (or more space) starts here: cut one word earlier
    return None


def _cut_end(markdown: str, position: int) -> int | None:
    """A space at or after `position` where a slice of `markdown` may end (or its end)."""
    size = len(markdown)
    at = min(position, size)
    for _ in range(8):
        while at < size and not markdown[at].isspace():
            at += 1
        if at >= size:
            return size
        if _MARKER_ONLY.fullmatch(markdown, markdown.rfind("\n", 0, at) + 1, at):
            at += 1  # only a line marker before the cut: alone it would not read as one
            continue
        if not _open_link(markdown, at):
            return at
        close = markdown.find(")", at)  # inside a link: cut after it
        if close < 0:
            return size
        at = close + 1
    return None


def _densest(hits: list[tuple[int, int]], width: int) -> int:
    """Index of the hit that starts the window of `width` holding the most hits."""
    best, best_count, end = 0, 0, 0
    for i, hit in enumerate(hits):
        end = max(end, i)
        while end + 1 < len(hits) and hits[end + 1][1] - hit[0] <= width:
            end += 1
        if end - i + 1 > best_count:
            best, best_count = i, end - i + 1
    return best


def _word_start(text: str, position: int) -> int:
    if position == 0:
        return 0
    space = text.rfind(" ", 0, position)
    if space < 0:  # within the first word: start at the text's start rather than mid-word
        return 0 if position < 20 else position
    return space + 1 if position - space < 20 else position


def _word_end(text: str, position: int) -> int:
    if position >= len(text):
        return len(text)
    space = text.find(" ", position)
    return space if 0 <= space and space - position < 20 else position


def _ellipsis(text: str, start: int, end: int, *, after: bool = False) -> str:
    end = _word_end(text, end)
    return _one_line(text[start:end]) + ("…" if end < len(text) or after else "")
