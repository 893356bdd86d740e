"""Keys that work everywhere: F5 next request, F3 knowledge base, F6 monitor for supervisors."""

from screens.desk import DeskScreen
from screens.intake import IntakeScreen
from screens.kb_screen import KnowledgeBaseScreen
from storage.requests import open_request
from tests.screens.conftest import SIZE, new_call, request_row, sign_in, wait_for


async def test_f5_takes_the_waiting_request_and_refuses_while_one_is_held(make_app, sqlite_engine, office, now):
    waiting = open_request(sqlite_engine, now=now, agent_id=None, actor="cli", subject="Bins missed",
                           category_id=office.waste_queue).number
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.view)
        assert app.screen.number == waiting
        assert request_row(sqlite_engine, waiting).assigned_agent_id == office.ann
        assert "f5" not in [b.binding.key for b in app.screen.active_bindings.values()]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
        other = open_request(sqlite_engine, now=now, agent_id=None, actor="cli",
                             category_id=office.waste_queue).number
        await pilot.press("f5")  # still holding the first one: back to it, with the reason
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.view)
        assert app.screen.number == waiting
        assert request_row(sqlite_engine, other).assigned_agent_id is None
        assert any(n.title == "Deal with it first" and "still hold request" in n.message
                   for n in app._notifications)


async def test_f3_opens_the_knowledge_base_for_the_request_on_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, KnowledgeBaseScreen))
        assert app.screen.number == number
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen))


async def test_f6_opens_the_queue_monitor_for_supervisors_only(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)  # ann is an agent
        assert "f6" not in [b.binding.key for b in app.screen.active_bindings.values()]
        await pilot.press("f6")
        await pilot.pause(0.3)
        assert isinstance(app.screen, DeskScreen)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sue")
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "QueueMonitorScreen")
