"""Translation of UI strings: `_("New call")`, from gettext catalogs kept as .po files.

The catalogs are read with Babel straight from `console/locale/<lang>/LC_MESSAGES/
callcenter.po`, so no compiled .mo files need to be built or committed. English is the
source language. `pybabel extract -k _ -o console/locale/callcenter.pot console screens`
collects new strings; `pybabel update` merges them into the catalogs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "callcenter"
_language = "en"


@lru_cache(maxsize=None)
def _catalog(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy
            and isinstance(m.id, str)}


def set_language(language: str) -> None:
    """Choose the language of the UI (falls back to English for missing strings)."""
    global _language
    _language = language


def current_language() -> str:
    """The language chosen with `set_language`."""
    return _language


def available_languages() -> list[str]:
    """English plus every language with a catalog."""
    return ["en"] + sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())


def _(message: str) -> str:
    """`message` in the current language."""
    if _language == "en":
        return message
    return _catalog(_language).get(message, message)
