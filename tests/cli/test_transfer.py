"""`callcenter backup|restore|import` from the command line."""

from __future__ import annotations

import shutil

import pytest

from console.cli_transfer import export_json
from console.context import CliContext
from console.settings import Settings


def _skip_without_pg_tools(db_url: str) -> None:
    if db_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")


def test_backup_then_restore_needs_force_over_data_and_brings_requests_back(cli, db_url, tmp_path):
    _skip_without_pg_tools(db_url)
    first = cli("request", "new", "--subject", "kept", "--json").json()["number"]
    made = cli("backup", str(tmp_path / "office.bak"), "--json")
    assert made.exit_code == 0 and made.json()["bytes"] > 0 and made.json()["ran"]
    second = cli("request", "new", "--subject", "after", "--json").json()["number"]
    refused = cli("restore", str(tmp_path / "office.bak"))
    assert refused.exit_code == 1 and "--force" in refused.stderr and refused.stdout == ""
    assert cli("request", "show", str(second), "--json").exit_code == 0
    assert cli("restore", str(tmp_path / "office.bak"), "--force").exit_code == 0
    assert cli("request", "show", str(first), "--json").json()["subject"] == "kept"
    gone = cli("request", "show", str(second), "--json")
    assert gone.exit_code == 1 and "no request" in gone.stderr


def test_backup_refuses_to_overwrite_a_file(cli, tmp_path):
    (tmp_path / "there").write_text("mine")
    result = cli("backup", str(tmp_path / "there"))
    assert result.exit_code == 1 and "exists" in result.stderr
    assert (tmp_path / "there").read_text() == "mine"


def test_an_exported_office_imports_into_an_empty_database(cli, db_url, tmp_path, sqlite_template):
    number = cli("request", "new", "--subject", "Wywóz odpadów", "--json").json()["number"]
    summary = export_json(CliContext(settings=Settings(db=db_url)), tmp_path / "office")
    assert summary["tables"]["request"] == 1 and summary["tables"]["audit_log"] >= 1
    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    from typer.testing import CliRunner

    from console.cli import app

    runner = CliRunner()
    done = runner.invoke(app, ["--db", str(target), "import", str(tmp_path / "office"), "--json"])
    assert done.exit_code == 0, done.stderr
    assert '"rows"' in done.stdout
    shown = runner.invoke(app, ["--db", str(target), "request", "show", str(number), "--json"])
    assert '"Wywóz odpadów"' in shown.stdout
    again = runner.invoke(app, ["--db", str(target), "import", str(tmp_path / "office")])
    assert again.exit_code == 1 and "--force" in again.stderr


def test_import_of_a_directory_that_is_no_export_is_one_line_exit_1(cli, tmp_path):
    (tmp_path / "nothing").mkdir()
    result = cli("import", str(tmp_path / "nothing"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_backup_prints_json_through_a_real_process(cli_process, tmp_path):
    assert cli_process("request", "new").exit_code == 0
    result = cli_process("backup", str(tmp_path / "copy.db"), "--json")
    assert result.exit_code == 0 and result.json()["engine"] == "sqlite"
    assert cli_process("restore", str(tmp_path / "copy.db")).exit_code == 1
