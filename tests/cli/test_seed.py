"""`callcenter seed`: the example loads, twice changes nothing, every bad input exits 1 unchanged."""

import json
from pathlib import Path

import pytest

from storage.engine import make_engine
from tests.seed_dump import dump

EXAMPLE = Path(__file__).parents[2] / "docs" / "example-office.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _variant(tmp_path: Path, old: str, new: str, name: str = "office.yaml") -> Path:
    assert old in TEXT, old
    path = tmp_path / name
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_example_loads_and_loading_it_again_changes_nothing(cli, db):
    first = cli("seed", str(EXAMPLE), "--json")
    assert first.exit_code == 0, first.stderr
    assert first.json()["changed"] > 40 and first.json()["files"] == [str(EXAMPLE)]
    before = dump(db)
    second = cli("seed", str(EXAMPLE), "--json")
    assert second.exit_code == 0 and second.json()["changed"] == 0
    assert dump(db) == before
    human = cli("seed", str(EXAMPLE))
    assert "nothing changed" in human.stdout


def test_a_dry_run_prints_what_would_change_and_writes_nothing(cli, db):
    before = dump(db)
    result = cli("seed", str(EXAMPLE), "--dry-run", "--json")
    assert result.exit_code == 0 and result.json()["dry_run"] is True
    assert result.json()["summary"]["problem_codes"]["created"] == 3
    assert dump(db) == before
    assert "nothing was written" in cli("seed", str(EXAMPLE), "--dry-run").stdout


BAD_VARIANTS = [
    ("syntax error", "  name: Office hours\n", "  name: Office hours\n  : :\n", "office.yaml:", "YAML"),
    ("unknown parent", "routing_category: Streets/Roads", "routing_category: Streets/Rods",
     "problem_codes[0].routing_category", "no routing category 'Streets/Rods'"),
    ("unknown priority", "default_priority: low", "default_priority: lowest",
     "template.default_priority", "no priority 'lowest'"),
    ("duplicate code", "  - code: streets", "  - code: environment", "departments[1].code",
     "duplicate department code"),
    ("wrong type", "    rank: 3", "    rank: third", "priorities[2].rank", "valid integer"),
    ("unknown language", "names: {en: Roads, pl: Drogi}", "names: {en: Roads, de: Straßen}",
     "departments[1].providers[0].names.de", "not one of the office's languages"),
    ("bad time range", '"08:00-17:00"', '"17:00-08:00"', "calendar.hours", "start must be before the end"),
    ("unknown key", "    providers:\n      - code: roads", "    provider:\n      - code: roads",
     "departments[1].provider", "did you mean 'providers'"),
    ("plain password", "  - login: joost\n", "  - login: joost\n    password: hunter2hunter2\n",
     "agents[1]", "plain-text passwords"),
]


@pytest.mark.parametrize("case, old, new, place, problem", BAD_VARIANTS, ids=[v[0] for v in BAD_VARIANTS])
def test_a_bad_file_exits_1_naming_file_place_and_problem_and_writes_nothing(
        cli, db, tmp_path, case, old, new, place, problem):
    path = _variant(tmp_path, old, new)
    before = dump(db)
    result = cli("seed", str(path))
    assert result.exit_code == 1, result.stdout
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith(f"error: {path}:")
    assert place in line and problem in line
    assert dump(db) == before


@pytest.mark.parametrize("content, problem", [
    (b"office:\n  name: Caf\xe9\n", "not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"", "empty"),
])
def test_files_that_are_not_utf8_text_are_refused(cli, db, tmp_path, content, problem):
    path = tmp_path / "office.yaml"
    path.write_bytes(content)
    before = dump(db)
    result = cli("seed", str(path))
    assert result.exit_code == 1 and problem in result.stderr and str(path) in result.stderr
    assert dump(db) == before


def test_a_huge_file_is_refused(cli, tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"# " + b"x" * (11 * 1024 * 1024) + b"\n")
    result = cli("seed", str(path))
    assert result.exit_code == 1 and "too large" in result.stderr


def test_every_argument_is_checked(cli, tmp_path):
    missing = cli("seed", str(tmp_path / "absent.yaml"))
    assert missing.exit_code == 1 and "absent.yaml: no such file" in missing.stderr
    empty = cli("seed", str(tmp_path))
    assert empty.exit_code == 1 and "no services.json and no" in empty.stderr
    assert cli("seed", str(EXAMPLE), "--format", "xml").exit_code == 2
    assert cli("seed", str(EXAMPLE), "--department", "x").exit_code == 2
    assert cli("seed").exit_code == 2


def test_a_folder_of_seed_files_loads_in_name_order_in_one_transaction(cli, db, tmp_path):
    (tmp_path / "10-org.yaml").write_text(TEXT, encoding="utf-8")
    (tmp_path / "20-more.json").write_text(json.dumps({"agents": [
        {"login": "nuno", "name": "Nuno Reis", "languages": ["pt"], "categories": ["Complaints"]}]}))
    result = cli("seed", str(tmp_path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["summary"]["agents"]["created"] == 4
    (tmp_path / "30-bad.json").write_text(json.dumps({"agents": [{"login": "x", "name": "X",
                                                                   "categories": ["Nowhere"]}]}))
    (tmp_path / "20-more.json").write_text(json.dumps({"agents": [{"login": "nuno", "name": "Nuno R."}]}))
    before = dump(db)
    bad = cli("seed", str(tmp_path))
    assert bad.exit_code == 1 and "30-bad.json" in bad.stderr and "agents[0].categories[0]" in bad.stderr
    assert dump(db) == before


def test_the_real_process_reports_a_bad_file_on_one_line(cli_process, tmp_path):
    path = _variant(tmp_path, "    rank: 3", "    rank: third")
    result = cli_process("seed", str(path))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and "priorities[2].rank" in result.stderr
