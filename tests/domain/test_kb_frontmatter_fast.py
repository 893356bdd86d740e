"""The front-matter fast path reads exactly what the YAML loader reads, or leaves it to the loader."""

from __future__ import annotations

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.kb_document import ArticleDoc, Phone, to_markdown
from domain.kb_frontmatter import _simple_front, parse_article, split_front_matter

# Characters that mean something to YAML somewhere, letters with and without accents,
# digits (numbers, dates), and whitespace and control characters YAML treats specially.
TRICKY = list("aZyYnNoOtTfF~.0123456789+-_:#,[]{}&*!|>'\"%@`?= <\\/łóß") + [
    "\t", "\r", "\x85", "\u2028", "\ufeff", "\x00", "\x7f", "\xa0", "é"]
SCALAR = st.text(st.sampled_from(TRICKY), max_size=12)
WORDS = st.sampled_from(["yes", "No", "on", "off", "null", "~", "true", "12", "0x1f", "1_000", "1:20",
                         "3.5", ".inf", "-1", "2026-11-26", "<<", "=", "a b", "x: y", "a #b", "a#b",
                         "http://x.pl/a?b=c#d", "...", "---", "[a, b]", "'q'", "|", "Wywóz odpadów"])
VALUE = st.one_of(SCALAR, WORDS, st.builds(lambda a, b: f"{a} {b}", WORDS, SCALAR))
KEY = st.one_of(st.sampled_from(["title", "tags", "on", "yes", "null", "x1", "_k", "Title"]),
                st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True))
LINE = st.one_of(st.builds(lambda k, v: f"{k}: {v}", KEY, VALUE), st.builds(lambda k: f"{k}:", KEY),
                 st.builds(lambda v: f"- {v}", VALUE), st.builds(lambda v: f"  - {v}", VALUE),
                 st.builds(lambda v: f"  {v}", VALUE), VALUE, st.just(""), st.just("# note"))


def _loaded(front: str):
    try:
        return yaml.load(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return "error"


SIMPLE_LOOKING = st.lists(st.one_of(st.builds(lambda k, v: f"{k}: {v}", KEY, VALUE),
                                    st.builds(lambda k, vs: "\n".join([f"{k}:"] + [f"- {v}" for v in vs]),
                                              KEY, st.lists(VALUE, max_size=3))), max_size=5)


@settings(max_examples=3000)
@given(st.one_of(st.lists(LINE, max_size=6), SIMPLE_LOOKING))
@example(["title: a  b", "tags:", "- x", "- y z"])
@example(["title: Wywóz, odpady [PSZOK] {x}", "links:", "- pl-1", "url: https://a.pl/b:c"])
@example(["title: a #b"])
@example(["title: a:"])
@example(["tags:", "- a:"])
@example(["title: a\x85b"])
@example(["title: a\u2028b"])
@example(["title: a\tb"])
@example(["yes: a"])
@example(["title: 2026-11-26"])
@example(["tags:", "- on"])
@example(["title: x", "- y"])
@example(["tags:", "title: x"])
def test_the_fast_path_reads_what_the_yaml_loader_reads(lines):
    front = "".join(line + "\n" for line in lines)
    fast = _simple_front(front)
    if fast is not None:
        assert fast == _loaded(front)
        assert fast == yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        assert all(type(v) in (str, list) for v in fast.values())


def test_what_export_writes_takes_the_fast_path():
    doc = ArticleDoc(slug="pl-1", title="Wywóz odpadów, gabaryty", language="pl", body="Treść.",
                     tags=("odpady", "woda"), links=("pl-2", "nl-3"), url="https://example.pl/a")
    front, _body = split_front_matter(to_markdown(doc), "pl-1.md")
    assert _simple_front(front) == yaml.safe_load(front)


def test_front_matter_the_fast_path_leaves_is_still_read_by_the_loader():
    doc = ArticleDoc(slug="pl-1", title="Uwaga: 12", language="pl", body="Treść.", script="a\nb",
                     phones=(Phone("Biuro", "+48221234567"),), tags=("yes",))
    text = to_markdown(doc)
    front, _body = split_front_matter(text, "pl-1.md")
    assert _simple_front(front) is None
    assert parse_article(text, "pl-1.md") == doc

