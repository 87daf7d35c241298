"""From a sheet's rows to records: find the header wherever it is, map its cells to the
spec's columns, then read each row below it as a record, a skipped row (with the
reason), a repeat of an earlier record, or errors (row number, header, cell text).

Nothing here knows the database: ``schools.py`` and the later imports compare the
records with what exists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from services.errors import DomainError
from services.imports import timezones, values
from services.imports.errors import CellError
from services.imports.files import Cell, Sheet
from services.imports.spec import FileSpec, Kind
from services.imports.text import clean, key, words

HEADER_SCAN = 30  # the header is looked for in this many rows at the top of a sheet
_TOTALS = ("итого", "итог", "всего", "total")


@dataclass(frozen=True)
class Record:
    row: int
    values: dict[str, Any]  # filled columns only: clean text, or the typed value


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None  # the header as the file writes it
    value: str  # the cell's text
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: str  # section | total | header | numbering
    text: str


@dataclass(frozen=True)
class Repeat:
    row: int
    first_row: int
    label: str


@dataclass(frozen=True)
class Layout:
    sheet: str | None
    header_rows: tuple[int, ...]  # one row, or two for a two-level header
    columns: tuple[tuple[str, str], ...]  # (header as written, column key), file order
    unused: tuple[str, ...]  # headers of columns nobody reads


@dataclass
class ParsedFile:
    spec: FileSpec
    layout: Layout
    records: list[Record] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    blank_rows: int = 0


_READERS: dict[Kind, Callable[[Cell], Any]] = {
    Kind.TEXT: clean,
    Kind.INTEGER: values.integer,
    Kind.DATE: values.date,
    Kind.TIME: values.time_of_day,
    Kind.TIMEZONE: timezones.parse,
    Kind.ACADEMIC_YEAR: values.academic_year,
    Kind.AUDIENCE: values.audience,
}


def _could_be_header(text: str) -> bool:
    # Data cells hold quotes, numbers («№ 5») and long names; headers rarely do.
    return bool(text) and "«" not in text and len(words(text)) <= 12


def _assign(spec: FileSpec, texts: list[str]) -> dict[str, int]:
    """Column key → index of the header cell that names it best (leftmost on a tie)."""
    best: dict[str, tuple[int, int]] = {}
    for index, text in enumerate(texts):
        if not _could_be_header(text):
            continue
        score, _, column = max((c.score(text), -n, c.key) for n, c in enumerate(spec.columns))
        if score and (column not in best or score > best[column][0]):
            best[column] = (score, index)
    return {column: index for column, (_, index) in best.items()}


def _qualifies(spec: FileSpec, assigned: dict[str, int]) -> bool:
    return all(c.key in assigned for c in spec.columns if c.required) and all(
        any(k in assigned for k in group) for group in spec.one_of
    )


def _texts(row: list[Cell]) -> list[str]:
    return [clean(c) for c in row]


def _two_rows(upper: list[str], lower: list[str]) -> list[str]:
    """A two-level header (a merged «Наименование ОО» over «полное | краткое») read
    as one: each column's texts joined, a text repeated by a merge kept once."""
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return [a if a == b or not b else f"{a} {b}".strip() for a, b in zip(upper, lower, strict=True)]


def find_header(spec: FileSpec, rows: list[list[Cell]]) -> tuple[tuple[int, ...], list[str]] | None:
    """The header's row numbers (0-based) and its texts, or None."""
    found: tuple[tuple[int, int, int], tuple[int, ...], list[str]] | None = None
    top = [_texts(r) for r in rows[: HEADER_SCAN + 1]]
    for r in range(min(len(rows), HEADER_SCAN)):
        candidates: list[tuple[tuple[int, ...], list[str]]] = [((r,), top[r])]
        if r + 1 < len(top) and any(top[r]) and any(top[r + 1]):
            candidates.append(((r, r + 1), _two_rows(top[r], top[r + 1])))
        for numbers, texts in candidates:
            assigned = _assign(spec, texts)
            if not _qualifies(spec, assigned):
                continue
            # More recognised columns wins; then the earlier, then the single row.
            rank = (len(assigned), -r, -len(numbers))
            if found is None or rank > found[0]:
                found = (rank, numbers, texts)
    return (found[1], found[2]) if found else None


def parse(spec: FileSpec, sheets: list[Sheet]) -> ParsedFile:
    """Read the first sheet whose header names the spec's columns."""
    for sheet in sheets:
        header = find_header(spec, sheet.rows)
        if header is not None:
            numbers, texts = header
            assigned = _assign(spec, texts)
            return _read_rows(spec, sheet, numbers, texts, assigned)
    if not any(any(_texts(r)) for s in sheets for r in s.rows):
        raise DomainError("imports.file.empty")
    needed = [f"«{c.title}»" for c in spec.columns if c.required] + [
        " / ".join(f"«{spec.column(k).title}»" for k in group) for group in spec.one_of
    ]
    raise DomainError(
        "imports.file.no_header",
        needed=", ".join(needed),
        rows=HEADER_SCAN,
    )


