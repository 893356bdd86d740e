"""`callcenter demo`: load the demo office with a progress bar and print how to sign in."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from console.context import CliContext
from console.output import emit_json, say, table
from domain.seed_load import load_document
from storage.demo import DemoResult, load_demo
from storage.seeding import SeedProblem

DEMO_DIR = Path(__file__).with_name("demo")
OFFICE_FILE = DEMO_DIR / "office.yaml"
ARTICLES_DIR = DEMO_DIR / "articles"
PHASES = ("office", "articles", "customers", "work orders", "requests", "activity lines",
          "audit entries", "knowledge-base use")


def demo_password(login: str) -> str:
    """The demo password of an agent of the demo office (its hash is in office.yaml)."""
    return f"demo-{login}"


def run_demo(cli: CliContext, *, as_json: bool) -> None:
    """Load the demo office; print what changed and the sign-in names and passwords."""
    source, office = load_document(OFFICE_FILE)
    engine = cli.engine()
    with Progress(TextColumn("{task.description:<36}"), BarColumn(), TextColumn("{task.fields[rows]}"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("demo office", total=len(PHASES), rows="")

        def progress(phase: str, rows: int) -> None:
            # A retried transaction reports its phases again: the bar just goes on to the end.
            bar.update(task, advance=1, description=f"demo office: {phase}", rows=f"{rows:,} rows")

        try:
            result = load_demo(engine, office, articles=ARTICLES_DIR, now=cli.now(), progress=progress)
        except SeedProblem as problem:
            raise source.error(problem.cause) from None
    agents = [{"login": a.login, "name": a.name, "role": a.role.value, "password": demo_password(a.login)}
              for a in office.agents]
    if as_json:
        emit_json({**result.to_json(), "agents": agents})
        return
    _print(result, agents)


def _print(result: DemoResult, agents: list[dict[str, str]]) -> None:
    if not result.changed:
        say("The demo office is already loaded: nothing changed.")
    else:
        office = result.seed
        say(f"Demo office: {office.changed} organisation change(s) "
            f"({sum(c['created'] for c in office.summary.values())} created).")
        articles = result.articles
        say(f"Articles: {articles.get('skipped') or str(articles.get('changed', 0)) + ' imported or updated'}")
        if result.requests:
            r = result.requests
            say(f"Requests: {r['requests']:,} over the last 30 days, {r['customers']} customers, "
                f"{r['work_orders']} work orders, {r['activities']:,} activity lines.")
    table("Sign in with", ["login", "name", "role", "password"],
          [(a["login"], a["name"], a["role"], a["password"]) for a in agents])

