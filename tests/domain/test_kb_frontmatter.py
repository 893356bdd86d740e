"""Article files: front matter read and checked field by field; export reads back identically."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.kb_document import ArticleDoc, Phone, to_markdown
from domain.kb_frontmatter import parse_article


def _parse(front: str, body: str = "Treść.", path: str = "kb/a.md") -> ArticleDoc:
    return parse_article(f"---\n{front}\n---\n\n{body}\n", path)


def test_a_full_file_is_read_with_phones_normalised_and_links_kept_in_order():
    doc = _parse("title: Wywóz\nlanguage: pl\ntags: [Odpady]\nphones:\n  - label: Biuro\n"
                 "    number: +48 22 123 45 67\n  - '+31 20 555 12 00'\nlinks: [b, a]\n"
                 "problem_codes: [appliance-pickup]\nscript: |\n  Dzień dobry.\n  Adres?\n"
                 "url: https://example.pl/x\nstatus: draft\nkind: script")
    assert doc.slug == "a" and doc.tags == ("odpady",) and doc.links == ("b", "a")
    assert doc.phones == (Phone("Biuro", "+48221234567"), Phone("", "+31205551200"))
    assert doc.script == "Dzień dobry.\nAdres?" and doc.status == "draft" and doc.kind == "script"


@pytest.mark.parametrize("front, where", [
    ("language: pl", "kb/a.md:1: title: is required"),
    ("title: x\nlanguage: polish", "kb/a.md:3: language:"),
    ("title: x\nlanguage: pl\ncolour: red", "kb/a.md:4: colour: unknown field"),
    ("title: x\nlanguage: pl\nphones:\n  - '+48 22'\n", "kb/a.md:5: phones[0]:"),
    ("title: x\nlanguage: pl\nlinks:\n  - ok\n  - Not A Slug", "kb/a.md:6: links[1]:"),
    ("title: x\nlanguage: pl\nurl: ftp://x", "kb/a.md:4: url:"),
    ("title: [x\nlanguage: pl", "kb/a.md:3: front matter is not valid YAML"),
    ("title: x\nlanguage: pl\nstatus: maybe", "kb/a.md:4: status: 'maybe' is not one of draft, published"),
    ("title: 12\nlanguage: pl", "kb/a.md:2: title: must be text"),
])
def test_bad_front_matter_names_file_line_and_field(front, where):
    with pytest.raises(InvalidInput) as caught:
        _parse(front)
    assert str(caught.value).startswith(where)


def test_a_file_without_front_matter_is_refused():
    with pytest.raises(InvalidInput, match="kb/a.md:1: no front matter"):
        parse_article("# Title\n", "kb/a.md")


SLUGS = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).map(str.strip).filter(bool)


@given(slug=SLUGS, title=TEXT, body=st.text(max_size=200), script=st.text(max_size=80),
       tags=st.lists(SLUGS, max_size=3), links=st.lists(SLUGS, max_size=3, unique=True))
def test_export_then_read_gives_the_same_document(slug, title, body, script, tags, links):
    doc = ArticleDoc(slug=slug, title=title, language="pl", body=body.strip("\n").rstrip(),
                     script=script.strip(), tags=tuple(dict.fromkeys(tags)), links=tuple(links),
                     phones=(Phone("Biuro", "+48221234567"),), url="https://example.pl/a")
    assert parse_article(to_markdown(doc), f"{slug}.md") == doc


@pytest.mark.parametrize("text", ["0\x850", "a\u2028b", "x\r\ny", "one\ntwo\x85three", "p\u2029q"])
def test_text_with_yamls_other_line_breaks_reads_back_as_written(text):
    # YAML also breaks lines at NEL, LS, PS and CR; unescaped they come back changed.
    doc = ArticleDoc(slug="a", title=text.replace("\n", " "), language="pl", body="Treść.", script=text)
    assert parse_article(to_markdown(doc), "a.md") == doc
