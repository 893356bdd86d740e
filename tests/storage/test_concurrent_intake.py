"""Several consoles pressing F2 at once: every request gets its own number, none is lost."""

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from storage.engine import read_session
from storage.tables import AuditEntry, Request

WORKER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from storage.engine import make_engine
    from storage.requests import open_request
    engine = make_engine(sys.argv[1])
    numbers = [open_request(engine, now=datetime.now(timezone.utc), agent_id=None, actor="p").number
               for _ in range(int(sys.argv[2]))]
    print(" ".join(map(str, numbers)))
""")


@pytest.mark.slow
def test_concurrent_processes_get_distinct_numbers_and_lose_nothing(db_url, engine):
    processes, each = 4, 40
    running = [subprocess.Popen([sys.executable, "-c", WORKER, db_url, str(each)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(processes)]
    numbers = []
    for process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "locked" not in err
        numbers += [int(n) for n in out.split()]
    assert len(numbers) == len(set(numbers)) == processes * each
    with read_session(engine) as session:
        assert session.execute(select(func.count()).select_from(Request)).scalar_one() == processes * each
        opens = session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "open")).scalar_one()
    assert opens == processes * each
