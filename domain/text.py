"""Text folding for diacritics-insensitive matching, and making stored text safe to show."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into base + accent, so NFKD alone keeps them.
_SPECIAL = str.maketrans({
    "ł": "l", "Ł": "l", "ß": "ss", "ẞ": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ı": "i", "ħ": "h", "Ħ": "h", "ŀ": "l", "Ŀ": "l",
})


def fold(text: str) -> str:
    """Lower-case `text` and strip diacritics: "Wywóz ODPADÓW Straße ĳs" -> "wywoz odpadow strasse ijs"."""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_SPECIAL)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Replace control characters (ANSI/OSC escapes included) with visible `\\xNN`; keep \\n and \\t."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """`printable` text on a single line (newlines and tabs become spaces)."""
    return printable(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
