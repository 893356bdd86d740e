"""`scripts/bench generate`: make (or reuse) the data set and print what it holds."""

from __future__ import annotations

from sqlalchemy import func, select

import benchlib
from benchlib.dataset import prune
from storage.engine import display_url, make_engine, read_session
from storage.tables import ALL_TABLES


def main(argv: list[str]) -> int:
    """Generate the data set for the options given and print its row counts and size."""
    parser = benchlib.parser("generate", "make (or reuse) the benchmark data set")
    parser.add_argument("--prune", action="store_true",
                        help="remove other cached data sets (other scales, seeds or schemas)")
    args = parser.parse_args(argv)
    console = benchlib.wide_console()
    data = benchlib.dataset_from(args, console)
    if args.prune:
        for name in prune(args.db, data):
            console.print(f"removed {name}")
    engine = make_engine(data.url)
    try:
        with read_session(engine) as session:
            counts = {t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
                      for t in ALL_TABLES.sorted_tables}
    finally:
        engine.dispose()
    size = benchlib.database_size(data.url)
    console.print(f"{display_url(data.url)}: {size / 1e6:,.0f} MB, requests up to {data.now:%Y-%m-%d %H:%M} UTC")
    for name, count in counts.items():
        if count:
            console.print(f"  {name:<24} {count:>12,}")
    return 0
