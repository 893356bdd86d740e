"""`scripts/bench kb`: knowledge-base import and search vs a bare FTS5 query and a LIKE scan.

Generates 100,000 articles at scale 1 (~300 words, pl/nl/pt/en, Zipf words from
`benchlib.words`, fixed seed) as Markdown files with front matter, imports them into a
fresh SQLite database through the real code (`kb import`'s reader and importer, timed,
with the CPU seconds of every process and the load average, since the machine is
shared), and keeps files and database under bench-data/ for the next run (`--fresh`
redoes them; deleting kb.db redoes only the import).

Then, per query class (common words, rare words, 2-3 word queries, 3-5 letter prefixes),
each query runs through the real search (`storage.kb_search.search_articles`: parsing,
tiered bm25 ranking, published-only filter, rows and snippets) interleaved with
(a) a bare `SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT 20`
    with the same terms on the same index, and
(b) a `LIKE '%term%'` scan of the same table for every term (ordered by title, as a plain
    search must be), on a few queries only since each takes about a second.
Also the index size next to a plain unicode61 index of the original text.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import benchlib
from benchlib import words
from domain.kb_document import ArticleDoc, to_markdown
from domain.kb_files import collect, read_articles
from domain.kb_query import parse_query
from domain.kb_text import forget_hit_patterns
from storage import schema
from storage.engine import make_engine
from storage.kb_import import import_articles
from storage.kb_search import search_articles

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
TAGS = ["odpady", "woda", "drogi", "oplaty", "parking", "zima", "zielen", "halas"]
PER_CLASS = 40
SCAN_PER_CLASS = 4


def _article(args: tuple[int, int]) -> tuple[str, str]:
    index, seed = args
    rng = random.Random(seed * 1_000_003 + index)
    language = words.LANGUAGES[index % len(words.LANGUAGES)]
    slug = f"{language}-{index}"
    links = tuple(f"{words.LANGUAGES[t % 4]}-{t}" for t in (rng.randrange(1, index + 2) for _ in range(2)))
    doc = ArticleDoc(
        slug=slug, title=words.sentence(rng, language, rng.randint(3, 8))[:-1], language=language,
        body=words.paragraphs(rng, language, rng.randint(250, 350)),
        status="draft" if index % 50 == 0 else "published",
        tags=tuple(sorted({TAGS[index % len(TAGS)], TAGS[(index * 7) % len(TAGS)]})),
        links=tuple(dict.fromkeys(links)))
    return f"{slug}.md", to_markdown(doc)


def _generate(folder: Path, count: int, seed: int, console) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    console.print(f"generating {count:,} article files in {folder} …")
    with ProcessPoolExecutor() as pool:
        for name, text in pool.map(_article, ((i, seed) for i in range(1, count + 1)), chunksize=500):
            (folder / name).write_text(text, encoding="utf-8")


def _import(db: Path, folder: Path, console) -> dict:
    if db.exists():
        db.unlink()
    engine = make_engine(str(db))
    schema.upgrade(engine)
    files = collect([str(folder)])
    console.print(f"importing {len(files):,} files through the real import …")
    load = os.getloadavg()[0]
    own, children = _cpu_seconds()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    result = import_articles(engine, read_articles(files), now=NOW, agent_id=None, actor="bench",
                             timings=timings)
    seconds = time.perf_counter() - started
    own_after, children_after = _cpu_seconds()
    engine.dispose()
    return {"import_seconds": seconds, "import_cpu_seconds": own_after + children_after - own - children,
            "import_main_cpu_seconds": own_after - own,
            "import_workers_cpu_seconds": children_after - children,
            "import_index_fill_seconds": timings.get("index_fill"),
            "import_commit_seconds": timings.get("commit"),
            "import_load_average": [load, os.getloadavg()[0]], "files": len(files),
            "created": len(result.created), "broken_links": len(result.broken_links)}


def _cpu_seconds() -> tuple[float, float]:
    """User + system CPU of this process, and of its finished children (the parsing workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _index_sizes(db: Path) -> dict:
    """Our FTS index pages, and a plain unicode61 index of the original text built beside it."""
    connection = sqlite3.connect(db)
    ours = connection.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'article_fts%'").fetchone()[0]
    plain_db = db.with_name("plain-index.db")
    plain_db.unlink(missing_ok=True)
    connection.execute(f"ATTACH DATABASE '{plain_db}' AS plain")
    connection.execute("CREATE VIRTUAL TABLE plain.fts USING fts5(title, body, content='', tokenize='unicode61')")
    connection.execute("INSERT INTO plain.fts(rowid, title, body) SELECT id, title, body FROM main.article")
    connection.commit()
    plain = connection.execute("SELECT sum(pgsize) FROM dbstat WHERE schema = 'plain' AND name LIKE 'fts%'").fetchone()[0]
    connection.close()
    plain_db.unlink(missing_ok=True)
    return {"index_bytes": ours, "plain_index_bytes": plain}


def _queries(seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    classes: dict[str, list[str]] = {"common words": [], "rare words": [], "2-3 words": [], "prefixes": []}
    for _ in range(PER_CLASS // len(words.LANGUAGES)):
        for language in words.LANGUAGES:
            vocab = words.vocabulary(language)
            classes["common words"].append(rng.choice(words.common_words(language, 10)))
            classes["rare words"].append(rng.choice(words.rare_words(language, 200)))
            classes["2-3 words"].append(" ".join(rng.sample(vocab[:80], rng.randint(2, 3))))
            word = rng.choice([w for w in vocab[10:150] if len(w) >= 5])
            classes["prefixes"].append(word[:rng.randint(3, 5)])
    return classes


def _search(engine, text: str) -> None:
    forget_hit_patterns()
    search_articles(engine, text)


def _bare(connection: sqlite3.Connection, text: str) -> None:
    connection.execute("SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT 20",
                       (parse_query(text).fts5(),)).fetchall()


def _scan(connection: sqlite3.Connection, text: str) -> None:
    terms = [t for t in parse_query(text).exact + parse_query(text).prefixes]
    where = " AND ".join("(search_title LIKE ? OR search_body LIKE ?)" for _ in terms)
    params = [p for t in terms for p in (f"%{t}%", f"%{t}%")]
    connection.execute(f"SELECT id FROM article WHERE status = 'published' AND {where} "
                       "ORDER BY title LIMIT 20", params).fetchall()


def main(argv: list[str] | None = None) -> int:
    """Run the knowledge-base benchmark; exit 0 when every target is met."""
    parser = benchlib.parser("kb", "knowledge-base import and search vs bare FTS5 and a LIKE scan")
    args = parser.parse_args(argv)
    console = benchlib.wide_console()
    count = max(200, round(100_000 * args.scale))
    home = benchlib.DATA_DIR / f"kb-{count}-seed{args.seed}"
    folder, db, meta_path = home / "articles", home / "kb.db", home / "meta.json"
    if args.fresh and home.exists():
        shutil.rmtree(home)
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and db.exists() else None
    if meta is None:
        if not folder.exists() or len(list(folder.glob("*.md"))) != count:
            shutil.rmtree(folder, ignore_errors=True)
            _generate(folder, count, args.seed, console)
        meta = _import(db, folder, console) | _index_sizes(db)
        meta_path.write_text(json.dumps(meta, indent=2))
    else:
        console.print(f"reusing {db} (imported in {meta['import_seconds']:.1f} s; --fresh redoes it)")

    engine = make_engine(str(db))
    connection = sqlite3.connect(db)
    load_before = os.getloadavg()[0]
    report = benchlib.Report("kb", database=str(db), dataset={"articles": count, "seed": args.seed})
    for name, queries in _queries(args.seed).items():
        def real(qs=queries) -> list[float]:
            # Every keystroke is a new query: nothing query-specific is reused across calls.
            return [s for q in qs for s in benchlib.time_calls(lambda q=q: _search(engine, q), count=1)]

        def bare(qs=queries) -> list[float]:
            return [s for q in qs for s in benchlib.time_calls(lambda q=q: _bare(connection, q), count=1)]

        real(), bare()  # warm the page cache for both
        measured, baseline = benchlib.interleaved(real, bare, runs=args.runs)
        flat = [s for run in measured for s in run]
        report.add(benchlib.metric(f"search: {name}", "ms", flat, [s for run in baseline for s in run],
                                   factor=1000, baseline_label="bare FTS5 MATCH … ORDER BY rank LIMIT 20",
                                   targets=[benchlib.Target("p95", "<=", 1.5),
                                            benchlib.Target("p95", "<=", 25, kind="absolute")]))
        scan = [s for q in queries[:SCAN_PER_CLASS] for s in benchlib.time_calls(lambda q=q: _scan(connection, q), count=1)]
        again = [s for q in queries[:SCAN_PER_CLASS] for s in benchlib.time_calls(lambda q=q: _search(engine, q), count=3)]
        report.add(benchlib.metric(f"search vs scan: {name}", "ms", again, scan, factor=1000,
                                   baseline_label="LIKE '%term%' scan, ORDER BY title LIMIT 20",
                                   targets=[benchlib.Target("p95", "<=", 0.05)]))
    report.add(benchlib.metric("index size", "MB", [meta["index_bytes"]], [meta["plain_index_bytes"]],
                               factor=1e-6, baseline_label="plain unicode61 FTS5 index of the original text",
                               targets=[benchlib.Target("median", "<=", 1.2)]))
    report.add(benchlib.metric("import of all articles", "s", [meta["import_seconds"]], factor=1.0,
                               targets=[benchlib.Target("median", "<=", 60 * count / 100_000, kind="absolute")]))
    report.note(f"{count:,} articles ({meta['files']:,} files, every 50th a draft) imported through "
                "domain.kb_files + storage.kb_import in one transaction (FTS5 filled in bulk at the end)"
                + (f"; import CPU {meta['import_cpu_seconds']:.1f} s (all processes), load average "
                   f"{meta['import_load_average'][0]:.1f} → {meta['import_load_average'][1]:.1f}"
                   if "import_cpu_seconds" in meta else "")
                + (f"; of it: main process {meta['import_main_cpu_seconds']:.1f} s CPU, parsing workers "
                   f"{meta['import_workers_cpu_seconds']:.1f} s CPU; the one FTS5 fill at the end "
                   f"{meta['import_index_fill_seconds'] or 0:.1f} s and the commit "
                   f"{meta['import_commit_seconds']:.1f} s of the wall time"
                   if "import_main_cpu_seconds" in meta else "") + ".")
    report.note("search = storage.kb_search.search_articles (parse, three title/body tiers ranked by "
                "bm25 with title weight 10, published-only filter, rows, snippets in the original spelling "
                "for all 20 hits), each call as a new keystroke: its compiled hit regexes dropped and its "
                "per-search memo of hit words made anew (only kb_text's query-independent cache of folded "
                "words, which a running console keeps too, lasts across calls).")
    report.note(f"load average (1 min) during the search runs: {load_before:.1f} → {os.getloadavg()[0]:.1f}.")
    report.note("'search vs scan' target: search p95 <= 0.05x the scan (at least 20x faster).")
    report.print()
    report.save(Path(args.out) if args.out else None)
    connection.close()
    engine.dispose()
    return 0 if report.all_met() else 1


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
