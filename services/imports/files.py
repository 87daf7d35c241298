"""Reading a spreadsheet: .xlsx (every visible sheet, merged cells read as their value)
or .csv (encoding and separator detected). Old .xls and other formats get a clear
refusal. Cells keep Excel's types (numbers, dates, times); CSV cells are text."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from services.errors import DomainError

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | None

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
_SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class Sheet:
    name: str | None  # None for a CSV file
    rows: list[list[Cell]]  # row i of the list is row i + 1 of the file


def read(data: bytes, filename: str) -> list[Sheet]:
    suffix = PurePath(filename).suffix.lower()
    if not data.strip():
        raise DomainError("imports.file.empty")
    if len(data) > MAX_BYTES:
        raise DomainError("imports.file.too_big", megabytes=MAX_BYTES // (1024 * 1024))
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        # The OLE container: Excel 97–2003, or an .xlsx with a password.
        raise DomainError("imports.file.xls")
    if data.startswith(b"PK\x03\x04"):
        if suffix in (".ods", ".numbers", ".docx", ".doc", ".odt"):
            raise DomainError("imports.file.format")
        return _xlsx(data)
    if suffix in (".xlsx", ".xlsm", ".ods", ".pdf", ".doc", ".docx", ".numbers", ".odt"):
        raise DomainError("imports.file.format")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DomainError("imports.file.format")
    return [Sheet(None, _csv(decode(data)))]


def _xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: merged ranges are known only to a fully loaded sheet.
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise DomainError("imports.file.unreadable") from None
    sheets: list[Sheet] = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        width = min(ws.max_column or 0, MAX_COLUMNS)
        rows: list[list[Cell]] = []
        for number, values in enumerate(
            ws.iter_rows(max_row=min(ws.max_row, MAX_ROWS + 1), max_col=width, values_only=True),
            start=1,
        ):
            if number > MAX_ROWS:
                if any(v is not None and str(v).strip() for v in values):
                    raise DomainError("imports.file.too_many_rows", rows=MAX_ROWS)
                break
            rows.append([*map(_cell, values), *[None] * (width - len(values))])
        for merged in ws.merged_cells.ranges:
            top = merged.min_row - 1
            if top >= len(rows) or merged.min_col > width:
                continue
            value = rows[top][merged.min_col - 1]
            for r in range(top, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, width)):
                    rows[r][c] = value
        sheets.append(Sheet(ws.title, rows))
    book.close()
    return sheets


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | dt.date | dt.time):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)  # rich text, a duration, an array formula's text


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1251 (Excel «CSV» on a
    Russian Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def separator(text: str) -> str:
    """The separator that splits most lines into the same number of several fields."""
    sample = [line for line in text.splitlines()[:200] if line.strip()]
    best, best_score = _SEPARATORS[0], (False, 0, 0)
    for sep in _SEPARATORS:
        counts = Counter(len(row) for row in csv.reader(sample, delimiter=sep) if row)
        if not counts:
            continue
        fields = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
        # Lines that agree on a count of fields, then more fields: a title line
        # «Реестр школ» (one field) does not outvote the table under it.
        agree = sum(n for f, n in counts.items() if f == fields and f > 1)
        score = (fields > 1, agree, fields)
        if score > best_score:
            best, best_score = sep, score
    return best


def _csv(text: str) -> list[list[Cell]]:
    sep = separator(text)
    rows: list[list[Cell]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
        if len(rows) >= MAX_ROWS:
            if any(cell.strip() for cell in row):
                raise DomainError("imports.file.too_many_rows", rows=MAX_ROWS)
            continue
        rows.append(list(row[:MAX_COLUMNS]))
    return rows
