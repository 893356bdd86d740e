"""Snippets: a short piece of the original text around the hits, with the hit words marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.kb_query import SearchQuery
from domain.kb_text import hit_spans
from domain.text import one_line

WIDTH = 160
"""About how many characters a snippet shows."""


@dataclass(frozen=True)
class Snippet:
    """Text to show and the `(start, end)` spans in it that matched the query."""

    text: str
    highlights: tuple[tuple[int, int], ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        """`{"text": …, "highlights": [[start, end], …]}`."""
        return {"text": self.text, "highlights": [list(span) for span in self.highlights]}


def hit_words(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Spans of the words of `text` that the query matches, in order."""
    return hit_spans(text, frozenset(query.exact), query.prefixes)


def highlight(text: str, query: SearchQuery) -> Snippet:
    """All of `text` (on one line) with every matching word marked."""
    flat = one_line(text)
    if len(flat) != len(text):
        # Control characters were made visible: spans would shift, so mark nothing.
        return Snippet(flat)
    return Snippet(flat, tuple(hit_words(text, query)))


def snippet(text: str, query: SearchQuery, *, width: int = WIDTH) -> Snippet:
    """A window of `text` of about `width` characters around the densest run of hits."""
    hits = hit_words(text, query)
    if not hits:
        return Snippet(_ellipsis(text, 0, min(len(text), width)))
    start_hit = _densest(hits, width)
    first_start = hits[start_hit][0]
    start = _word_start(text, max(0, first_start - width // 4))
    end = _word_end(text, min(len(text), start + width))
    piece = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    flat = one_line(piece)
    spans: tuple[tuple[int, int], ...] = ()
    if len(flat) == len(piece):
        spans = tuple((a - start + len(prefix), b - start + len(prefix))
                      for a, b in hits if a >= start and b <= end)
    return Snippet(prefix + flat + suffix, spans)


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
    return space + 1 if space >= 0 and position - space < 20 else position


def _word_end(text: str, position: int) -> int:
    if position >= len(text):
        return len(text)
    space = text.find(" ", position)
    return space if 0 <= space and space - position < 20 else position


def _ellipsis(text: str, start: int, end: int) -> str:
    end = _word_end(text, end)
    return one_line(text[start:end]) + ("…" if end < len(text) else "")
