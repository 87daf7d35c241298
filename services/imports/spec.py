"""How a file is described: its columns (names and synonyms as people write them, the
kind of value) and what makes two rows «the same». Each import is one FileSpec;
``specs.py`` holds the ones the bot knows."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.imports.errors import CellError
from services.imports.files import Cell
from services.imports.text import words


class Kind(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    TIME = "time"
    TIMEZONE = "timezone"
    ACADEMIC_YEAR = "academic_year"
    AUDIENCE = "audience"


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the name a template uses and the preview shows
    # Header texts that mean this column. All the words of a synonym must be in the
    # header, in any order («Наименование ОО (полное)» is «полное наименование»); a
    # synonym written «=мо» must be the whole header.
    synonyms: tuple[str, ...]
    kind: Kind = Kind.TEXT
    required: bool = False
    # Words that veto a match: «Количество педагогов до 35 лет» is not the total.
    unless: tuple[str, ...] = ()

    def score(self, header: str) -> int:
        """How well a header names this column: 0 no, more is better, whole-header
        matches best."""
        got = words(header)
        if not got or set(got) & set(self.unless):
            return 0
        best = 0
        for synonym in self.synonyms:
            exact_only = synonym.startswith("=")
            want = words(synonym.removeprefix("="))
            if want == got:
                best = max(best, 100 + len(want))
            elif not exact_only and set(want) <= set(got):
                best = max(best, len(want))
        return best


RowCheck = Callable[[Mapping[str, Any]], CellError | None]


@dataclass(frozen=True)
class FileSpec:
    name: str  # schools | headcounts | club-plan: the template command's argument
    title: str
    columns: tuple[Column, ...]
    # At least one column of each group must be in the header and filled in a row.
    one_of: tuple[tuple[str, ...], ...] = ()
    # What makes two rows the same thing (a repeat): column keys, or a group meaning
    # «the first filled of these».
    identity: tuple[str | tuple[str, ...], ...] = ()
    # The column a section row (a lone name above its rows) fills in where empty.
    section: str | None = None
    checks: tuple[RowCheck, ...] = ()
    # The example file (python -m bot template NAME): its columns and rows.
    template: tuple[str, ...] = ()
    examples: tuple[tuple[Cell, ...], ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def identity_columns(self) -> set[str]:
        keys: set[str] = set()
        for part in self.identity:
            keys.update((part,) if isinstance(part, str) else part)
        return keys
