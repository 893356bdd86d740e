"""Key bindings whose descriptions follow the chosen language.

Bindings are declared on classes, before the language is known, with their English
descriptions marked by `N_`; `TranslatedBindings` swaps in the translations when a screen
or the app is created (`pybabel extract -k _ -k N_` collects both).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap

from console.i18n import _


def N_(message: str) -> str:
    """Mark `message` for translation without translating it yet."""
    return message


def translated(bindings: BindingsMap) -> BindingsMap:
    """A copy of `bindings` with descriptions and tooltips in the current language."""
    return BindingsMap.from_keys({
        key: [replace(b, description=_(b.description) if b.description else "",
                      tooltip=_(b.tooltip) if b.tooltip else "",
                      group=replace(b.group, description=_(b.group.description))
                      if b.group else None) for b in bindings_of_key]
        for key, bindings_of_key in bindings.key_to_bindings.items()})


class TranslatedBindings:
    """Mixin for the app and screens: their bindings' descriptions are translated."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._bindings = translated(self._bindings)
