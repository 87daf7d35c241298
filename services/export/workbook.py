"""Writing sheets with openpyxl in write-only mode: rows are streamed to the file as they
come (nothing but the current row is kept), so a municipality's 100,000 meetings cost
the memory of one chunk.

Each sheet: a bold title row (scope, period, time of export), a bold header row, frozen
below the header, an autofilter over the table, column widths, and real types: numbers
as numbers, dates as dates (a prototype cell per date column carries the format, so a
date costs no more than any other value). A text that Excel would take for a formula
(«=…») or an error code («#N/A») stays text.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
SHEET_TITLE_MAX = 31  # Excel's limit
CELL_TEXT_MAX = 32_767  # Excel's limit


class Kind(enum.Enum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"  # one decimal: a percentage, a mean
    DATE = "date"
    DATETIME = "datetime"  # local wall-clock time, naive (Excel has no zones)


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float = 16


Row = Sequence[Any]


@dataclass(frozen=True)
class Sheet:
    title: str  # the tab's name
    heading: str  # the title row
    columns: Sequence[Column]
    rows: AsyncIterator[Row]


_TITLE_FONT = Font(bold=True, size=12)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")


def clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_TEXT_MAX]


def safe_text(ws: WriteOnlyWorksheet, value: str) -> str | Cell:
    """Text as text: never a formula, never an error code, no characters XML forbids."""
    value = clean_text(value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


# Most texts repeat (a school, a pair, a kind of meeting): each is cleaned once.
_CACHED_UP_TO = 200  # characters
_CACHE_SIZE = 50_000


class _SheetWriter:
    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
        # Any: openpyxl's stubs omit what a write-only sheet copies from Worksheet at
        # run time (column_dimensions, auto_filter).
        self.ws: Any = ws
        self.columns = columns
        self.rows = 0
        # Date columns: a prototype cell each, carrying the format (numbers are plain:
        # they are rounded already, and a styled cell costs more to write).
        self.protos: list[tuple[int, Cell]] = []
        for n, col in enumerate(columns):
            if col.kind in (Kind.DATE, Kind.DATETIME):
                proto = WriteOnlyCell(ws)
                proto.number_format = DATE_FORMAT if col.kind == Kind.DATE else DATETIME_FORMAT
                self.protos.append((n, proto))
        self.texts = [n for n, col in enumerate(columns) if col.kind == Kind.TEXT]
        self.clean: dict[str, str | Cell] = {}

    def head(self, heading: str) -> None:
        for n, col in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(n)].width = col.width
        # Frozen below the header; must be set before the first row is written.
        self.ws.freeze_panes = "A3"
        title = WriteOnlyCell(self.ws, clean_text(heading))
        title.font = _TITLE_FONT
        self.ws.append([title])
        header = []
        for col in self.columns:
            cell = WriteOnlyCell(self.ws, col.header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
            header.append(cell)
        self.ws.append(header)

    def append(self, row: Row) -> None:
        out = list(row)
        if len(out) != len(self.columns):
            raise ValueError(f"a row of {len(out)} values for {len(self.columns)} columns")
        for n, proto in self.protos:
            value = out[n]
            if value is not None:
                proto.value = value
                out[n] = proto
        clean = self.clean
        for n in self.texts:
            value = out[n]
            if value.__class__ is not str:
                continue
            done = clean.get(value)
            if done is None:
                done = safe_text(self.ws, value)
                if len(value) <= _CACHED_UP_TO and done.__class__ is str:
                    if len(clean) >= _CACHE_SIZE:
                        clean.clear()
                    clean[value] = done
            out[n] = done
        # The row is written out before append returns, so the prototypes are reusable.
        self.ws.append(out)
        self.rows += 1

    def finish(self) -> None:
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A2:{last}{self.rows + 2}"


async def write(target: str | Path | IO[bytes], sheets: Sequence[Sheet]) -> dict[str, int]:
    """Write the sheets in order; returns the number of data rows of each."""
    wb = Workbook(write_only=True)
    counts: dict[str, int] = {}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:SHEET_TITLE_MAX])
        writer = _SheetWriter(ws, sheet.columns)
        writer.head(sheet.heading)
        async for row in sheet.rows:
            writer.append(row)
        writer.finish()
        counts[sheet.title] = writer.rows
    wb.save(target)
    return counts


def naive_local(at: dt.datetime | None, zone: Any) -> dt.datetime | None:
    """A UTC time as the wall-clock time of the zone (a ZoneInfo), without the zone."""
    if at is None:
        return None
    return at.astimezone(zone).replace(tzinfo=None)
