"""Signing in: login and password, checked off the UI thread, slowed down after failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from console.i18n import _
from domain.records import AgentRecord
from screens.db import ReportsWorkerErrors
from screens.keys import N_, TranslatedBindings

if TYPE_CHECKING:  # the storage layer is imported after the first paint (console start)
    from storage.desk import OfficeProfile

FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 30


def back_off_seconds(failures: int) -> int:
    """How long to wait after `failures` wrong attempts in a row (0 for the first few)."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_WAIT_SECONDS)


class SignInScreen(ReportsWorkerErrors, TranslatedBindings, Screen):
    """Login and password; a wrong pair never says which part was wrong."""

    CSS_PATH = "sign_in.tcss"
    AUTO_FOCUS = "#login"
    # A priority binding runs while the key is dispatched, so focus moves to the password
    # before the next typed-ahead keys are delivered (login, enter, password, enter typed
    # in one burst all land in the right boxes).
    BINDINGS = [Binding("enter", "next_or_sign_in", N_("Sign in"), id="sign-in", priority=True)]

    @dataclass
    class SignedIn(Message):
        """The login and password matched."""

        agent: AgentRecord
        current: int | None
        """The request the agent was working on, to go back to."""
        office: OfficeProfile

    @dataclass
    class Refused(Message):
        """The login and password did not match."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0
        self.checking = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Center():
            with Vertical(id="sign-in-form"):
                yield Static(_("Sign in to the console"), id="sign-in-title")
                yield Label(_("Login"))
                yield Input(id="login", placeholder=_("your login"), max_length=64)
                yield Label(_("Password"))
                yield Input(id="password", password=True, placeholder=_("password"))
                yield Static("", id="sign-in-message")
                yield Button(_("Sign in"), id="sign-in-button", variant="primary")
        yield Footer()

    def action_next_or_sign_in(self) -> None:
        """Enter: from the login to the password, or sign in."""
        password = self.query_one("#password", Input)
        if self.focused is self.query_one("#login", Input) and not password.value:
            self.set_focus(password)
        elif self.focused is not None:
            # Queued behind keys the focused box has not handled yet (typed ahead).
            self.focused.call_later(self.action_sign_in)
        else:
            self.action_sign_in()

    @on(Button.Pressed, "#sign-in-button")
    def _submit(self) -> None:
        self.action_sign_in()

    def action_sign_in(self) -> None:
        """Check the login and password (in a worker: argon2 takes a while on purpose)."""
        login = self.query_one("#login", Input).value.strip()
        password = self.query_one("#password", Input).value
        if self.checking or not login or not password:
            if not login:
                self.query_one("#login", Input).focus()
            elif not password:
                self.query_one("#password", Input).focus()
            return
        self.checking = True
        self._say(_("Checking…"))
        self._check(login, password)

    @work(thread=True, exit_on_error=False, group="sign-in")
    def _check(self, login: str, password: str) -> None:
        from storage.agents import authenticate
        from storage.desk import current_request, office_profile

        services = self.app.services
        engine = services.wait_for_engine()  # typed in while the console was still opening it
        agent = authenticate(engine, login=login, password=password, now=services.now())
        if agent is None:
            self.post_message(self.Refused())
        else:
            self.post_message(self.SignedIn(agent, current_request(engine, agent.id),
                                            office_profile(engine)))

    def on_sign_in_screen_signed_in(self, message: SignedIn) -> None:
        self.checking = False
        self.app.services.extras["office"] = message.office
        self.app.signed_in(message.agent, message.current)

    def on_sign_in_screen_refused(self, _message: Refused) -> None:
        self.failures += 1
        password = self.query_one("#password", Input)
        password.value = ""
        wait = back_off_seconds(self.failures)
        text = _("Login or password is wrong.")
        if wait:
            self._say(text + " " + _("Too many attempts: wait {seconds} s.").format(seconds=wait),
                      error=True)
            self.set_timer(wait, self._ready)
        else:
            self._say(text, error=True)
            self._ready()
        password.focus()

    def worker_failed(self, worker) -> None:
        self.checking = False
        self._say(_("Could not check the password; try again."), error=True)

    def _ready(self) -> None:
        self.checking = False

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#sign-in-message", Static)
        message.update(text)
        message.set_class(error, "-error")
