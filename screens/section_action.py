"""The action section: customer, address, problem code, its template, and the work order."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from console.i18n import _
from domain.text import one_line
from domain.templates import TemplateFieldSpec
from screens.customer_panel import CustomerPanel
from screens.db import ReportsWorkerErrors
from screens.fields import FieldEdited
from screens.inputs import SafeInput
from screens.problem_picker import ProblemCodePicker
from screens.safe import literal_line
from screens.template_form import TemplateForm
from screens.work_order_panel import WorkOrderPanel
from storage.catalogue import ProblemCodeRecord, template_specs
from storage.intake import IntakeView
from storage.work_orders import WorkOrderRecord, create_work_order, link_work_order


class ActionSection(ReportsWorkerErrors, Vertical):
    """Everything an action request needs before work can be ordered."""

    @dataclass
    class SpecsLoaded(Message):
        """The template of the chosen problem code was read."""

        problem_code_id: int
        specs: list[TemplateFieldSpec]

    @dataclass
    class WorkOrderLinked(Message):
        """The request now has a work order (created or linked)."""

        order: WorkOrderRecord

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problem: ProblemCodeRecord | None = None
        self.saved_values: dict = {}

    def compose(self) -> ComposeResult:
        yield CustomerPanel(id="customer-panel")
        yield Label(_("Address where the work is needed"))
        yield SafeInput(id="field-address", compact=True,
                        placeholder=_("street and number, town"))
        yield Static(_("Problem code"), classes="section-title")
        with Horizontal(id="problem-line"):
            yield Static(_("None chosen."), id="problem-chosen")
            yield Button(_("Choose (ctrl+l)"), id="problem-choose", compact=True)
        yield TemplateForm(id="template-form")
        yield WorkOrderPanel(id="work-order-panel")

    @property
    def _language(self) -> str:
        return self.app.services.language

    def on_mount(self) -> None:
        if self.screen.view is not None:
            self.call_after_refresh(self.show, self.screen.view)

    def show(self, view: IntakeView) -> None:
        """Fill the section from the saved request."""
        self.query_one(CustomerPanel).show(view.customer)
        with self.prevent(Input.Changed):
            self.query_one("#field-address", SafeInput).load(view.record.address)
        self.saved_values = dict(view.record.field_values)
        self.query_one(WorkOrderPanel).show_linked(view.work_order)
        self._show_problem(view.problem)

    def _show_problem(self, problem: ProblemCodeRecord | None) -> None:
        self.problem = problem
        chosen = self.query_one("#problem-chosen", Static)
        if problem is None:
            chosen.update(_("None chosen."))
        else:
            text = literal_line(problem.name(self._language), "bold")
            text.append("  ")
            text.append_text(literal_line(problem.path(self._language), "dim"))
            chosen.update(text)
            self._specs(problem.id)
        self._look_for_similar()

    # --- customer and address --------------------------------------------------------

    @on(CustomerPanel.Chosen)
    def _customer_chosen(self, message: CustomerPanel.Chosen) -> None:
        self.post_message(FieldEdited("customer_id", message.customer.id, now=True))
        address = self.query_one("#field-address", SafeInput)
        if not address.value.strip() and message.customer.address:
            address.value = one_line(message.customer.address)  # an edit: it is saved

    @on(Input.Changed, "#field-address")
    def _address_changed(self) -> None:
        self._look_for_similar()

    def _look_for_similar(self) -> None:
        self.query_one(WorkOrderPanel).look_for_similar(
            self.problem.id if self.problem else None, self.query_one("#field-address", Input).value)

    # --- problem code and template -----------------------------------------------------

    @on(Button.Pressed, "#problem-choose")
    def choose_problem(self) -> None:
        """Open the problem code picker (ctrl+l)."""
        self.app.push_screen(ProblemCodePicker(), self._problem_chosen)

    def _problem_chosen(self, problem: ProblemCodeRecord | None) -> None:
        if problem is None:
            return
        if self.problem is None or problem.id != self.problem.id:
            self.saved_values = {}
            self.post_message(FieldEdited("problem_code_id", problem.id, now=True))
        self._show_problem(problem)

    @work(thread=True, exit_on_error=False, exclusive=True, group="template-specs")
    def _specs(self, problem_code_id: int) -> None:
        self.post_message(self.SpecsLoaded(problem_code_id,
                                           template_specs(self.app.services.engine, problem_code_id)))

    async def on_action_section_specs_loaded(self, message: SpecsLoaded) -> None:
        message.stop()
        if self.problem is None or self.problem.id != message.problem_code_id:
            return
        form = self.query_one(TemplateForm)
        if form.built and form.specs == message.specs and form.values() == self.saved_values:
            return  # already showing exactly this (a reload after a work order, say)
        with self.prevent(TemplateForm.Changed):
            await form.show(message.specs, self.saved_values, self._language)

    @on(TemplateForm.Changed)
    def _template_changed(self, message: TemplateForm.Changed) -> None:
        message.stop()
        self.saved_values = dict(message.values)
        self.post_message(FieldEdited("field_values", dict(message.values)))

    # --- work order ------------------------------------------------------------------

    @on(WorkOrderPanel.CreateWanted)
    def _create_wanted(self, message: WorkOrderPanel.CreateWanted) -> None:
        message.stop()
        form = self.query_one(TemplateForm)
        number = self.screen.number
        if self.problem is None or number is None:
            return
        if not form.check(required=True):
            self.notify(_("Some template fields need attention (marked in red)."), markup=False,
                        severity="warning")
            return
        self._create(number, self.problem.id, self.query_one("#field-address", Input).value,
                     form.values())

    @work(thread=True, exit_on_error=False, group="work-order")
    def _create(self, number: int, problem_code_id: int, address: str, values: dict) -> None:
        services = self.app.services
        order = create_work_order(services.engine, number=number, problem_code_id=problem_code_id,
                                  address=address, values=values, now=services.now(),
                                  agent_id=services.agent.id, actor=services.agent.login)
        self.post_message(self.WorkOrderLinked(order))

    @on(WorkOrderPanel.LinkWanted)
    def _link_wanted(self, message: WorkOrderPanel.LinkWanted) -> None:
        message.stop()
        if self.screen.number is not None:
            self._link(self.screen.number, message.work_order_id)

    @work(thread=True, exit_on_error=False, group="work-order")
    def _link(self, number: int, work_order_id: int) -> None:
        services = self.app.services
        order = link_work_order(services.engine, number=number, work_order_id=work_order_id,
                                now=services.now(), agent_id=services.agent.id,
                                actor=services.agent.login)
        self.post_message(self.WorkOrderLinked(order))

    def on_action_section_work_order_linked(self, message: WorkOrderLinked) -> None:
        self.query_one(WorkOrderPanel).show_linked(message.order)
        self.notify(_("Work order {id} linked to this request.").format(id=message.order.id),
                    markup=False)

    def focus_customer(self) -> None:
        """Put the cursor in the customer search (ctrl+f)."""
        self.query_one(CustomerPanel).focus_search()
