"""`callcenter seed`, `demo` and `export`: load the organisation, the demo office, catalogues.

The seed machinery (pydantic models, YAML, holiday tables) is imported when one of these
commands runs, not whenever `callcenter` starts: a phone system calling `request new`
should not wait for it.
"""

from __future__ import annotations

import importlib
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from console.options import JSON
from console.output import emit_json, say, table

if TYPE_CHECKING:
    from storage.seed_run import SeedResult

SEED_SUFFIXES = (".yaml", ".yml", ".json")


class SeedFormat(str, Enum):
    """The formats `seed` reads."""

    yaml = "yaml"
    json = "json"
    open311 = "open311"


def _seed_files(path: Path, fmt: SeedFormat | None) -> list[Path]:
    from domain.open311_files import SERVICES
    from domain.seed_errors import SeedError

    if not path.exists():
        raise SeedError(str(path), "no such file or directory")
    if not path.is_dir():
        return [path]
    suffixes = (f".{fmt.value}",) if fmt else SEED_SUFFIXES
    if fmt is SeedFormat.yaml:
        suffixes = (".yaml", ".yml")
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    if not files:
        raise SeedError(str(path), f"has no {SERVICES} and no {'/'.join(suffixes)} seed files")
    return files


def _is_open311(path: Path, fmt: SeedFormat | None) -> bool:
    from domain.open311_files import SERVICES

    return fmt is SeedFormat.open311 or (fmt is None and path.is_dir() and (path / SERVICES).is_file())


def _load_seed(ctx: typer.Context, path: Path, fmt: SeedFormat | None, dry_run: bool) -> tuple[list[str], SeedResult]:
    from domain.seed_load import load_document
    from storage.seeding import SeedProblem, seed_documents

    files = _seed_files(path, fmt)
    loaded = [load_document(file, fmt.value if fmt else None) for file in files]
    try:
        result = seed_documents(ctx.obj.engine(), [doc for _source, doc in loaded],
                                now=ctx.obj.now(), dry_run=dry_run)
    except SeedProblem as problem:
        raise loaded[problem.index][0].error(problem.cause) from None
    return [str(file) for file in files], result


def print_result(result: SeedResult, what: str) -> None:
    """The counts per kind, then one line saying what happened."""
    from storage.seed_run import ACTIONS

    rows = [(kind, *(counts[a] for a in ACTIONS)) for kind, counts in result.summary.items()
            if any(counts.values())]
    if rows:
        table("Seed" + (" (dry run)" if result.dry_run else ""), ["kind", *ACTIONS], rows)
    if result.dry_run:
        say(f"dry run: {result.changed} change(s) would be written; nothing was written")
    elif result.changed:
        say(f"{what}: {result.changed} change(s) written")
    else:
        say(f"{what}: nothing changed, the database already matches")


def register(app: typer.Typer) -> None:
    """Add `seed`, `demo` and `export` to the app."""

    @app.command()
    def seed(
        ctx: typer.Context,
        path: Path = typer.Argument(..., metavar="PATH",
                                    help="A seed file (YAML or JSON), a folder of them, or an Open311 catalogue folder."),
        fmt: SeedFormat = typer.Option(None, "--format", case_sensitive=False,
                                       help="yaml, json or open311 (default: from the file name; "
                                            "a folder with services.json is Open311)."),
        department: str = typer.Option(None, "--department", help="Open311: department code the services go under."),
        provider: str = typer.Option(None, "--provider", help="Open311: provider code the services go under."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Check and show what would change; write nothing."),
        as_json: bool = JSON,
    ) -> None:
        """Load the organisation from a seed file, or a city's Open311 service catalogue.

        Upserts by code: loading the same file twice changes nothing.
        """
        if _is_open311(path, fmt):
            from domain.open311_files import SERVICES, load_catalogue
            from storage.open311_import import import_open311

            catalogue = load_catalogue(path)
            result = import_open311(ctx.obj.engine(), catalogue, now=ctx.obj.now(), department=department,
                                    provider=provider, dry_run=dry_run)
            files = [str(path / SERVICES), *(str(path / f"{code}.json") for code in catalogue.definitions)]
        else:
            if department is not None or provider is not None:
                raise typer.BadParameter("--department and --provider apply to an Open311 catalogue "
                                         "(--format open311)", param_hint="--department/--provider")
            files, result = _load_seed(ctx, path, fmt, dry_run)
        if as_json:
            emit_json({"files": files, **result.to_json()})
        else:
            print_result(result, str(path))

    @app.command()
    def demo(ctx: typer.Context, as_json: bool = JSON) -> None:
        """Load the demo office: catalogue, agents (passwords printed), articles, ~1,000 requests."""
        from console.demo_command import run_demo

        run_demo(ctx.obj, as_json=as_json)

    @app.command(name="export")
    def export(
        ctx: typer.Context,
        args: list[str] = typer.Argument(..., metavar="[open311] DIR",
                                          help="`open311 DIR` writes an Open311 catalogue; with --json, DIR gets a JSON export."),
        department: str = typer.Option(None, "--department", help="Open311: only this department."),
        provider: str = typer.Option(None, "--provider", help="Open311: only this provider."),
        as_json: bool = typer.Option(False, "--json", help="`export --json DIR`: export all data as JSON "
                                                           "(with open311: print the result as JSON)."),
    ) -> None:
        """Write data out: `export open311 DIR` (the service catalogue) or `export --json DIR`."""
        if len(args) == 2 and args[0] == "open311":
            _export_open311(ctx, Path(args[1]), department, provider, as_json)
        elif len(args) == 1 and as_json and args[0] != "open311":
            _export_json(ctx, Path(args[0]))
        else:
            raise typer.BadParameter("give `open311 DIR` or `--json DIR`", param_hint="[open311] DIR")


def _export_open311(ctx: typer.Context, directory: Path, department: str | None, provider: str | None,
                    as_json: bool) -> None:
    from domain.open311_files import write_catalogue
    from storage.open311_export import read_catalogue

    services, definitions = read_catalogue(ctx.obj.engine(), department=department, provider=provider)
    written = write_catalogue(directory, services, definitions)
    result = {"directory": str(directory), "services": len(services),
              "definitions": len(definitions), "files": written}
    if as_json:
        emit_json(result)
    else:
        say(f"{directory}: {len(services)} service(s), {len(definitions)} definition(s) written")


def _export_json(ctx: typer.Context, directory: Path) -> None:
    from domain.seed_errors import SeedError

    try:
        export_json = importlib.import_module("console.cli_transfer").export_json
    except (ImportError, AttributeError):
        raise SeedError("export --json", "the JSON export is not available in this build yet") from None
    emit_json(export_json(ctx.obj, directory))
