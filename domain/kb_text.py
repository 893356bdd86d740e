"""Words of an article as search sees them: folded copies to index, and hit positions in the original.

The index holds a folded copy ("Wywóz ODPADÓW" -> "wywoz odpadow") so that search does
not care about diacritics or case; the original stays for display. Folding can change
lengths (ß -> ss, ĳ -> ij), so each original word is folded on its own and remembers
its span: a hit found in folded words maps back to the exact original letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from domain.text import fold

# A word: letters and digits, with any combining marks that decorate them (a decomposed
# "é" is "e" + U+0301, and the mark must not split the word).
WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
_TOKEN = re.compile(r"[^\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold_tokens(text: str) -> list[str]:
    """The folded search tokens of `text`: "Wywóz ODPADÓW, Straße" -> ["wywoz", "odpadow", "strasse"]."""
    return _TOKEN.findall(fold(text))


# Letters that survive lower() + NFKD + dropping accents without becoming ASCII (see fold).
_LOWER_SPECIAL = (("ł", "l"), ("ß", "ss"), ("ø", "o"), ("æ", "ae"), ("œ", "oe"), ("đ", "d"),
                  ("ð", "d"), ("þ", "th"), ("ı", "i"), ("ħ", "h"), ("ŀ", "l"))
# After NFKD, Latin text is ASCII plus combining accents (U+034F is not an accent).
_NOT_LATIN = re.compile(r"[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")
# The same test on UTF-8 bytes: deleting ASCII, continuation bytes and the lead bytes of
# U+0300-U+037F (0xCC, 0xCD) leaves nothing. 0xCD also leads U+034F and U+0370-U+037F,
# so text holding it is checked with the regex.
_LATIN_BYTES = bytes(range(0x80)) + bytes(range(0x80, 0xC0)) + b"\xcc\xcd"
_HIGH_BYTES = bytes(range(0x80, 0x100))
_ASCII_TOKENS = bytes(c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122) else 32
                      for c in range(256))
_SPACE_RUNS = re.compile(rb"  +")


def search_copy(text: str) -> str:
    """The folded copy of `text` that is indexed: its tokens separated by single spaces.

    Always equal to `" ".join(fold_tokens(text))`; Latin-script text (nearly every
    article) takes a path of C-speed string operations, since importing 100,000
    articles folds some 200 MB of text.
    """
    latin = _latin_copy(text)
    return " ".join(fold_tokens(text)) if latin is None else latin


def _latin_copy(text: str) -> str | None:
    """The search copy of Latin-script text (each word one token), or None for other text."""
    lowered = text.lower()
    for special, replacement in _LOWER_SPECIAL:
        if special in lowered:
            lowered = lowered.replace(special, replacement)
    decomposed = unicodedata.normalize("NFKD", lowered)
    encoded = decomposed.encode("utf-8", "surrogatepass")
    if encoded.translate(None, _LATIN_BYTES) or (b"\xcd" in encoded and _NOT_LATIN.search(decomposed)):
        return None
    # Accents (all bytes >= 0x80 now) dropped, ASCII letters lowered, the rest spaces.
    tokens = encoded.translate(_ASCII_TOKENS, _HIGH_BYTES)
    return _SPACE_RUNS.sub(b" ", tokens).strip().decode("ascii")


@lru_cache(maxsize=65536)
def word_tokens(word: str) -> tuple[str, ...]:
    """The folded tokens of one `WORD` (folding can split it: "ĳsje" -> "ijsje" stays one,
    "l'eau" is two words already). Articles repeat their words: each distinct word is
    folded once."""
    return tuple(_TOKEN.findall(fold(word)))


def _char_table() -> tuple[dict[str, str], str]:
    """How each character of the Latin blocks folds, and which characters the fast matcher knows.

    Returns `{letter or digit: its folded letters}` and a regex class of every character
    whose folding is simple: a letter or digit that folds to ASCII letters and digits, or
    a separator that folds to no letter or digit.
    """
    folds: dict[str, str] = {}
    known: list[str] = []
    # Latin-1 and Latin Extended-A (the letters of the languages the office uses and
    # their neighbours), capital sharp s, punctuation. Every other character sends its
    # text to the word-by-word folding: fewer letters per class keep the per-query
    # regex short, and Python compiles a regex at some microseconds per character.
    blocks = ((0x0000, 0x0180), (0x1E9E, 0x1E9F), (0x2000, 0x2070))
    for first, last in blocks:
        for code in range(first, last):
            ch = chr(code)
            folded = fold(ch)
            if _TOKEN.fullmatch(ch):
                if folded and folded.isascii() and folded.isalnum():
                    folds[ch] = folded
                    known.append(ch)
            elif not _TOKEN.search(folded):
                known.append(ch)
    return folds, "".join(re.escape(ch) for ch in known)


_FOLDS, _KNOWN = _char_table()
_UNKNOWN = re.compile(f"[^{_KNOWN}]")
_BY_FOLD: dict[str, str] = {}
for _ch, _folded in _FOLDS.items():
    _BY_FOLD[_folded] = _BY_FOLD.get(_folded, "") + _ch
_MULTI = {folded: chars for folded, chars in _BY_FOLD.items() if len(folded) > 1}
_WORD_CHAR = "[^\\W_]"
_MAX_PATTERN = 20_000
_MAX_SPELLINGS = 256


def _letters(chars: str) -> str:
    """A regex for any one of `chars` that compiles fast (a new one is built per query).

    Python's regex compiler turns a character class holding letters above U+00FF and
    more than one run of code points into a 64K-entry map, ~0.1 ms per class. The
    Latin-1 letters go in one class and each run of others (Latin Extended-A keeps a
    letter's accented forms together: Ā-ą) in its own, and a branch that never matches
    keeps the compiler from merging them back into one class.
    """
    low = "".join(re.escape(c) for c in sorted(chars) if ord(c) < 256)
    runs: list[list[int]] = []
    for code in sorted(ord(c) for c in chars if ord(c) >= 256):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    parts = ([f"[{low}]"] if low else []) + [
        re.escape(chr(a)) if a == b else f"[{re.escape(chr(a))}-{re.escape(chr(b))}]" for a, b in runs]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + "|(?!)x)"


def _ways(term: str, at: int, prefix: bool) -> list[tuple[str, int]]:
    """The letters that can spell `term` from `at` on, each with how many folded letters it covers."""
    rest = term[at:]
    ways = [(_BY_FOLD[rest[0]], 1)] if rest[0] in _BY_FOLD else []
    for folded, chars in _MULTI.items():
        if rest.startswith(folded):
            ways.append((chars, len(folded)))
        elif prefix and folded.startswith(rest):
            ways.append((chars, len(rest)))  # the prefix ends inside this letter's folding
    return ways


def _spelled(term: str, at: int, prefix: bool) -> str:
    """A regex for every way the original text can spell `term[at:]` (ß for ss, Æ for ae, …)."""
    if at == len(term):
        return ""
    ways = [_letters(chars) + _spelled(term, at + n, prefix) for chars, n in _ways(term, at, prefix)]
    if not ways:
        return "(?!)"
    return ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"


def _spellings(term: str, prefix: bool) -> int:
    """How many alternatives `_spelled` would write for `term` (counted, not built)."""
    count = [0] * len(term) + [1]
    for at in range(len(term) - 1, -1, -1):
        count[at] = sum(count[min(at + n, len(term))] for _chars, n in _ways(term, at, prefix))
    return count[0]


@lru_cache(maxsize=256)
def _hit_pattern(exact: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern | None:
    """One regex finding every word a query hits, in the original spelling (None: too big).

    It starts with one character class (the first letters of every term), so the regex
    engine skips ahead to candidate letters; a look-behind then checks the letter starts
    a word, and another which term it begins.
    """
    terms = [(t, False) for t in sorted(exact)] + [(t, True) for t in prefixes]
    if sum(_spellings(t, prefix) for t, prefix in terms) > _MAX_SPELLINGS:
        return None  # "ssssss…": the pattern would grow exponentially; fold word by word
    firsts: set[str] = set()
    ways = []
    for term, prefix in terms:
        end = f"{_WORD_CHAR}*" if prefix else f"(?!{_WORD_CHAR})"
        for chars, n in _ways(term, 0, prefix):
            firsts.update(chars)
            ways.append(f"(?<={_letters(chars)}){_spelled(term, n, prefix)}{end}")
    if not ways:
        return None
    first = "".join(re.escape(c) for c in sorted(firsts))
    pattern = f"[{first}](?<!{_WORD_CHAR}.)(?:{'|'.join(ways)})"
    return re.compile(pattern) if len(pattern) <= _MAX_PATTERN else None


def forget_hit_patterns() -> None:
    """Drop the compiled per-query regexes (a benchmark measures each query as new, as typing makes it)."""
    _hit_pattern.cache_clear()


def hit_spans(text: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the words of `text` with a token equal to an exact term or starting with a prefix.

    This runs for every result of every keystroke's search. Text made only of characters
    whose folding is simple (Latin letters, punctuation: nearly every article) is searched
    with one regex that spells each term every way the original may (any case, any
    accent, ß for ss); other text, and text with combining accents, is folded word by word.
    """
    if not exact and not prefixes:
        return []
    marks = _MARKS.search(text) is not None
    pattern = _hit_pattern(exact, prefixes) if not marks and not _UNKNOWN.search(text) else None
    if pattern is not None:
        return [match.span() for match in pattern.finditer(text)]
    words = WORD if marks else _TOKEN
    return [match.span() for match in words.finditer(text)
            if any(t in exact or (prefixes and t.startswith(prefixes))
                   for t in word_tokens(match.group()))]


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARKS = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.M)
_INLINE_MARKS = re.compile(r"[*_`~]+")


LINE_MARK_STARTS = frozenset("#>*+-0123456789")
"""First characters of a Markdown line marker (heading, quote, bullet, numbered item)."""
_MARK_START = "[" + re.escape("".join(sorted(LINE_MARK_STARTS))) + "]"
# A line whose first character after spaces and tabs could start a line marker: the first
# line, or one after a newline (a search for "\n" is far faster than trying `^` everywhere).
_FIRST_LINE_MARK = re.compile(r"[ \t]*" + _MARK_START)
_NEXT_LINE_MARK = re.compile(r"\n[ \t]*" + _MARK_START)


def plain(markdown: str) -> str:
    """Markdown as plain prose for snippets: link texts kept, markers and URLs dropped.

    Runs for every shown search hit: each regex runs only when its markers can be there.
    """
    return " ".join(plain_lines(markdown).split())


def plain_lines(markdown: str) -> str:
    """`plain` with the whitespace left as it is (the same words, for folding)."""
    text = _LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    if _FIRST_LINE_MARK.match(text) or _NEXT_LINE_MARK.search(text):
        text = _LINE_MARKS.sub("", text)
    if "*" in text or "_" in text or "`" in text or "~" in text:
        text = _INLINE_MARKS.sub("", text)
    return text
