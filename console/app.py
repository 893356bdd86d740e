"""The agent console: a Textual app built by `build_app` with its database, settings, clock.

The app holds what every screen shares (`services`: engine, clock, signed-in agent) and
the keys that work everywhere once signed in: F2 new call, F3 knowledge base, F5 next
request, F6 queue monitor (supervisors). Screens do the rest.

Start-up: only what the sign-in screen needs is imported before it paints. When the
launcher has already checked (cheaply) that the database is current, the app is built
with `connect` instead of an engine: the engine, the storage layer and the other screens
are then loaded in a worker right after the first paint, while the agent types; a sign-in
typed before that waits for it (`Services.wait_for_engine`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from console.i18n import _, set_language
from console.settings import Settings
from domain.clock import Clock
from domain.requests import Channel
from domain.roles import can_supervise
from domain.text import one_line
from screens.keys import N_, TranslatedBindings
from screens.services import Services
from screens.sign_in import SignInScreen

if TYPE_CHECKING:
    from sqlalchemy import Engine

SCREENS_DIR = Path(__file__).resolve().parent.parent / "screens"

# Loaded by the worker that opens the database, so that signing in does not wait for them.
WARM_MODULES = ("storage.agents", "storage.desk", "screens.desk", "screens.draft",
                "screens.intake", "screens.palette", "screens.integrations")


def _palette(name: str) -> Callable[[], type]:
    """A command-palette source imported when the palette first opens."""
    def load() -> type:
        return getattr(importlib.import_module("screens.palette"), name)
    load.__name__ = load.__qualname__ = name
    return load


class CallCenterApp(TranslatedBindings, App[None]):
    """The console an agent lives in during a call."""

    TITLE = "callcenter"
    CSS_PATH = SCREENS_DIR / "app.tcss"
    COMMANDS = App.COMMANDS | {_palette("RequestCommands"), _palette("CustomerCommands"),
                               _palette("ArticleCommands")}
    BINDINGS = [
        Binding("f2,ctrl+n", "new_call", N_("New call"), id="new-call", priority=True,
                tooltip=N_("Open and save a new request now (ctrl+n does the same)")),
        Binding("f3", "knowledge_base", N_("Knowledge base"), id="knowledge-base",
                priority=True, tooltip=N_("Search and read the knowledge base")),
        Binding("f5", "pull_next", N_("Next request"), id="pull-next", priority=True,
                tooltip=N_("Take the most urgent request waiting in your queues")),
        Binding("f6", "queue_monitor", N_("Queue monitor"), id="queue-monitor",
                priority=True, tooltip=N_("The supervisors' live board of queues and agents")),
        Binding("f1", "toggle_keys", N_("Keys"), id="keys",
                tooltip=N_("Show or hide every key of this screen")),
        # Priority, so focus moves while Tab is dispatched: keys typed ahead after it
        # ("subject TAB notes" in one burst) go to the next box, not the one just left.
        Binding("tab", "focus_next", N_("Next box"), id="focus-next", show=False,
                priority=True),
        Binding("shift+tab", "focus_previous", N_("Previous box"), id="focus-previous",
                show=False, priority=True),
    ]

    PRESENCE_SECONDS = 60.0
    """How often a signed-in console marks its agent as seen (the supervisors' board counts
    an agent as signed in while seen within its window, 15 minutes)."""

    def __init__(self, services: Services, *, connect: Callable[[], Engine] | None = None) -> None:
        super().__init__()
        self.services = services
        self.drafts: set = set()
        """Requests with typing not saved yet (flushed before the program exits)."""
        self._connect = connect
        if connect is not None:
            services.engine_ready.clear()
        self._presence: Timer | None = None

    async def on_mount(self) -> None:
        # The sign-in screen is pushed over Textual's blank base screen, so that it and
        # the desk can later replace each other with `switch_screen`.
        await self.push_screen(SignInScreen())
        if self._connect is not None:
            self.call_after_refresh(self._open_database)  # after the first paint

    @work(thread=True, exit_on_error=False, group="open-database")
    def _open_database(self) -> None:
        """Open the database and load the storage layer and screens (see the module doc)."""
        services = self.services
        try:
            engine = self._connect()
            for name in WARM_MODULES:
                importlib.import_module(name)
            services.engine = engine
        except Exception as exc:
            services.engine_error = one_line(str(exc) or type(exc).__name__)
            self.call_from_thread(self.exit, return_code=1)
        finally:
            services.engine_ready.set()

    # --- signing in and out ------------------------------------------------------

    def signed_in(self, agent, current: int | None) -> None:
        """Show the desk for `agent`, and their open request on top of it if there is one."""
        from screens.desk import DeskScreen
        from screens.draft import RequestDraft
        from screens.intake import IntakeScreen

        self.services.agent = agent
        self.sub_title = one_line(f"{agent.name} ({agent.login})")
        self.switch_screen(DeskScreen())
        if current is not None:
            self.push_screen(IntakeScreen(RequestDraft(self, number=current)))
        self._stop_presence()
        self._presence = self.set_interval(self.PRESENCE_SECONDS, self._mark_seen)

    def sign_out(self) -> None:
        """Back to the sign-in screen, after saving what was typed."""
        for draft in list(self.drafts):
            draft.flush_blocking()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self._stop_presence()
        self.services.agent = None
        self.sub_title = ""
        self.switch_screen(SignInScreen())

    def _stop_presence(self) -> None:
        if self._presence is not None:
            self._presence.stop()
            self._presence = None

    def _mark_seen(self) -> None:
        agent = self.services.agent
        if agent is not None:
            self._write_seen(agent.id)

    @work(thread=True, exit_on_error=False, exclusive=True, group="presence")
    def _write_seen(self, agent_id: int) -> None:
        """Sign-in set `last_seen_at`; this keeps it fresh while the console runs."""
        from storage.agents import mark_seen

        mark_seen(self.services.engine, agent_id, now=self.services.now())

    # --- keys that work everywhere -------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        agent = self.services.agent
        if action in ("new_call", "knowledge_base", "pull_next", "queue_monitor"):
            if agent is None:
                return False
        if action == "queue_monitor":
            return can_supervise(agent.role)
        if action == "pull_next" and _is_screen(self.screen, "screens.intake", "IntakeScreen"):
            # An agent on a request deals with it first; the key still works from the desk.
            return can_supervise(agent.role)
        return True

    def _to_desk(self) -> None:
        while len(self.screen_stack) > 2 and not _is_screen(self.screen, "screens.desk", "DeskScreen"):
            self.pop_screen()

    def open_request_screen(self, number: int) -> None:
        """Show request `number` on top of the desk."""
        from screens.draft import RequestDraft
        from screens.intake import IntakeScreen

        self._to_desk()
        self.push_screen(IntakeScreen(RequestDraft(self, number=number)))

    def action_new_call(self) -> None:
        """Save first: the request is committed at once, while its screen is being built."""
        from screens.draft import RequestDraft
        from screens.intake import IntakeScreen

        draft = RequestDraft(self)
        draft.open(channel=Channel.PHONE.value)
        self._to_desk()
        self.push_screen(IntakeScreen(draft))

    def action_knowledge_base(self) -> None:
        """The knowledge base, for the request on screen if there is one."""
        from screens import integrations

        integrations.show_knowledge_base(self, number=getattr(self.screen, "number", None))

    def show_customer(self, customer) -> None:
        """A customer's card; choosing one of their requests opens it."""
        from screens.customer_card import CustomerCard

        self.push_screen(CustomerCard(customer),
                         lambda number: self.open_request_screen(number) if number else None)

    def show_article(self, article_id: int) -> None:
        """Open an article in the knowledge base."""
        from screens import integrations

        integrations.show_knowledge_base(self, number=getattr(self.screen, "number", None),
                                         article_id=article_id)

    def action_pull_next(self) -> None:
        """Take the next request from the agent's queues (the desk does the work)."""
        self._to_desk()
        if _is_screen(self.screen, "screens.desk", "DeskScreen"):
            self.screen.pull_next()

    def action_queue_monitor(self) -> None:
        """The supervisors' queue monitor."""
        from screens.monitor import QueueMonitorScreen

        if not isinstance(self.screen, QueueMonitorScreen):
            self.push_screen(QueueMonitorScreen())

    def action_toggle_keys(self) -> None:
        """Show or hide the panel listing every key."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every key that works on the current screen, then Textual's own."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(binding.description, binding.tooltip or binding.description,
                                lambda node=active.node, action=binding.action:
                                self.run_action(action, node))
        yield from getattr(screen, "palette_commands", lambda: ())()
        if self.services.agent is not None:
            yield SystemCommand(_("Sign out"), _("End your session and show the sign-in screen"),
                                self.sign_out)
        yield from super().get_system_commands(screen)

    def exit(self, *args, **kwargs) -> None:
        """Save every pending edit before leaving."""
        for draft in list(self.drafts):
            draft.flush_blocking()
        super().exit(*args, **kwargs)


def _is_screen(screen: Screen, module: str, name: str) -> bool:
    """isinstance(screen, module.name), without importing `module` when it is not loaded yet
    (then no screen of it can exist)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(screen, getattr(loaded, name))


def build_app(*, engine: Engine | None = None, settings: Settings, clock: Clock,
              connect: Callable[[], Engine] | None = None) -> CallCenterApp:
    """The console on `engine`, in the language of `settings`, telling time by `clock`.

    Without `engine`, `connect()` makes it in a worker after the first paint; if that
    fails the app exits with return code 1 and `services.engine_error` says why.
    """
    if (engine is None) == (connect is None):
        raise ValueError("give either engine or connect")
    set_language(settings.language)
    services = Services(engine=engine, clock=clock, autosave_ms=settings.autosave_ms,
                        language=settings.language)
    return CallCenterApp(services, connect=connect)
