"""What the agent does with the request on screen: resolve, ask the customer, hand it over,
escalate, reopen (each asks what it needs, saves typing first, then runs in a worker)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.message import Message

from console.i18n import _
from domain.records import RequestRecord
from domain.requests import OPEN_STATUSES, Status
from screens.keys import N_
from screens.prompts import HandOverDialog, TextPrompt
from storage.lifecycle import (escalate_request, pend_request, reassign_request, reopen_request,
                               resolve_request, resume_request)

DONE_TEXT = {"resolve": N_("Request {number} resolved."),
             "pend": N_("Request {number} waits for the customer."),
             "resume": N_("Request {number} is in progress again."),
             "reassign": N_("Request {number} handed over."),
             "escalate": N_("Request {number} sent to the supervisors."),
             "reopen": N_("Request {number} reopened.")}


@dataclass
class LifecycleDone(Message):
    """A lifecycle action went through."""

    action: str
    record: RequestRecord


class LifecycleActions:
    """Mixin for the intake screen (which provides `number`, `record`, `draft`, `resolution_note`)."""

    def lifecycle_allowed(self, action: str) -> bool:
        """Whether `action` makes sense for the request's status (keys are hidden otherwise)."""
        record = self.record
        if record is None or self.number is None:
            return False
        status = Status(record.status)
        if action == "reopen":
            return status not in OPEN_STATUSES
        if status not in OPEN_STATUSES:
            return False
        if action == "resume":
            return status is Status.PENDING_CUSTOMER
        if action == "pend":
            return status is not Status.PENDING_CUSTOMER
        if action == "escalate":
            return not record.escalated
        return True

    def action_resolve(self) -> None:
        """Resolve the request (an information request needs its resolution note)."""
        note = self.resolution_note()
        if self.record.type == "information" and not note:
            self.notify(_("Write the resolution note first: what was the caller told?"),
                        markup=False, severity="warning")
            self.focus_resolution_note()
            return
        self._run("resolve", lambda s, n, a: resolve_request(s.engine, number=n, agent_id=a,
                                                               now=s.now(), note=note))

    def action_pend(self) -> None:
        """Ask the customer something and wait for the answer (the deadline clock stops)."""
        self._ask(_("Waiting for the customer"), _("Question for the customer"),
                  lambda text: self._run("pend", lambda s, n, a: pend_request(
                      s.engine, number=n, agent_id=a, now=s.now(), question=text)))

    def action_resume(self) -> None:
        """The customer answered: back to work."""
        self._run("resume", lambda s, n, a: resume_request(s.engine, number=n, agent_id=a, now=s.now()))

    def action_reassign(self) -> None:
        """Hand the request to another queue or agent, saying why."""

        def chosen(result) -> None:
            if result is None:
                return
            category_id, to_agent_id, reason = result
            self._run("reassign", lambda s, n, a: reassign_request(
                s.engine, number=n, agent_id=a, now=s.now(), reason=reason,
                category_id=category_id, to_agent_id=to_agent_id))

        self.app.push_screen(HandOverDialog(), chosen)

    def action_escalate(self) -> None:
        """Send the request to the supervisors, saying why."""
        self._ask(_("Escalate to the supervisors"), _("Why"),
                  lambda text: self._run("escalate", lambda s, n, a: escalate_request(
                      s.engine, number=n, agent_id=a, now=s.now(), reason=text)))

    def action_reopen(self) -> None:
        """Reopen a resolved or closed request, saying why."""
        self._ask(_("Reopen the request"), _("Why"),
                  lambda text: self._run("reopen", lambda s, n, a: reopen_request(
                      s.engine, number=n, agent_id=a, now=s.now(), reason=text)))

    def _ask(self, title: str, label: str, then: Callable[[str], None]) -> None:
        self.app.push_screen(TextPrompt(title, label),
                             lambda text: then(text) if text else None)

    def _run(self, action: str, call: Callable) -> None:
        self._lifecycle(action, call, self.number, self.draft.pending_snapshot())

    @work(thread=True, exit_on_error=False, group="lifecycle")
    def _lifecycle(self, action: str, call: Callable, number: int, typed: dict) -> None:
        services = self.app.services
        self.draft.save_in_thread(typed)  # what was typed is saved before the request moves on
        self.post_message(LifecycleDone(action, call(services, number, services.agent.id)))

    def lifecycle_done_text(self, message: LifecycleDone) -> str:
        """What to tell the agent after `message`."""
        return _(DONE_TEXT[message.action]).format(number=message.record.number)
