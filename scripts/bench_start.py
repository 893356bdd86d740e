"""`scripts/bench start`: console start to its first painted screen, and its memory.

Measured: `python -m console.cli --db <data set>` in a pseudo-terminal (140x40), from
spawning the process to the sign-in screen's title on the emulated screen. The console
opens its database after that first paint, so the benchmark then types a wrong login and
password at once and also times the refusal (the database is open and the storage layer
loaded by then), and reads the resident memory after it. Baseline: an empty Textual app
showing the same text, started the same way in the same run. Targets (issue 7): start
<= 3x the empty app, RSS <= 200 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

import benchlib
from benchlib.terminal import Terminal
from storage.engine import display_url

ROOT = Path(__file__).resolve().parents[1]
SIGN_IN_TEXT = "Sign in to the console"
REFUSED_TEXT = "Login or password is wrong."
MB = 1024 * 1024


def _start(argv: list[str], text: str, settle: float, *,
           sign_in: bool = False) -> tuple[float, int, int, float | None]:
    """Seconds to `text` on screen; with `sign_in`, seconds until a wrong login and
    password typed right then are refused; then RSS and peak RSS after `settle` seconds."""
    terminal = Terminal(argv)
    try:
        seconds = terminal.wait_for(text, timeout=120)
        refused = None
        if sign_in:
            terminal.send("nobody")
            terminal.press("enter")
            terminal.send("not-the-password")
            terminal.press("enter")
            refused = terminal.wait_for(REFUSED_TEXT, timeout=120)
        terminal.settle(settle)
        rss, peak = terminal.rss_bytes()
        return seconds, rss, peak, refused
    finally:
        terminal.close(grace=1.0)


def main(argv: list[str]) -> int:
    """Run the console start benchmark and print/save its report."""
    parser = benchlib.parser("start", __doc__.splitlines()[0])
    parser.add_argument("--text", default=SIGN_IN_TEXT, help="text that means the first screen is painted")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds to wait after the first paint before reading RSS")
    args = parser.parse_args(argv)
    console = benchlib.wide_console()
    data = benchlib.dataset_from(args, console)
    console_argv = [sys.executable, "-m", "console.cli", "--db", data.url]
    empty_argv = [sys.executable, str(ROOT / "scripts" / "benchlib" / "empty_app.py"), args.text]
    _start(console_argv, args.text, 0, sign_in=True)  # warm the page cache and bytecode
    _start(empty_argv, args.text, 0)
    real, empty = benchlib.interleaved(
        lambda: [_start(console_argv, args.text, args.settle, sign_in=True)],
        lambda: [_start(empty_argv, args.text, args.settle)], runs=args.runs)
    real = [run[0] for run in real]
    empty = [run[0] for run in empty]
    report = benchlib.Report("start", database=display_url(data.url), dataset=data.describe(),
                             console=console)
    report.add(benchlib.metric("start to sign-in screen", "s", [r[0] for r in real],
                               [e[0] for e in empty], baseline_label="empty Textual app",
                               targets=[benchlib.Target("median", "<=", 3.0)]))
    report.add(benchlib.metric("start to a refused sign-in (database open)", "s",
                               [r[3] for r in real], [e[0] for e in empty],
                               baseline_label="empty Textual app (first paint)"))
    report.add(benchlib.metric("RSS after the sign-in", "MB", [r[1] for r in real],
                               [e[1] for e in empty], factor=1 / MB, baseline_label="empty Textual app",
                               targets=[benchlib.Target("max", "<=", 200, kind="absolute")]))
    report.add(benchlib.metric("peak RSS (VmHWM)", "MB", [r[2] for r in real], [e[2] for e in empty],
                               factor=1 / MB, baseline_label="empty Textual app",
                               targets=[benchlib.Target("max", "<=", 200, kind="absolute")]))
    report.note(f"{args.runs} starts per side, interleaved, in a 140x40 pty; first paint = "
                f"{args.text!r} on the emulated screen; the console is then sent a wrong login "
                f"and password at once, refused = {REFUSED_TEXT!r}; RSS read {args.settle:g} s later")
    report.note("first paint is Python imports (typer, Textual, the sign-in screen) and a read-only "
                "schema check of the SQLite file; SQLAlchemy, the storage layer and the other screens "
                "load in a worker after it (the refused sign-in includes them and one password hash); "
                "the size of the database matters only if a screen reads it unpaged")
    report.print()
    report.save(Path(args.out) if args.out else None)
    return 0
