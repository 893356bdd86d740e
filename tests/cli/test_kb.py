"""`callcenter kb …` and `report kb`: JSON contract, import errors, export round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "console" / "demo" / "articles"


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "kb"
    _write(folder, "wywoz.md", "---\ntitle: Wywóz odpadów\nlanguage: pl\ntags: [odpady]\n"
           "links: [oplaty, zaginiony]\n---\n\nOdpady odbieramy we wtorki. [Opłaty](kb:oplaty)\n")
    _write(folder, "oplaty.md", "---\ntitle: Opłaty za odpady\nlanguage: pl\n---\n\nPłatność przelewem.\n")
    _write(folder, "szkic.md", "---\ntitle: Wywóz gruzu\nlanguage: pl\nstatus: draft\n---\n\nGruz.\n")
    return folder


def test_import_then_search_prints_ranked_json_with_snippets(cli, articles):
    imported = cli("kb", "import", str(articles), "--json")
    assert imported.exit_code == 0, imported.stderr
    assert imported.json()["created"] == 3
    assert imported.json()["broken_links"] == [{"from": "wywoz", "to": "zaginiony"}]
    found = cli("kb", "search", "wywoz odpadow", "--json")
    assert found.exit_code == 0, found.stderr
    [hit] = found.json()
    assert set(hit) >= {"id", "slug", "title", "language", "score", "snippet"}
    assert hit["slug"] == "wywoz" and hit["title"] == "Wywóz odpadów"
    assert [hit["title"][a:b] for a, b in hit["title_highlights"]] == ["Wywóz", "odpadów"]


def test_search_filters_and_drafts(cli, articles):
    cli("kb", "import", str(articles))
    assert [h["slug"] for h in cli("kb", "search", "wyw", "--json").json()] == ["wywoz"]
    assert sorted(h["slug"] for h in cli("kb", "search", "wyw", "--drafts", "--json").json()) == ["szkic", "wywoz"]
    assert cli("kb", "search", "wyw", "--lang", "en", "--json").json() == []
    assert [h["slug"] for h in cli("kb", "search", "odpady", "--tag", "odpady", "--json").json()] == ["wywoz"]


@pytest.mark.parametrize("nasty", ['"', "AND (", "*", "NEAR(", "[bold]x[/]"])
def test_query_syntax_is_just_text(cli, articles, nasty):
    cli("kb", "import", str(articles))
    result = cli("kb", "search", nasty, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == []


def test_human_output_shows_hits_without_interpreting_markup(cli, tmp_path):
    _write(tmp_path / "kb", "x.md", "---\ntitle: \"[bold]Wywóz[/] odpadów\"\nlanguage: pl\n---\n\nTekst.\n")
    cli("kb", "import", str(tmp_path / "kb"))
    result = cli("kb", "search", "wywoz")
    assert result.exit_code == 0, result.stderr
    assert "[bold]Wywóz[/] odpadów" in result.stdout


def test_bad_front_matter_names_file_line_and_field_and_imports_nothing(cli, articles):
    bad = _write(articles, "zly.md", "---\ntitle: Zły\nlanguage: pl\nkind: essay\n---\n")
    result = cli("kb", "import", str(articles))
    assert result.exit_code == 1
    assert f"error: {bad}:4: kind: 'essay' is not one of" in result.stderr
    assert cli("info", "--json").json()["counts"]["articles"] == 0


def test_a_missing_path_is_a_data_error(cli, tmp_path):
    result = cli("kb", "import", str(tmp_path / "nope"))
    assert result.exit_code == 1 and "no such file or directory" in result.stderr


def test_export_then_import_changes_nothing(cli, articles, tmp_path):
    cli("kb", "import", str(articles))
    exported = cli("kb", "export", str(tmp_path / "out"), "--json")
    assert exported.json()["articles"] == 3
    again = cli("kb", "import", str(tmp_path / "out"), "--json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["oplaty.md", "szkic.md", "wywoz.md"]


def test_show_prints_the_article_with_broken_links_marked(cli, articles):
    cli("kb", "import", str(articles))
    shown = cli("kb", "show", "wywoz", "--json").json()
    assert {(l["slug"], l["broken"]) for l in shown["resolved_links"]} == {("oplaty", False), ("zaginiony", True)}
    human = cli("kb", "show", "wywoz")
    assert "zaginiony -> BROKEN" in human.stdout
    assert cli("kb", "show", "nie-ma").exit_code == 1


def test_report_kb_prints_one_json_document(cli, articles):
    cli("kb", "import", str(articles))
    report = cli("report", "kb", "--json")
    assert report.exit_code == 0, report.stderr
    assert {r["slug"] for r in report.json()["never_used"]} == {"oplaty", "wywoz"}
    assert cli("report", "kb").exit_code == 0


def test_the_demo_articles_import_cleanly_into_the_demo_office(cli_process):
    seeded = cli_process("seed", str(DEMO.parent / "office.yaml"))
    assert seeded.exit_code == 0, seeded.stderr
    result = cli_process("kb", "import", str(DEMO), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] >= 40 and result.json()["broken_links"] == []
    languages = {h["language"] for h in cli_process("kb", "search", "odbior", "--json").json()}
    assert "pl" in languages
    for typed, slug in [("wywoz odpadow", "pl-harmonogram-wywozu"), ("eletrodomesticos", "pt-eletrodomesticos"),
                        ("platnosc", "pl-oplata-za-odpady"), ("ijzel", "nl-gladheid")]:
        slugs = [h["slug"] for h in cli_process("kb", "search", typed, "--json").json()]
        assert slug in slugs[:3], (typed, slugs)
