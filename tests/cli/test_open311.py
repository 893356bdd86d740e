"""Open311 GeoReport v2 catalogues: import, export, and the round trip between them."""

import json
import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from storage.engine import make_engine, read_session
from storage.tables import Department, ProblemCode, Provider, ServiceCategory, TemplateField
from tests.seed_dump import dump

CITY = Path(__file__).with_name("open311_city")
PLACE = ("--department", "public-works", "--provider", "city-311")


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _normalised(value):
    """JSON with codes and keys as text (catalogues may send them as numbers)."""
    if isinstance(value, dict):
        return {k: str(v) if k in ("service_code", "code", "key") else _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


def _read(directory: Path, name: str):
    return _normalised(json.loads((directory / name).read_text(encoding="utf-8")))


def _fields(engine, code: str) -> list[TemplateField]:
    with read_session(engine) as session:
        problem = session.exec(select(ProblemCode).where(ProblemCode.code == code)).one()
        return list(session.exec(select(TemplateField).where(
            TemplateField.problem_code_id == problem.id).order_by(TemplateField.position)))


def test_a_city_catalogue_becomes_categories_problem_codes_and_template_fields(cli, db):
    result = cli("seed", str(CITY), "--format", "open311", *PLACE, "--json")
    assert result.exit_code == 0, result.stderr
    summary = result.json()["summary"]
    assert summary["service_categories"]["created"] == 3 and summary["problem_codes"]["created"] == 5
    with read_session(db) as session:
        provider = session.exec(select(Provider).where(Provider.code == "city-311")).one()
        department = session.get(Department, provider.department_id)
        groups = {c.names["en"]: c.code for c in session.exec(select(ServiceCategory))}
        cans = session.exec(select(ProblemCode).where(ProblemCode.code == "1")).one()
    assert department.code == "public-works" and department.names == {"en": "public-works"}
    assert groups == {"Sanitation": "sanitation", "Street Defects": "street-defects", "Street Lights": "street-lights"}
    assert cans.names == {"en": "Cans left out 24x7"} and cans.keywords == ["cans", "garbage", "recycling"]
    where = _fields(db, "1")[0]
    assert (where.kind, [c["key"] for c in where.choices]) == ("choice", ["1", "2", "3"])
    notice, size, danger, details = _fields(db, "POTHOLE")
    assert not notice.variable and notice.labels["en"].startswith("Potholes are made safe")
    assert (size.kind, danger.kind, details.kind) == ("choice", "yes_no", "text")
    items, at_kerb, when = _fields(db, "BULKY")
    assert (items.kind, at_kerb.kind, when.kind) == ("multi_choice", "yes_no", "date")
    assert [f.position for f in (items, at_kerb, when)] == [10, 20, 30]
    assert [f.code for f in _fields(db, "4100")] == ["7", "POLE"] and _fields(db, "GRAFFITI") == []


def _imports_without_change(cli, db, directory: Path) -> None:
    before = dump(db)
    again = cli("seed", str(directory), *PLACE, "--json")
    assert again.exit_code == 0 and again.json()["changed"] == 0
    assert dump(db) == before


def test_importing_the_same_catalogue_again_changes_nothing(cli, db):
    assert cli("seed", str(CITY), *PLACE).exit_code == 0  # a folder with services.json is Open311
    _imports_without_change(cli, db, CITY)


def test_export_writes_the_same_catalogue_back_and_reimporting_it_changes_nothing(cli, db, tmp_path):
    assert cli("seed", str(CITY), *PLACE).exit_code == 0
    out = tmp_path / "exported"
    exported = cli("export", "open311", str(out), "--provider", "city-311", "--json")
    assert exported.exit_code == 0, exported.stderr
    assert exported.json()["services"] == 5 and exported.json()["definitions"] == 4
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in CITY.iterdir())
    by_code = lambda services: sorted(services, key=lambda s: s["service_code"])  # noqa: E731
    assert by_code(_read(out, "services.json")) == by_code(_read(CITY, "services.json"))
    for name in ("1.json", "BULKY.json", "POTHOLE.json", "4100.json"):
        assert _read(out, name) == _read(CITY, name), name
    _imports_without_change(cli, db, out)


