"""Reading article files: worker processes read the same articles as one process."""

from __future__ import annotations

from domain import kb_files
from domain.kb_document import ArticleDoc, to_markdown


def test_worker_processes_read_the_same_articles_in_the_same_order(tmp_path, monkeypatch):
    monkeypatch.setattr(kb_files, "PARALLEL_FROM", 3)
    for i in range(7):
        doc = ArticleDoc(slug=f"pl-{i}", title=f"Wywóz {i}", language="pl", body=f"Treść [a](kb:pl-{i + 1}).")
        (tmp_path / f"pl-{i}.md").write_text(to_markdown(doc), encoding="utf-8")
    (tmp_path / "zz-bad.md").write_text("no front matter", encoding="utf-8")
    files = kb_files.collect([str(tmp_path)])
    alone = list(kb_files.read_articles(files, workers=0))
    assert list(kb_files.read_articles(files, workers=2)) == alone
    assert [a.doc.slug for a in alone[:-1]] == [f"pl-{i}" for i in range(7)]
    assert alone[0].body_links == ("pl-1",) and isinstance(alone[-1], str)
