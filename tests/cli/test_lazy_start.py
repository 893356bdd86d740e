"""Start-up laziness: commands load on use yet read exactly as before; the schema check
needs Alembic only when the database is not current; settings come from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from console import cli
from console.commands import COMMANDS, register_all
from console.settings import Settings
from domain.errors import InvalidInput
from storage import schema
from storage.engine import make_engine


def _eager_app() -> typer.Typer:
    """The app as it was built before: every command module registered up front."""
    eager = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                        help=cli.app.info.help)
    eager.callback(invoke_without_command=True)(cli._main)
    register_all(eager)
    return eager


def _help(app: typer.Typer, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], prog_name="callcenter")
    assert result.exit_code == 0, result.output
    return result.output


def test_the_lazy_table_lists_exactly_the_commands_of_every_module():
    eager = typer.main.get_group(_eager_app())
    assert list(COMMANDS) == eager.list_commands(None)


def test_every_command_and_subcommand_reads_the_same_as_when_registered_eagerly():
    eager_app = _eager_app()
    eager = typer.main.get_group(eager_app)
    assert _help(cli.app) == _help(eager_app)
    for name in COMMANDS:
        assert _help(cli.app, name) == _help(eager_app, name), name
        command = eager.commands[name]
        for sub in getattr(command, "commands", {}):
            assert _help(cli.app, name, sub) == _help(eager_app, name, sub), f"{name} {sub}"


def test_a_mistyped_command_still_gets_a_suggestion():
    result = CliRunner().invoke(cli.app, ["repot"], prog_name="callcenter")
    assert result.exit_code == 2 and "Did you mean 'report'" in result.output


def _run_python(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_the_cli_loads_no_database_layer_and_no_command_module():
    loaded = json.loads(_run_python(
        "import json, sys, console.cli; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'alembic', 'pydantic', 'pydantic_settings', 'storage') "
        "or m.startswith('console.cli_'))))"))
    assert loaded == ["storage", "storage.errors"]


def test_a_command_on_a_current_database_runs_without_importing_alembic(sqlite_url):
    out = _run_python(
        "import sys; from console.cli import app\n"
        f"app(['--db', {sqlite_url!r}, 'agent', 'list', '--json'], standalone_mode=False)\n"
        "print('alembic' in sys.modules, 'console.cli_kb' in sys.modules)")
    assert out.splitlines()[-1] == "False False"


def test_the_head_read_from_the_migration_files_is_alembics():
    assert schema.quick_head_revision() == schema.head_revision()


def test_the_read_only_check_says_current_only_for_a_file_at_the_head(sqlite_url, tmp_path):
    assert schema.sqlite_file_is_current(sqlite_url)
    assert schema.sqlite_file_is_current(f"sqlite:///{sqlite_url}")
    assert not schema.sqlite_file_is_current(str(tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists()
    assert not schema.sqlite_file_is_current("postgresql://user@localhost/db")
    assert not schema.sqlite_file_is_current(":memory:")
    engine = make_engine(sqlite_url)
    schema.downgrade(engine, "0006_console")
    assert not schema.sqlite_file_is_current(sqlite_url)
    schema.ensure_current(engine)  # the full check still upgrades an older schema
    assert schema.current_revision(engine) == schema.head_revision()
    assert schema.sqlite_file_is_current(sqlite_url)
    engine.dispose()


def test_a_database_newer_than_the_program_is_still_refused(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    assert not schema.sqlite_file_is_current(sqlite_url)
    with pytest.raises(Exception, match="newer than this program"):
        schema.ensure_current(engine)
    engine.dispose()


def test_settings_read_the_environment_in_any_letter_case(monkeypatch):
    monkeypatch.setenv("callcenter_language", "pl")
    monkeypatch.setenv("CALLCENTER_AUTOSAVE_MS", " 120 ")
    monkeypatch.setenv("CALLCENTER_DEBUG", "yes")
    settings = Settings(db="x.db")
    assert (settings.db, settings.language, settings.autosave_ms, settings.debug) == ("x.db", "pl", 120, True)
    assert Settings(db="x.db", autosave_ms=5).autosave_ms == 5


def test_a_bad_setting_is_a_one_line_error(monkeypatch, sqlite_url):
    monkeypatch.setenv("CALLCENTER_AUTOSAVE_MS", "soon")
    with pytest.raises(InvalidInput, match="CALLCENTER_AUTOSAVE_MS"):
        Settings()
    result = CliRunner().invoke(cli.app, ["--db", sqlite_url, "info"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "CALLCENTER_AUTOSAVE_MS" in result.stderr