def test_translations_added_later_survive_a_reimport(cli, db, tmp_path):
    assert cli("seed", str(CITY), *PLACE).exit_code == 0
    (tmp_path / "pl.yaml").write_text(
        "office: {languages: [en, pl]}\n"
        "departments:\n- code: public-works\n  providers:\n  - code: city-311\n    service_categories:\n"
        "    - code: street-defects\n      problem_codes:\n      - code: POTHOLE\n"
        "        names: {pl: Dziura w jezdni}\n", encoding="utf-8")
    assert cli("seed", str(tmp_path / "pl.yaml")).exit_code == 0
    assert cli("seed", str(CITY), *PLACE, "--json").json()["changed"] == 0
    with read_session(db) as session:
        pothole = session.exec(select(ProblemCode).where(ProblemCode.code == "POTHOLE")).one()
    assert pothole.names == {"en": "Pothole in street", "pl": "Dziura w jezdni"}


def _broken_city(tmp_path: Path, change) -> Path:
    city = tmp_path / "city"
    shutil.copytree(CITY, city)
    change(city)
    return city


def _edit(city: Path, name: str, edit) -> None:
    data = json.loads((city / name).read_text())
    edit(data)
    (city / name).write_text(json.dumps(data))


BAD_CATALOGUES = [
    ("no services.json", lambda c: (c / "services.json").unlink(), "has no services.json"),
    ("not a list", lambda c: (c / "services.json").write_text('{"services": []}'), "must hold a JSON list"),
    ("syntax", lambda c: (c / "services.json").write_text('[{"service_code": 1,}]'), "services.json:1:"),
    ("duplicate code", lambda c: _edit(c, "services.json", lambda d: d[1].update(service_code="1")),
     "[1].service_code: duplicate service_code '1'"),
    ("path in a code", lambda c: _edit(c, "services.json", lambda d: d[0].update(service_code="../etc")),
     "[0].service_code"),
    ("missing definition", lambda c: (c / "BULKY.json").unlink(), "BULKY.json: no such file"),
    ("unknown datatype", lambda c: _edit(c, "POTHOLE.json", lambda d: d["attributes"][1].update(datatype="photo")),
     "POTHOLE.json:"),
    ("other service", lambda c: _edit(c, "POTHOLE.json", lambda d: d.update(service_code="BULKY")),
     "POTHOLE.json:1:18: service_code: is 'BULKY', expected 'POTHOLE'"),
    ("list without values", lambda c: _edit(c, "1.json", lambda d: d["attributes"][0].update(values=[])),
     "attributes[0].values: a singlevaluelist needs values"),
]


@pytest.mark.parametrize("case, change, message", BAD_CATALOGUES, ids=[c[0] for c in BAD_CATALOGUES])
def test_a_bad_catalogue_exits_1_with_file_and_place_and_writes_nothing(cli, db, tmp_path, case, change, message):
    city = _broken_city(tmp_path, change)
    before = dump(db)
    result = cli("seed", str(city), "--format", "open311", *PLACE)
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr and result.stderr.strip().count("\n") == 0
    assert dump(db) == before


def test_department_and_provider_are_checked(cli, db):
    assert cli("seed", str(CITY), "--department", "bad code", "--provider", "p").exit_code == 1
    assert cli("seed", str(CITY), *PLACE).exit_code == 0
    before = dump(db)
    clash = cli("seed", str(CITY), "--department", "elsewhere", "--provider", "city-311")
    assert clash.exit_code == 1 and "belongs to department 'public-works'" in clash.stderr
    assert dump(db) == before
    assert cli("seed", str(CITY), "--provider", "city-311", "--json").json()["changed"] == 0


def test_export_checks_its_arguments(cli, tmp_path):
    unknown = cli("export", "open311", str(tmp_path / "x"), "--department", "nowhere")
    assert unknown.exit_code == 1 and "no department 'nowhere'" in unknown.stderr
    assert cli("export").exit_code == 2
    assert cli("export", "csv", str(tmp_path)).exit_code == 2
    assert cli("export", str(tmp_path)).exit_code == 2
    (tmp_path / "file").write_text("x")
    assert cli("export", "open311", str(tmp_path / "file")).exit_code == 1


def test_export_json_goes_to_the_json_export(cli, tmp_path):
    result = cli("export", "--json", str(tmp_path / "dump"))
    assert result.exit_code == 0, result.stderr
    assert "tables" in result.json()


def test_a_dry_run_of_a_catalogue_shows_the_changes_and_writes_nothing(cli, db):
    before = dump(db)
    result = cli("seed", str(CITY), *PLACE, "--dry-run", "--json")
    assert result.exit_code == 0 and result.json()["dry_run"] is True
    assert result.json()["summary"]["problem_codes"]["created"] == 5
    assert dump(db) == before
