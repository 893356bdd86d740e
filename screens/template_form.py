"""The problem code's work-order template as a sub-form, checked as the agent types."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static, TextArea

from console.i18n import _
from domain.errors import InvalidInput
from domain.templates import FieldKind, TemplateFieldSpec, check_value
from domain.text import one_line, printable
from screens.inputs import SafeInput, SafeTextArea
from screens.safe import literal, literal_line


def _widget(spec: TemplateFieldSpec, value: Any, language: str, widget_id: str) -> Widget:
    text = "" if value is None else value
    match spec.kind:
        case FieldKind.TEXT:
            return SafeTextArea(printable(str(text)), id=widget_id, classes="template-text", compact=True)
        case FieldKind.CHOICE | FieldKind.YES_NO:
            options = ([(literal_line(_("yes")), "yes"), (literal_line(_("no")), "no")]
                       if spec.kind is FieldKind.YES_NO else
                       [(literal_line(c.name(language)), c.key) for c in spec.choices])
            keys = [key for _name, key in options]
            return Select(options, id=widget_id, prompt=_("choose…"), compact=True,
                          value=text if text in keys else Select.NULL)
        case FieldKind.MULTI_CHOICE:
            chosen = set(text if isinstance(text, list) else [])
            return SelectionList(*[(literal_line(c.name(language)), c.key, c.key in chosen)
                                   for c in spec.choices], id=widget_id)
        case FieldKind.DATE:
            return SafeInput(one_line(str(text)), id=widget_id, placeholder=_("YYYY-MM-DD"), compact=True)
        case FieldKind.NUMBER:
            return SafeInput(one_line(str(text)), id=widget_id, placeholder=_("a number"), compact=True)
    return SafeInput(one_line(str(text)), id=widget_id, compact=True)


def _read(widget: Widget) -> Any:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    return widget.value


class TemplateForm(Vertical):
    """One input per template field; `Changed` carries every value as typed."""

    @dataclass
    class Changed(Message):
        """Some template field was edited; `values` holds them all, as typed."""

        values: dict[str, Any]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.specs: list[TemplateFieldSpec] = []
        self.built = False
        """Whether the form has been built for `specs` yet."""
        self._building = asyncio.Lock()  # one rebuild at a time: widgets mid-mount must not be removed

    async def show(self, specs: list[TemplateFieldSpec], values: dict[str, Any], language: str) -> None:
        """Build the form for `specs`, filled with the saved `values`."""
        async with self._building:
            await self._build(specs, values, language)
            self.built = True

    async def _build(self, specs: list[TemplateFieldSpec], values: dict[str, Any], language: str) -> None:
        self.specs = specs
        await self.remove_children()
        widgets: list[Widget] = []
        for index, spec in enumerate(specs):
            if not spec.variable:
                notice = literal_line(spec.label(language) + ": ", "bold")
                notice.append_text(literal(spec.description))
                widgets.append(Static(notice, classes="template-notice"))
                continue
            label = spec.label(language) + (" *" if spec.required else "")
            widgets.append(Label(literal_line(label)))
            if spec.description:
                widgets.append(Static(literal(spec.description), classes="hint"))
            widgets.append(_widget(spec, values.get(spec.code), language, f"tpl-{index}"))
            widgets.append(Static("", id=f"tpl-{index}-error", classes="field-error"))
        if not specs:
            widgets.append(Static(_("This problem code asks for nothing more."), classes="hint"))
        await self.mount_all(widgets)

    def values(self) -> dict[str, Any]:
        """Every variable field's value as typed (blank ones left out)."""
        typed = {}
        for index, spec in enumerate(self.specs):
            if spec.variable:
                value = _read(self.query_one(f"#tpl-{index}"))
                if value not in (None, "", []):
                    typed[spec.code] = value
        return typed

    def check(self, *, required: bool) -> bool:
        """Show an inline message under each wrong field; True when all are fine."""
        good = True
        for index, spec in enumerate(self.specs):
            if not spec.variable:
                continue
            value = _read(self.query_one(f"#tpl-{index}"))
            message = ""
            try:
                if required or value not in (None, "", []):
                    check_value(spec, value)
            except InvalidInput as exc:
                message, good = str(exc), False
            self.query_one(f"#tpl-{index}-error", Static).update(literal_line(message))
        return good

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _edited(self, event: Message) -> None:
        event.stop()
        self.check(required=False)
        self.post_message(self.Changed(self.values()))
