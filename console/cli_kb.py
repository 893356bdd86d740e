"""`callcenter kb search|show|import|export`: the knowledge base from the command line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

import console.cli_kb_report  # noqa: F401  (adds `report kb`)
from console.options import JSON
from console.output import emit_json, say, stdout
from domain.contacts import format_phone
from domain.kb_files import ArticleFileErrors, collect, read_articles, write_articles
from domain.text import one_line
from storage.agents import agent_by_login
from storage.engine import read_session
from storage.kb_articles import article_count, get_article, iter_docs
from storage.kb_import import import_articles
from storage.kb_search import search_articles

kb_app = typer.Typer(help="The knowledge base: search, show, import and export articles.",
                     no_args_is_help=True)


@contextlib.contextmanager
def _bar(description: str, total: int | None) -> Iterator:
    """A Rich progress bar on stderr (stdout stays one JSON document); yields `advance(n)`."""
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.update(task, advance=n)


def _marked(text: str, spans) -> Text:
    out = Text(one_line(text))
    for start, end in spans:
        out.stylize("bold reverse", start, end)
    return out


@kb_app.command("search")
def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="Words to find (accents and case do not matter)."),
    lang: str = typer.Option(None, "--lang", help="Only articles in this language (pl, nl, pt, en, …)."),
    tag: str = typer.Option(None, "--tag", help="Only articles with this tag."),
    problem: str = typer.Option(None, "--problem", help="Only articles linked to this problem code."),
    limit: int = typer.Option(20, "--limit", min=1, max=500, help="At most this many results."),
    drafts: bool = typer.Option(False, "--drafts", help="Include drafts (what supervisors see)."),
    as_json: bool = JSON,
) -> None:
    """Ranked results: id, slug, title, language, score and a snippet with the hits marked."""
    hits = search_articles(ctx.obj.engine(), query, language=lang, tag=tag, problem_code=problem,
                           include_drafts=drafts, limit=limit)
    if as_json:
        emit_json([hit.to_json() for hit in hits])
        return
    if not hits:
        say("no articles found")
        return
    for hit in hits:
        head = Text.assemble(f"{hit.id:>6}  {hit.score:5.2f}  {hit.language}  ",
                             _marked(hit.title, hit.title_highlights), f"  ({hit.slug})")
        stdout.print(head)
        stdout.print(Text("        ") + _marked(hit.snippet.text, hit.snippet.highlights))


@kb_app.command("show")
def show(ctx: typer.Context, slug: str = typer.Argument(..., help="The article's slug."),
         as_json: bool = JSON) -> None:
    """One article: its fields, call script, phones, links (broken ones marked) and body."""
    article = get_article(ctx.obj.engine(), slug=slug)
    if as_json:
        emit_json(article.to_json())
        return
    doc = article.doc
    say(f"{doc.title}  [{doc.slug}, {doc.language}, {doc.kind}, {doc.status}, version {article.version}]")
    if doc.tags:
        say("tags: " + ", ".join(doc.tags))
    if doc.url:
        say(f"url: {doc.url}")
    for phone in doc.phones:
        say(f"phone: {format_phone(phone.number)}" + (f" ({phone.label})" if phone.label else ""))
    if doc.problem_codes:
        say("problem codes: " + ", ".join(doc.problem_codes))
    for link in article.links:
        say(f"link: {link.slug} -> " + ("BROKEN (no such article)" if link.broken else link.title or ""))
    if doc.script:
        say("call script:")
        for line in doc.script.splitlines():
            say(f"  {line}")
    say("")
    for line in doc.body.splitlines():
        say(line)


@kb_app.command("import")
def import_(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(..., help="Markdown files, or directories searched for *.md."),
    agent: str = typer.Option(None, "--agent", help="Login of the supervisor the versions are recorded for."),
    as_json: bool = JSON,
) -> None:
    """Import articles in one transaction: every file, or on any error none (all errors listed)."""
    engine = ctx.obj.engine()
    files = collect(paths)
    agent_id = None
    if agent:
        with read_session(engine) as session:
            agent_id = agent_by_login(session, agent).id
    try:
        with _bar("importing articles", len(files)) as advance:
            result = import_articles(engine, read_articles(files), now=ctx.obj.now(),
                                     agent_id=agent_id, actor=agent or "cli", progress=advance)
    except ArticleFileErrors as exc:
        for line in exc.errors:
            typer.echo(f"error: {one_line(line)}", err=True)
        typer.echo(f"nothing imported: {len(exc.errors)} problem(s) in {len(files)} file(s)", err=True)
        raise typer.Exit(1) from None
    summary = {"files": len(files), "created": len(result.created), "updated": len(result.updated),
               "unchanged": result.unchanged,
               "broken_links": [{"from": a, "to": b} for a, b in result.broken_links]}
    if as_json:
        emit_json(summary)
        return
    say(f"{len(files)} file(s): {summary['created']} created, {summary['updated']} updated, "
        f"{summary['unchanged']} unchanged")
    for source, target in result.broken_links:
        say(f"warning: {source} links to {target}, which does not exist (shown as broken)")


@kb_app.command("export")
def export(ctx: typer.Context,
           directory: Path = typer.Argument(..., help="Where to write one <slug>.md per article."),
           as_json: bool = JSON) -> None:
    """Write every article (drafts too) as Markdown with front matter, the format `kb import` reads."""
    engine = ctx.obj.engine()
    with _bar("exporting articles", article_count(engine)) as advance:
        count = write_articles(iter_docs(engine), directory, progress=advance)
    if as_json:
        emit_json({"directory": str(directory), "articles": count})
    else:
        say(f"{count} article(s) written to {directory}")

