"""Running the CLI: in-process with Typer's CliRunner, or as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from console.cli import app


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def cli(db_url):
    """`cli("request", "new", "--json", input=...)` on this test's database, in-process."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(app, ["--db", db_url, *args], input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def cli_process(sqlite_url):
    """The same, through a real `python -m console.cli` process on a SQLite database."""

    def run(*args: str, input: str | None = None) -> Result:
        env = {**os.environ, "CALLCENTER_DB": sqlite_url}
        done = subprocess.run([sys.executable, "-m", "console.cli", *args], input=input,
                              capture_output=True, text=True, env=env, timeout=60)
        return Result(done.returncode, done.stdout, done.stderr)

    return run