def _numbering(texts: list[str]) -> bool:
    """«1 | 2 | 3 | 4» under a header: the columns' numbers, not data."""
    filled = [t.rstrip(".") for t in texts if t]
    return len(filled) >= 2 and filled == [str(n) for n in range(1, len(filled) + 1)]


def _read_rows(
    spec: FileSpec,
    sheet: Sheet,
    header_rows: tuple[int, ...],
    header: list[str],
    assigned: dict[str, int],
) -> ParsedFile:
    by_index = sorted((i, k) for k, i in assigned.items())
    layout = Layout(
        sheet=sheet.name,
        header_rows=tuple(n + 1 for n in header_rows),
        columns=tuple((header[i], k) for i, k in by_index),
        unused=tuple(t for i, t in enumerate(header) if t and i not in assigned.values()),
    )
    parsed = ParsedFile(spec, layout)
    header_keys = [key(header[i]) for i, _ in by_index]
    identity_cols = {assigned[k] for k in spec.identity_columns if k in assigned}
    time_column = next((c.key for c in spec.columns if c.kind == Kind.TIME), None)
    section: str | None = None
    seen: dict[tuple[str, ...], int] = {}
    start = header_rows[-1] + 1 if header_rows else 0
    for index in range(start, len(sheet.rows)):
        number = index + 1
        cells = sheet.rows[index]
        texts = _texts(cells) + [""] * (len(header) - len(cells))
        filled = [t for t in texts if t]
        if not filled:
            parsed.blank_rows += 1
            continue
        if header_rows and [key(texts[i]) for i, _ in by_index] == header_keys:
            parsed.skipped.append(Skipped(number, "header", filled[0]))
            continue
        if _numbering(texts):
            parsed.skipped.append(Skipped(number, "numbering", " ".join(filled)))
            continue
        if key(filled[0]).startswith(_TOTALS):
            parsed.skipped.append(Skipped(number, "total", filled[0]))
            continue
        lone = set(filled)
        if len(lone) == 1 and any(ch.isalpha() for ch in filled[0]):
            holders = {i for i, t in enumerate(texts) if t}
            # A lone name in a name column is a record with the rest left blank,
            # unless a merge spread it over other columns too.
            if not holders <= identity_cols or len(holders) > 1:
                section = filled[0]
                parsed.skipped.append(Skipped(number, "section", section))
                continue
        _read_record(spec, parsed, number, cells, texts, by_index, section, time_column, seen)
    return parsed


def _read_record(
    spec: FileSpec,
    parsed: ParsedFile,
    number: int,
    cells: list[Cell],
    texts: list[str],
    by_index: list[tuple[int, str]],
    section: str | None,
    time_column: str | None,
    seen: dict[tuple[str, ...], int],
) -> None:
    got: dict[str, Any] = {}
    errors: list[RowError] = []
    headers = {k: h for h, k in parsed.layout.columns}
    for index, column_key in by_index:
        if not texts[index]:
            continue
        column = spec.column(column_key)
        raw = cells[index] if index < len(cells) else None
        try:
            got[column_key] = _READERS[column.kind](raw)
        except CellError as err:
            errors.append(RowError(number, headers[column_key], texts[index], err.code, err.params))
            continue
        if column.kind == Kind.DATE and time_column and time_column not in got:
            # «12.09.2026 15:00» in the date column; a filled time column overrides it.
            at = values.time_in(raw)
            if at is not None:
                got[time_column] = at
    if spec.section and spec.section not in got and section:
        got[spec.section] = section
    for column in spec.columns:
        if (
            column.required
            and column.key not in got
            and not any(e.column == headers.get(column.key) for e in errors)
        ):
            errors.append(
                RowError(number, headers.get(column.key, column.title), "", "imports.err.required")
            )
    for group in spec.one_of:
        if not any(k in got for k in group) and not any(
            e.column in {headers.get(k) for k in group} for e in errors
        ):
            title = " / ".join(headers.get(k, spec.column(k).title) for k in group if k in headers)
            errors.append(RowError(number, title, "", "imports.err.required"))
    if not errors:
        for check in spec.checks:
            problem = check(got)
            if problem is not None:
                errors.append(RowError(number, None, "", problem.code, problem.params))
    if errors:
        parsed.errors.extend(errors)
        return
    identity = identity_of(spec, got)
    first = seen.get(identity)
    if first is not None:
        label = " — ".join(_shown(got, part) for part in spec.identity if _shown(got, part))
        parsed.repeats.append(Repeat(number, first, label))
        return
    seen[identity] = number
    parsed.records.append(Record(number, got))


def _first(got: dict[str, Any], part: str | tuple[str, ...]) -> Any:
    keys = (part,) if isinstance(part, str) else part
    return next((got[k] for k in keys if got.get(k) not in (None, "")), None)


def _shown(got: dict[str, Any], part: str | tuple[str, ...]) -> str:
    value = _first(got, part)
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def identity_of(spec: FileSpec, got: dict[str, Any]) -> tuple[str, ...]:
    return tuple(key(_shown(got, part)) for part in spec.identity)
