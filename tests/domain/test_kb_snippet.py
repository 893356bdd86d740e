"""Snippets found by way of the folded copy, and hit words marked without a per-query regex."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from domain.kb_query import parse_query
from domain.kb_snippet import HitWords, _cut_end, _cut_start, body_snippet, folded_hits, snippet
from domain.kb_text import plain, search_copy
from domain.text import fold

LATIN = st.text(alphabet=st.sampled_from(list("abcxyzABCXYZ óÓłŁßẞĳĲæøœ ąęśźżćń éèêëçãõ.,;:-_/'\"()*\n\t0123456789")))
TRICKY = st.text(alphabet=st.sampled_from(list("asteijhdzfAST ßẞæÆœĳĲþÞǆǄﬁİı™½\u034f\u0301\u0308ёЁ-_. ")))
MARKDOWN = st.text(alphabet=st.sampled_from(list("ab ó #>-*+1.)_`~[]()!\n\t   ")))
TYPED = ["wyw", "a", "ab", "strasse ij", "o", "łódź", "ss", "ae ij", "th", "fi", "12", "ё", "abc"]


def _reference_spans(text, query):
    """Fold each word on its own: slow, obviously right."""
    word = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
    return [m.span() for m in word.finditer(text)
            if any(t in query.exact or t.startswith(query.prefixes) for t in re.findall(r"[^\W_]+", fold(m.group())))]


@given(st.one_of(st.text(), LATIN, TRICKY), st.sampled_from(TYPED))
def test_hit_words_equal_folding_each_word(text, typed):
    for query in (parse_query(typed + " "), parse_query(typed)):
        words = HitWords(query)
        assert words.spans(text) == _reference_spans(text, query)
        assert words.spans(text) == _reference_spans(text, query)  # again, from what it remembered


@given(LATIN, st.sampled_from(TYPED))
def test_hits_in_the_folded_copy_are_the_hit_tokens(text, typed):
    query = parse_query(typed + " ")
    folded = search_copy(text)
    tokens = [folded[a:b] for a, b in folded_hits(folded, query)]
    assert tokens == [t for t in folded.split() if t in query.exact or t.startswith(query.prefixes)]


def _joined(*parts):
    return " ".join(part for part in parts if part)


@given(MARKDOWN, st.integers(0, 200), st.integers(0, 200))
def test_plain_reads_a_slice_cut_there_as_the_whole_does(markdown, first, second):
    start, end = _cut_start(markdown, min(first, second)), _cut_end(markdown, max(first, second))
    if start is None or end is None or start > end:
        return
    # What comes before the slice and the slice read alone give the start of the whole's prose
    # (what follows may read differently alone: a `>` after the cut would be a line marker).
    head = _joined(plain(markdown[:start]), plain(markdown[start:end]))
    whole = plain(markdown)
    assert whole == head or whole.startswith(head + " ") or not head


def test_a_hit_deep_in_a_long_body_gives_the_same_snippet_as_reading_it_all():
    body = ("Opis usługi, [zobacz](kb:inne) i **ważne**.\n\n- punkt pierwszy\n" * 30
            + "Wywóz odpadów wielkogabarytowych we wtorki.\n\n" + "Dalsze informacje. " * 30)
    query = parse_query("wielkogabarytowych")
    folded = search_copy(plain(body))
    piece = body_snippet(body, folded, query, HitWords(query))
    assert piece == snippet(plain(body), query)
    assert [piece.text[a:b] for a, b in piece.highlights] == ["wielkogabarytowych"]
    assert piece.text.startswith("…") and piece.text.endswith("…")


def test_no_hit_in_the_folded_copy_shows_the_start_of_the_body():
    body = "# Tytuł\n\nPierwsze zdanie artykułu. " + "Dalej. " * 80
    query = parse_query("nieobecne")
    piece = body_snippet(body, search_copy(plain(body)), query, HitWords(query))
    assert piece == snippet(plain(body), query)


@given(st.lists(st.sampled_from(["Wywóz", "odpadów", "[link](kb:x)", "**gruz**", "- lista", "1. punkt", "Straße",
                                 "ĳs", "zwykłe", "słowo", "\n\n", "\n", "kontener,", "`kod`"]), max_size=200),
       st.sampled_from(["wywoz", "odpad", "gruz", "strasse", "ijs", "kontener", "punk"]))
def test_a_snippet_found_by_way_of_the_folded_copy_marks_real_hits_of_the_prose(pieces, typed):
    body = " ".join(pieces)
    query = parse_query(typed)
    prose = plain(body)
    piece = body_snippet(body, search_copy(prose), query, HitWords(query))
    if piece is None:
        return
    inner = piece.text.removeprefix("…").removesuffix("…")
    assert inner in prose
    offset = len(piece.text) - len(piece.text.removeprefix("…"))
    assert [(a - offset, b - offset) for a, b in piece.highlights] == _reference_spans(inner, query)
    assert bool(piece.highlights) == bool(_reference_spans(prose, query))


def test_a_slice_never_ends_between_a_line_marker_and_its_space():
    assert _cut_end("- punkt", 0) == len("- punkt")
    assert _cut_end("tekst\n12. punkt", 6) == len("tekst\n12. punkt")


def test_a_slice_starts_before_a_link_it_would_cut():
    markdown = "Zobacz [opłaty za wywóz](kb:oplaty) teraz"
    start = _cut_start(markdown, markdown.index("wywóz"))
    assert start is not None and start <= markdown.index("[")
    assert _cut_start("]( )[", 3) is None  # "](" without "[": no cut is trusted


def test_a_window_starting_inside_the_first_word_starts_at_the_text():
    from domain.kb_snippet import _word_start

    assert _word_start("kontener, Wywóz odpadów", 3) == 0  # not '…ntener'
    assert _word_start("kontener, Wywóz odpadów", 12) == 10  # the start of 'Wywóz'
