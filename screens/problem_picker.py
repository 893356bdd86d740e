"""Choosing a problem code: narrow department -> provider -> service category -> code, or
type part of its name in any of the office's languages."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Input, OptionList, Static, Tree
from textual.widgets.option_list import Option

from console.i18n import _
from domain.text import one_line
from screens.db import ReportsWorkerErrors
from screens.keys import N_, TranslatedBindings
from screens.safe import literal, literal_line
from storage.catalogue import ProblemCodeRecord, find_problem_codes, problem_codes


class ProblemCodePicker(ReportsWorkerErrors, TranslatedBindings, ModalScreen[ProblemCodeRecord | None]):
    """A dialog returning the chosen problem code, or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog-cancel")]

    @dataclass
    class Loaded(Message):
        """The whole catalogue was read."""

        codes: list[ProblemCodeRecord]

    @dataclass
    class Found(Message):
        """Codes matching `query`."""

        query: str
        codes: list[ProblemCodeRecord]

    def __init__(self) -> None:
        super().__init__()
        self.language = "en"
        self.codes: dict[int, ProblemCodeRecord] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="problem-dialog"):
            yield Static(_("Problem code"), classes="dialog-title")
            yield Input(id="problem-query",
                        placeholder=_("Type part of its name (any language), or pick below"))
            with ContentSwitcher(initial="problem-tree", id="problem-views"):
                yield Tree(_("Departments"), id="problem-tree")
                yield OptionList(id="problem-matches")
            yield Static("", id="problem-info")

    def on_mount(self) -> None:
        self.language = self.app.services.language
        self.query_one("#problem-tree", Tree).show_root = False
        self.query_one("#problem-query", Input).focus()
        self._load()

    @work(thread=True, exit_on_error=False, group="problem-load")
    def _load(self) -> None:
        self.post_message(self.Loaded(problem_codes(self.app.services.engine)))

    def on_problem_code_picker_loaded(self, message: Loaded) -> None:
        self.codes = {code.id: code for code in message.codes}
        tree = self.query_one("#problem-tree", Tree)
        tree.clear()
        branches: dict[tuple[str, int], object] = {}
        lang = self.language
        for code in sorted(message.codes, key=lambda c: (c.path(lang), c.name(lang))):
            parent = tree.root
            for level, node in (("d", code.department), ("p", code.provider), ("s", code.service_category)):
                key = (level, node.id)
                if key not in branches:
                    branches[key] = parent.add(literal_line(node.name(lang)))
                parent = branches[key]
            parent.add_leaf(literal_line(f"{code.name(lang)}  ({code.code})"), data=code.id)
        if not message.codes:
            tree.root.add_leaf(literal_line(_("No problem codes are set up.")))

    @on(Input.Changed, "#problem-query")
    def _query_changed(self, event: Input.Changed) -> None:
        views = self.query_one("#problem-views", ContentSwitcher)
        if not event.value.strip():
            views.current = "problem-tree"
            return
        views.current = "problem-matches"
        self._find(event.value.strip())

    @work(thread=True, exit_on_error=False, exclusive=True, group="problem-find")
    def _find(self, query: str) -> None:
        self.post_message(self.Found(query, find_problem_codes(
            self.app.services.engine, query, language=self.language)))

    def on_problem_code_picker_found(self, message: Found) -> None:
        if message.query != self.query_one("#problem-query", Input).value.strip():
            return
        self.codes.update({code.id: code for code in message.codes})
        matches = self.query_one("#problem-matches", OptionList)
        matches.clear_options()
        lang = self.language
        for code in message.codes:
            matches.add_option(Option(Content.assemble(
                (one_line(code.name(lang)), "bold"), f"  ({one_line(code.code)})  ",
                (one_line(code.path(lang)), "dim")), id=str(code.id)))
        if not message.codes:
            matches.add_option(Option(Content(_("No problem code matches.")), disabled=True))
        else:
            matches.highlighted = 0

    @on(Input.Submitted, "#problem-query")
    def _submitted(self) -> None:
        views = self.query_one("#problem-views", ContentSwitcher)
        if views.current == "problem-matches":
            matches = self.query_one("#problem-matches", OptionList)
            option = matches.highlighted_option
            if option is not None and option.id:
                self._pick(int(option.id))
        else:
            self.query_one("#problem-tree", Tree).focus()

    @on(OptionList.OptionHighlighted, "#problem-matches")
    def _match_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._describe(int(event.option.id))

    @on(OptionList.OptionSelected, "#problem-matches")
    def _match_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._pick(int(event.option.id))

    @on(Tree.NodeHighlighted, "#problem-tree")
    def _node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data is not None:
            self._describe(event.node.data)

    @on(Tree.NodeSelected, "#problem-tree")
    def _node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            self._pick(event.node.data)

    def key_down(self) -> None:
        """Down from the query box moves into the list."""
        if self.focused is self.query_one("#problem-query", Input):
            current = self.query_one("#problem-views", ContentSwitcher).current
            self.query_one(f"#{current}").focus()

    def _describe(self, code_id: int) -> None:
        code = self.codes.get(code_id)
        if code is None:
            return
        info = literal_line(code.path(self.language), "dim")
        if code.description:
            info.append("\n")
            info.append_text(literal(code.description))
        self.query_one("#problem-info", Static).update(info)

    def _pick(self, code_id: int) -> None:
        self.dismiss(self.codes.get(code_id))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
