"""Parts other areas deliver to the console, used when present.

The knowledge-base screen (F3) comes with the knowledge base; until it is installed the
console's own article browser stands in.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

import screens


@cache
def knowledge_base_screen() -> type | None:
    """The knowledge-base screen class, if the knowledge base is installed."""
    for module in sorted(pkgutil.iter_modules(screens.__path__), key=lambda m: m.name):
        if module.name.startswith("kb_"):
            found = getattr(importlib.import_module(f"screens.{module.name}"),
                            "KnowledgeBaseScreen", None)
            if found is not None:
                return found
    return None


def make_knowledge_base_screen(screen_class: type, number: int | None) -> Any:
    """An instance of the knowledge-base screen for request `number`."""
    return screen_class(number=number)
