"""Cleaning the text of a cell (models.names: the tidy form and the matching key), and
the words of a header."""

from __future__ import annotations

import re

from models.names import clean
from models.names import name_key as key

__all__ = ["clean", "key", "words"]

_WORD = re.compile(r"[0-9a-zа-я+]+")


def words(value: object) -> list[str]:
    """Lower-case words without punctuation, for reading a header («№ п/п» → «№»…)."""
    text = clean(value).casefold().replace("ё", "е")
    return _WORD.findall(text)
