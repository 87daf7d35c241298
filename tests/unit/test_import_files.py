"""Reading files: .xlsx (merged cells as their value, every visible sheet), .csv in
UTF-8 with or without BOM, UTF-16 or Windows-1251 with «,», «;» or tab, and clear
refusals for .xls and other formats."""

from __future__ import annotations

import codecs
import io

import pytest
from openpyxl import Workbook

from services.errors import DomainError
from services.imports import files
from tests.arrange.import_files import csv_bytes

ROWS = [
    ["Муниципалитет", "Школа", "Часовой пояс"],
    ["Городской округ Серпухов", "МБОУ «СОШ № 1», корпус 2", "МСК"],
    ["Город Норильск", 'МАОУ "СШ № 7"', "UTC+7"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_in_every_encoding_and_separator(encoding: str, delimiter: str) -> None:
    data = csv_bytes(ROWS, delimiter=delimiter, encoding=encoding)
    (sheet,) = files.read(data, "schools.csv")
    assert sheet.name is None
    assert sheet.rows == ROWS


def test_a_csv_with_a_title_line_above_the_table_still_finds_its_separator() -> None:
    data = ("Список школ на 01.09.2026\n\n" + "\n".join(";".join(r) for r in ROWS[:1])).encode()
    data += b"\n" + "\n".join(";".join(r) for r in ROWS[1:]).replace(", корпус 2", "").encode()
    (sheet,) = files.read(data, "schools.txt")
    assert sheet.rows[3] == ["Городской округ Серпухов", "МБОУ «СОШ № 1»", "МСК"]


def test_xlsx_merged_cells_read_as_their_value_in_every_cell() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Реестр школ", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["Муниципалитет", "Школа", "ИНН"])
    ws.append(["Город Норильск", "МАОУ «СШ № 7»", 2457000001])
    ws.append([None, "МАОУ «Гимназия № 4»", 2457000002])
    ws.merge_cells("A3:A4")
    hidden = book.create_sheet("скрытый")
    hidden.sheet_state = "hidden"
    book.create_sheet("Второй").append(["x"])
    out = io.BytesIO()
    book.save(out)
    sheets = files.read(out.getvalue(), "Реестр.XLSX")
    assert [s.name for s in sheets] == ["Sheet", "Второй"]
    rows = sheets[0].rows
    assert rows[0] == ["Реестр школ"] * 3
    assert rows[3] == ["Город Норильск", "МАОУ «Гимназия № 4»", 2457000002]


def test_an_old_xls_gets_a_message_to_save_it_as_xlsx() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    for name in ("schools.xls", "schools.xlsx", "schools"):
        with pytest.raises(DomainError) as err:
            files.read(ole, name)
        assert err.value.code == "imports.file.xls"
    with pytest.raises(DomainError) as err:
        files.read(b"anything", "list.xls")
    assert err.value.code == "imports.file.xls"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.csv", "imports.file.empty"),
        (b"  \n\n", "a.csv", "imports.file.empty"),
        (b"%PDF-1.7 \x00\x01", "a.pdf", "imports.file.format"),
        (b"PK\x03\x04garbage", "a.ods", "imports.file.format"),
        (b"PK\x03\x04garbage", "a.xlsx", "imports.file.unreadable"),
        (b"not a zip", "a.xlsx", "imports.file.format"),
        (b"\x00\x01\x02binary", "a.bin", "imports.file.format"),
    ],
)
def test_other_files_are_refused_clearly(data: bytes, name: str, code: str) -> None:
    with pytest.raises(DomainError) as err:
        files.read(data, name)
    assert err.value.code == code


def test_too_big_files_and_too_many_rows_are_refused() -> None:
    with pytest.raises(DomainError) as err:
        files.read(b"a;b\n" * (files.MAX_BYTES // 4 + 1), "big.csv")
    assert err.value.code == "imports.file.too_big"
    with pytest.raises(DomainError) as err:
        files.read(b"a;b\n" * (files.MAX_ROWS + 1), "long.csv")
    assert err.value.code == "imports.file.too_many_rows"


def test_decoding_prefers_utf8_and_falls_back_to_windows_1251() -> None:
    text = "Муниципалитет;Школа"
    assert files.decode(text.encode("utf-8")) == text
    assert files.decode(codecs.BOM_UTF8 + text.encode("utf-8")) == text
    assert files.decode(text.encode("cp1251")) == text
