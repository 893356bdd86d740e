"""Several OS processes pull from one queue at once: every request is claimed exactly once."""

import json
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlmodel import select

from storage.engine import make_engine, read_session, run_write
from storage.tables import Agent, CategoryMember, Request
from tests.routing_office import build_office

# Every puller process: connect first, then wait for the common start (argv: url, agent, start).
STARTED = """
import json, sys, time
from datetime import datetime, timezone
from storage.engine import make_engine
from storage.lifecycle import resolve_request
from storage.queue import MustFinishFirst, pull_next_request

url, agent_id, start_at = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
engine = make_engine(url)
engine.connect().close()
while time.time() < start_at:
    time.sleep(0.0005)
"""

PULLER = STARTED + """
claimed = []
while True:
    now = datetime.now(timezone.utc)
    record = pull_next_request(engine, agent_id=agent_id, now=now)
    if record is None:
        break
    claimed.append(record.number)
    resolve_request(engine, number=record.number, agent_id=agent_id, now=now)
print(json.dumps(claimed))
"""

PROCESSES = 6
REQUESTS = 90


def _fill(engine, now, office) -> list[int]:
    """Six pullers, each in two of three categories, and a shared backlog."""
    paths = ["Technical support", "Technical support/Printers", "Billing"]

    def work(session):
        agents = []
        for index in range(PROCESSES):
            agent = Agent(login=f"puller{index}", name=f"Puller {index}", role="agent", created_at=now)
            session.add(agent)
            session.flush()
            agents.append(agent.id)
            for path in {paths[index % 3], paths[(index + 1) % 3]}:
                session.add(CategoryMember(category_id=office.categories[path], agent_id=agent.id))
        for number in range(REQUESTS):
            session.add(Request(created_at=now, status="new", priority="low",
                                category_id=office.categories[paths[number % 3]]))
        return agents

    return run_write(engine, work)


@pytest.mark.slow
def test_processes_pulling_at_once_claim_every_request_exactly_once(db_url, now):
    engine = make_engine(db_url)
    office = build_office(engine, now)
    agents = _fill(engine, now, office)
    start_at = time.time() + 3.0  # every process connected and waiting before the first pull
    workers = [subprocess.Popen([sys.executable, "-c", PULLER, db_url, str(agent), str(start_at)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for agent in agents]
    outputs = [worker.communicate(timeout=240) for worker in workers]
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err
        assert "locked" not in err.lower() and "error" not in err.lower()
    claims = [(agent, number) for agent, (out, _err) in zip(agents, outputs)
              for number in json.loads(out)]
    counts = Counter(number for _agent, number in claims)
    assert len(counts) == REQUESTS and set(counts.values()) == {1}
    with read_session(engine) as session:
        rows = session.exec(select(Request.id, Request.assigned_agent_id, Request.status)).all()
    assert {(number, agent) for number, agent, _status in rows} == set(
        (number, agent) for agent, number in claims)
    assert {status for _number, _agent, status in rows} == {"resolved"}
    assert sum(1 for out, _err in outputs if json.loads(out)) >= 2  # the work really was shared
    engine.dispose()


TWIN = STARTED + """
try:
    record = pull_next_request(engine, agent_id=agent_id, now=datetime.now(timezone.utc))
    print(json.dumps(record and record.number))
except MustFinishFirst as held:
    print(json.dumps(["held", held.number]))
"""


@pytest.mark.slow
def test_two_consoles_of_one_agent_pressing_f5_at_once_get_one_request(db_url, now):
    # An agent may hold one request: the second console must see the first one's claim
    # (PostgreSQL: the agent-row lock, then the claim with a snapshot of its own; SQLite:
    # the claim's own check under the write lock).
    engine = make_engine(db_url)
    office = build_office(engine, now)
    ann = office.agents["ann"]
    run_write(engine, lambda session: session.add_all(
        [Request(created_at=now, status="new", priority="low", category_id=office.categories["Billing"])
         for _ in range(8)]))

    def resolve(session, number):
        session.get(Request, number).status = "resolved"

    for _round in range(4):
        start_at = time.time() + 1.5  # both connected and waiting before either pulls
        twins = [subprocess.Popen([sys.executable, "-c", TWIN, db_url, str(ann), str(start_at)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outputs = [twin.communicate(timeout=60) for twin in twins]
        for twin, (_out, err) in zip(twins, outputs):
            assert twin.returncode == 0, err
        results = [json.loads(out) for out, _err in outputs]
        with read_session(engine) as session:
            held = session.exec(select(Request.id).where(
                Request.assigned_agent_id == ann, Request.status == "in_progress")).all()
        assert len(held) == 1, results
        # One console got it; the other was told to finish it first (or, had it come
        # second, would have been).
        assert [r for r in results if isinstance(r, int)] == held, results
        assert all(r == held[0] or r == ["held", held[0]] for r in results), results
        run_write(engine, lambda session, number=held[0]: resolve(session, number))
    engine.dispose()
