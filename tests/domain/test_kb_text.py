"""Folded search copies, safe queries and snippets marked in the original spelling."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.kb_query import parse_query
from domain.kb_snippet import highlight, snippet
from domain.kb_text import fold_tokens, plain, search_copy

LATIN = st.text(alphabet=st.sampled_from(list("abcxyzABCXYZ óÓłŁßẞĳĲæøœ ąęśźżćń éèêëçãõ.,;:-_/'\"()*\n\t0123456789")))


@given(st.text())
def test_the_fast_search_copy_equals_folding_word_by_word_for_any_text(text):
    assert search_copy(text) == " ".join(fold_tokens(text))


@given(LATIN)
def test_the_fast_search_copy_equals_folding_word_by_word_for_latin_text(text):
    assert search_copy(text) == " ".join(fold_tokens(text))


def test_the_search_copy_folds_what_unicode61_does_not():
    assert search_copy("Wywóz ODPADÓW, Płatność; Straße — ĳsje") == "wywoz odpadow platnosc strasse ijsje"


def _reference_spans(text, query):
    """Fold each word on its own: slow, obviously right."""
    import re

    from domain.text import fold
    word = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
    return [m.span() for m in word.finditer(text)
            if any(t in query.exact or t.startswith(query.prefixes) for t in re.findall(r"[^\W_]+", fold(m.group())))]


@given(st.one_of(st.text(), LATIN), st.sampled_from(["wyw", "a", "ab", "strasse ij", "o", "łódź"]))
def test_fast_hit_spans_equal_folding_each_word(text, typed):
    from domain.kb_snippet import hit_words

    query = parse_query(typed + " ")
    assert hit_words(text, query) == _reference_spans(text, query)


TRICKY = st.text(alphabet=st.sampled_from(list("asteijhdzfAST ßẞæÆœĳĲþÞǆǄﬁİı™½\u034f\u0301\u0308ёЁ-_.")))


@given(TRICKY, st.sampled_from(["ss", "sst", "stra", "ae ij", "aes", "eij", "th", "dz", "fi", "i", "tm", "ё", "12"]))
def test_hit_spans_equal_folding_each_word_where_folding_changes_lengths(text, typed):
    from domain.kb_snippet import hit_words

    for query in (parse_query(typed + " "), parse_query(typed, typing=True)):
        assert hit_words(text, query) == _reference_spans(text, query)


MARKDOWN = st.text(alphabet=st.sampled_from(list("ab #>-*+1.)_`~[]()!\n\t ")))


@given(MARKDOWN)
def test_plain_equals_applying_every_markdown_rule(text):
    from domain import kb_text
    expected = kb_text._INLINE_MARKS.sub("", kb_text._LINE_MARKS.sub("", kb_text._LINK.sub(r"\1", text)))
    assert plain(text) == " ".join(expected.split())


@given(st.text())
def test_any_typed_text_becomes_quoted_terms_only(text):
    query = parse_query(text)
    for phrase in query.phrases():
        assert phrase.startswith('"') and phrase.rstrip("*").endswith('"')
        assert '"' not in phrase.rstrip("*")[1:-1]
    assert all(ch.isalnum() or ch in ":*& " for ch in query.tsquery())


def test_words_of_three_letters_are_prefixes_and_shorter_ones_exact():
    query = parse_query("wyw od ab")
    assert query.prefixes == ("wyw",) and query.exact == ("od",)
    assert parse_query("wyw od a ").exact == ("od", "a")
    assert parse_query("AND ( * \"").fts5() == '"and"*'


def test_a_hit_is_marked_in_the_original_spelling_even_when_folding_changes_length():
    text = "Die Straße ist dunkel; Płatność w ĳsje-kiosk."
    marked = highlight(text, parse_query("strasse platnosc ijsje"))
    assert [text[a:b] for a, b in marked.highlights] == ["Straße", "Płatność", "ĳsje"]


def test_a_decomposed_accent_stays_inside_its_word():
    text = "Coleta de eletrodome\u0301sticos velhos"
    marked = highlight(text, parse_query("eletrodomesticos"))
    assert [text[a:b] for a, b in marked.highlights] == ["eletrodome\u0301sticos"]


def test_a_snippet_shows_the_densest_hits_with_ellipses():
    text = "lorem ipsum " * 40 + "Wywóz odpadów we wtorki. " + "dolor sit " * 40
    piece = snippet(text, parse_query("wywoz odpadow"), width=60)
    assert piece.text.startswith("…") and piece.text.endswith("…")
    assert [piece.text[a:b] for a, b in piece.highlights] == ["Wywóz", "odpadów"]


def test_control_characters_are_made_visible_and_then_nothing_is_marked():
    piece = highlight("Wywóz\x1b]0;evil\x07", parse_query("wywoz"))
    assert "\\x1b" in piece.text and piece.highlights == ()


def test_markdown_becomes_plain_prose_for_snippets():
    assert plain("## Tytuł\n\nZobacz [opłaty](kb:oplaty) i **ważne** `kod`.\n- punkt") == \
        "Tytuł Zobacz opłaty i ważne kod. punkt"


def test_a_term_with_very_many_spellings_is_matched_word_by_word_not_by_a_huge_regex():
    from domain.kb_snippet import hit_words

    query = parse_query("s" * 60 + " ")
    text = "ß" * 30 + " " + "s" * 59 + " " + "S" * 30 + "ß" * 15
    assert hit_words(text, query) == _reference_spans(text, query) == [(0, 30), (91, 136)]


def test_the_fast_search_copy_equals_folding_word_by_word_for_every_character():
    from domain.kb_text import _latin_copy

    # Every code point the fast path takes, next to letters, before a combining accent, alone.
    for code in range(0x110000):
        c = chr(code)
        if not 0xD800 <= code <= 0xDFFF and _latin_copy(c) is not None:
            text = f"A{c}b{c}\u0301 {c}."
            assert search_copy(text) == " ".join(fold_tokens(text)), f"U+{code:04X}"


BODY = st.text(alphabet=st.sampled_from(list("ab Łó#>-*+1.)_`~[]()!\n\t \u00a0\u2028\u0301")))


@given(BODY, st.text(max_size=20), st.lists(st.sampled_from(["odpady", "a_b", "ł"]), max_size=2),
       st.sampled_from(["", "Biuro", "  "]))
def test_the_indexed_words_are_those_of_the_plain_prose(body, script, tags, label):
    from domain.kb_document import ArticleDoc, Phone

    doc = ArticleDoc(slug="a", title="t", language="pl", body=body, script=script, tags=tuple(tags),
                     phones=(Phone(label, "+48221234567"),))
    words = "\n".join(part for part in (plain(body), script, " ".join(tags), label) if part)
    assert search_copy(doc.index_text()) == search_copy(words)
