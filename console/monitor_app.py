"""A monitor-only app: the supervisors' board on its own (`callcenter monitor`, Pilot tests)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from console.i18n import _
from screens.keys import N_, TranslatedBindings
from screens.monitor import REFRESH_SECONDS, QueueMonitorScreen
from screens.services import Services
from storage.desk import office_profile


_SCREENS = Path(__file__).resolve().parent.parent / "screens"


class MonitorApp(TranslatedBindings, App[None]):
    """Shows `QueueMonitorScreen` on `services`; actions need a supervisor in `services.agent`."""

    TITLE = "callcenter monitor"
    # Textual loads a screen's CSS_PATH when the screen is pushed, not for the default
    # screen: the board's styles are named here, with the console's own.
    CSS_PATH = [_SCREENS / "app.tcss", _SCREENS / "monitor.tcss"]
    BINDINGS = [Binding("q", "quit", N_("Quit"), id="monitor-quit")]

    def __init__(self, services: Services, *, refresh_seconds: float = REFRESH_SECONDS) -> None:
        super().__init__()
        self.services = services
        self.refresh_seconds = refresh_seconds

    def get_default_screen(self) -> Screen:
        return QueueMonitorScreen(refresh_seconds=self.refresh_seconds)

    def on_mount(self) -> None:
        self.services.extras.setdefault("office", office_profile(self.services.engine))
        agent = self.services.agent
        self.sub_title = (f"{agent.name} ({agent.login})" if agent
                          else _("read-only: start with --as LOGIN of a supervisor to act"))
