"""Database work off the UI thread, and failures turned into messages instead of crashes."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from console.i18n import _
from domain.errors import DomainError
from domain.text import one_line
from storage.errors import NotFound, StorageError


def error_text(error: BaseException | None) -> str:
    """A one-line message for the agent (no traceback, control characters made visible)."""
    if error is None:
        return _("Something went wrong.")
    if isinstance(error, (DomainError, NotFound)):
        return one_line(str(error))
    if isinstance(error, StorageError):
        return one_line(_("Database problem: {error}").format(error=error))
    return one_line(_("Unexpected error: {kind}: {error}").format(kind=type(error).__name__,
                                                                  error=error))


class ReportsWorkerErrors:
    """Mixin for widgets and screens: a failed worker shows a notification, never a crash."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.notify(error_text(event.worker.error), severity="error", markup=False,
                        title=_("Not done"))
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Hook for undoing what waited on the failed worker (nothing by default)."""
