"""Reading seed files: every problem is one line naming the file, the place and the problem."""

from pathlib import Path

import pytest

from domain.seed_errors import SeedError
from domain.seed_load import MAX_BYTES, load_document

EXAMPLE = Path(__file__).parents[2] / "docs" / "example-office.yaml"


def _error(tmp_path: Path, content: bytes | str, name: str = "office.yaml") -> SeedError:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SeedError) as caught:
        load_document(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return caught.value


def test_the_example_file_loads():
    _source, doc = load_document(EXAMPLE)
    assert doc.office.languages == ["en", "pl", "nl", "pt"]
    assert [d.code for d in doc.departments] == ["environment", "streets"]


def test_a_yaml_syntax_error_names_line_and_column(tmp_path):
    error = _error(tmp_path, "office:\n  name: x\n  languages: [en\n")
    assert error.line == 4 and "YAML" in error.problem


def test_a_key_given_twice_is_refused_where_it_repeats(tmp_path):
    error = _error(tmp_path, "office:\n  name: a\n  name: b\n")
    assert (error.line, error.column) == (3, 3) and "duplicate key 'name' (first on line 2)" in str(error)


def test_a_wrong_type_names_the_path_and_the_line(tmp_path):
    error = _error(tmp_path, "priorities:\n  - code: high\n    rank: three\n    response: 1h\n    resolution: 1d\n")
    assert error.where == "priorities[0].rank" and error.line == 3 and "'three'" in error.problem


def test_an_unknown_key_suggests_the_right_one(tmp_path):
    error = _error(tmp_path, "departments:\n  - code: env\n    provider: []\n")
    assert error.where == "departments[0].provider"
    assert "did you mean 'providers'?" in error.problem


def test_unquoted_yes_and_no_are_explained(tmp_path):
    error = _error(tmp_path, "office:\n  languages: [en, no]\n")
    assert error.where == "office.languages[1]" and "put it in quotes" in error.problem


def test_the_first_problem_in_the_file_is_told_and_the_rest_counted(tmp_path):
    error = _error(tmp_path, "priorities:\n  - code: a b\n    rank: 0\n    response: x\n    resolution: 1d\n")
    assert error.where == "priorities[0].code" and "(and 2 more problems)" in error.problem


def test_an_impossible_date_is_a_syntax_problem_with_its_place(tmp_path):
    error = _error(tmp_path, "calendar:\n  timezone: UTC\n  closures:\n    - date: 2026-13-01\n")
    assert error.line == 4 and "not a valid date" in error.problem


@pytest.mark.parametrize("content, problem", [
    (b"\x00\x01\x02binary", "binary file"),
    (b"office:\n  name: Caf\xe9\n", "not UTF-8"),
    (b"", "empty"),
    (b"# only a comment\n", "empty"),
    (b"- a\n- b\n", "top level must be a mapping"),
    (b"a: 1\n---\nb: 2\n", "YAML"),
    (b"office: !!python/object:os.system {}\n", "YAML"),
])
def test_files_that_are_no_seed_document_are_refused(tmp_path, content, problem):
    assert problem in str(_error(tmp_path, content))


def test_a_non_utf8_byte_is_located(tmp_path):
    error = _error(tmp_path, b"office:\n  name: Caf\xe9\n")
    assert (error.line, error.column) == (2, 12)


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path):
    error = _error(tmp_path, b"#" * (MAX_BYTES + 1))
    assert "too large" in error.problem and "10 MB" in error.problem


def test_aliases_that_expand_enormously_are_refused(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for name, previous in zip("bcdefg", "abcdef"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    assert "expands to more than" in _error(tmp_path, "\n".join(lines) + "\n").problem


def test_json_is_read_by_extension_with_positions(tmp_path):
    path = tmp_path / "office.json"
    path.write_text('{"office": {"name": "Riverside", "languages": ["en", "pl"]}}')
    assert load_document(path)[1].office.name == "Riverside"
    error = _error(tmp_path, '{"office": {\n  "nam": "x"}}', "bad.json")
    assert error.where == "office.nam" and error.line == 2
    error = _error(tmp_path, '{"office": {"name": "x",}}', "syntax.json")
    assert error.line == 1 and "JSON syntax" in error.problem
    error = _error(tmp_path, '{"office": {"name": "x",\n "name": "y"}}', "twice.json")
    assert error.line == 2 and "duplicate key 'name'" in error.problem


def test_a_missing_file_and_a_directory_are_named(tmp_path):
    with pytest.raises(SeedError, match="no such file"):
        load_document(tmp_path / "absent.yaml")
    with pytest.raises(SeedError, match="is a directory"):
        load_document(tmp_path)
