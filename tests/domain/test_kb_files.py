"""Reading article files: parsing workers only where cores are idle; the same articles either way."""

from __future__ import annotations

from domain import kb_files
from domain.kb_document import ArticleDoc, to_markdown


def test_parsing_workers_only_on_idle_cores(monkeypatch):
    from domain import kb_files

    monkeypatch.setattr(kb_files.os, "cpu_count", lambda: 4)
    for load, workers in [(0.0, 3), (0.4, 3), (1.2, 2), (2.6, 0), (3.0, 0), (9.0, 0)]:
        monkeypatch.setattr(kb_files.os, "getloadavg", lambda load=load: (load, load, load))
        assert kb_files.idle_workers() == workers
    monkeypatch.setattr(kb_files.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(kb_files.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert kb_files.idle_workers() == 0


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
