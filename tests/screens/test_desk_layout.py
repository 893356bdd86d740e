"""The desk as an agent reads it: queues that differ only at the end look different, and
the open requests show when they are due, at 160 columns and still at 120."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable

from screens.desk import DeskScreen, path_tail
from screens.fmt import local
from screens.office import zone_of
from storage.engine import run_write
from storage.tables import CategoryMember, Request, RoutingCategory
from tests.screens.conftest import sign_in, wait_for

PRINTERS, COMPUTERS = "Technical support/Hardware/Printers", "Technical support/Hardware/Computers"
SNOW = "Public works/Roads/Winter maintenance/Snow clearing of cycle paths"
SUBJECTS = ["Printer on the second floor jams on every page since Monday",
            "Laptop screen flickers after the update"]
COLUMNS = ["No.", "Status", "Type", "Subject", "Customer", "Due", "Updated"]


@pytest.fixture
def desk_office(sqlite_engine, office, now):
    """Ann in three queues with long paths, two requests of her own with deadlines (waiting
    for the customer, so none is opened at sign-in)."""
    def work(session) -> dict[str, int]:
        ids = {}
        for path in (PRINTERS, COMPUTERS, SNOW):
            category = RoutingCategory(path=path, name=path.rsplit("/", 1)[-1])
            session.add(category)
            session.flush()
            session.add(CategoryMember(category_id=category.id, agent_id=office.ann))
            ids[path] = category.id
        for index, subject in enumerate(SUBJECTS):
            session.add(Request(
                created_at=now - timedelta(days=2), updated_at=now - timedelta(hours=index + 1),
                type="action", channel="phone", status="pending_customer", subject=subject,
                paused_at=now - timedelta(hours=index + 1),
                category_id=ids[PRINTERS], assigned_agent_id=office.ann,
                assigned_at=now - timedelta(days=2), field_values={},
                resolution_due_at=now + timedelta(days=3, hours=index)))
        session.add(Request(created_at=now - timedelta(hours=3), updated_at=now - timedelta(hours=3),
                            type="action", channel="phone", status="new", subject="Toner empty",
                            category_id=ids[COMPUTERS], field_values={},
                            resolution_due_at=now + timedelta(hours=5)))
        return ids

    return run_write(sqlite_engine, work)


def _lines(app) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def _assert_readable(app) -> str:
    """Every column of the open requests in view, the queues told apart; the screen text."""
    lines = _lines(app)
    text = "\n".join(lines)
    header = next(line for line in lines if line.lstrip().startswith("No."))
    assert all(title in header.split() for title in COLUMNS), header
    zone, now = zone_of(app.services), app.services.now()
    requests = app.screen.query_one("#my-requests", DataTable)
    assert requests.row_count == len(SUBJECTS)
    for key in requests.rows:
        number, *_cells, due, updated = [cell.plain for cell in requests.get_row(key)]
        line = next(line for line in lines if line.lstrip().startswith(number + " "))
        assert line.rstrip().endswith(f"{due}  {updated}"), line
    for queue in (PRINTERS, COMPUTERS, "…/Snow clearing of cycle paths"):
        assert queue in text, text
    assert local(now + timedelta(days=3), zone, now) in text
    return text


async def test_the_desk_shows_whole_queue_ends_and_every_request_column(make_app, desk_office):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await sign_in(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen) and app.screen.desk is not None
                       and app.screen.query_one("#my-requests", DataTable).row_count == len(SUBJECTS))
        await pilot.pause()
        text = _assert_readable(app)
        assert all(subject in text for subject in SUBJECTS), text
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        text = _assert_readable(app)  # the subject gives way, not Due or Updated
        assert SUBJECTS[0] not in text and SUBJECTS[0][:30] in text and "…" in text, text


@pytest.mark.parametrize("path, width, shown", [
    ("Environment/Waste", 40, "Environment/Waste"),
    (PRINTERS, len(PRINTERS), PRINTERS),
    (PRINTERS, 24, "…/Hardware/Printers"),
    (PRINTERS, 12, "…/Printers"),
    (PRINTERS, 8, "…rinters"),
    ("Zgłoszenia/Środowisko/Odpady wielkogabarytowe", 30, "…/Odpady wielkogabarytowe"),
    ("Support/打印机和复印机", 12, "…机和复印机"),  # wide characters: 11 cells
])
def test_a_long_queue_path_keeps_its_end(path, width, shown):
    assert path_tail(path, width) == shown
