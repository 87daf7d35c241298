"""Names as people type them: ``clean`` gives the tidy form we store and show, ``key``
what two spellings of one name have in common (case, ё, quotes, dashes, spaces), so
«СОШ "Гармония"» and «сош «гармония»» are one school. Pure functions: the models use
``key`` as the default of their ``name_key`` columns, the imports use both."""

from __future__ import annotations

import re
import unicodedata

# Every space-like character a spreadsheet or a web page may hold.
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_DOUBLE_QUOTES = '"«»„“”‟″〝〞＂'
_QUOTES_ALL = _DOUBLE_QUOTES + "'‘’‚‛`´"
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_NUMBER_SIGN = re.compile(r"№\s*")


def _typographic_quotes(text: str) -> str:
    """Every double quote becomes « or »: «„ open, » closes, and a straight or English
    quote opens at the start, after a space, a bracket or another opening quote, and
    closes otherwise. «» and "" then read the same, and nested quotes stay nested:
    МБОУ "СОШ "Гармония"" → МБОУ «СОШ «Гармония»»."""
    out: list[str] = []
    for ch in text:
        if ch in "«„〝":
            out.append("«")
        elif ch in "»〞":
            out.append("»")
        elif ch in _DOUBLE_QUOTES:
            before = out[-1] if out else " "
            out.append("«" if before.isspace() or before in "([«" else "»")
        else:
            out.append(ch)
    return "".join(out)


def clean(value: object) -> str:
    """The cell as tidy text: one space between words, no spaces at the ends, quotes as
    «», dashes as -, «№12» as «№ 12». Numbers read from Excel lose their «.0»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n\r")
    text = _SPACES.sub(" ", text).strip()
    text = _DASHES.sub("-", text)
    text = _NUMBER_SIGN.sub("№ ", text)
    return _typographic_quotes(text)


def name_key(value: object) -> str:
    """What decides «the same name»: case, ё/е, quotes and extra spaces do not count."""
    text = clean(value).casefold().replace("ё", "е")
    text = "".join(" " if ch in _QUOTES_ALL else ch for ch in text)
    return " ".join(text.split())
