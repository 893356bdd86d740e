"""SIGKILL the real console in a pseudo-terminal mid-call: nothing shown or saved is lost.

`scripts/bench crash --kills 100` runs the same rounds many more times and also counts
text older than the autosave interval that was not saved yet (a timing figure, so it is
not asserted here).
"""

from __future__ import annotations

import random

import pytest

from scripts.benchlib import crash

pytestmark = pytest.mark.slow


def test_killing_the_console_mid_call_loses_no_request_and_no_saved_field(sqlite_url):
    crash.prepare(sqlite_url)
    rng = random.Random(2026)
    rounds = [crash.one_round(sqlite_url, rng=rng, during_start=0.0, min_seconds=2.5, max_seconds=5.0)
              for _ in range(3)]
    assert sum(len(r.shown) for r in rounds) >= 3  # the kills really came during calls
    assert sum(r.fields_checked for r in rounds) >= 3
    assert sum(r.confirmed_chars for r in rounds) > 0  # the console said "saved" at least once
    assert [r.requests_lost for r in rounds] == [[], [], []]
    assert [r.fields_lost for r in rounds] == [[], [], []]
    assert {r.integrity for r in rounds} == {"ok"}
