"""Files people really send, built in the tests: a regional registry (.xlsx with a merged
title, section and total rows, a repeat, NBSPs and nested quotes), a CSV saved by a
Russian Excel (cp1251, «;»), and writers for any rows as .xlsx or .csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

NBSP = "\u00a0"
REGISTRY_HEADER = (
    "№ п/п",
    "Муниципальное образование",
    "Полное наименование ОО",
    "Краткое наименование",
    "ИНН",
    "Адрес",
    "Телефон",
)
# The schools the registry holds, as they must be imported: (municipality, name, full).
REGISTRY_SCHOOLS = [
    (
        "Городской округ Серпухов",
        "МБОУ «СОШ № 1»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
        "общеобразовательная школа № 1»",
    ),
    (
        "Городской округ Серпухов",
        "МБОУ «Гимназия «Пущино»»",
        "Муниципальное бюджетное общеобразовательное учреждение «Гимназия «Пущино»»",
    ),
    (
        "Городской округ Серпухов",
        "МАОУ «Лицей № 2»",
        "Муниципальное автономное общеобразовательное учреждение «Лицей № 2»",
    ),
    (
        "Городской округ Серпухов",
        "МБОУ «СОШ № 12»",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
        "общеобразовательная школа № 12»",
    ),
    (
        "Дульдургинский район",
        "МБОУ «Дульдургинская СОШ № 2»",
        "Муниципальное бюджетное общеобразовательное учреждение «Дульдургинская средняя "
        "общеобразовательная школа № 2»",
    ),
    (
        "Дульдургинский район",
        "МБОУ «Алханайская ООШ»",
        "Муниципальное бюджетное общеобразовательное учреждение «Алханайская основная "
        "общеобразовательная школа»",
    ),
]


def registry_rows() -> list[list[Any]]:
    """The sheet below the title: header, section rows, schools spelled as people
    spell them, a repeat and totals."""
    s = REGISTRY_SCHOOLS
    return [
        list(REGISTRY_HEADER),
        [1, 2, 3, 4, 5, 6, 7],  # the columns' numbers, as printed registries have
        ["Городской округ Серпухов", None, None, None, None, None, None],
        [1, f"  Городской{NBSP}округ  Серпухов ", s[0][2], 'МБОУ "СОШ № 1"', 5043001111,
         "г. Серпухов, ул. Ленина, 1", "+7 4967 00-00-01"],
        [2, "городской округ серпухов", s[1][2].replace("«Гимназия «Пущино»»",
         '"Гимназия "Пущино""'), f"МБОУ{NBSP}«Гимназия «Пущино»»", 5043001112, "", ""],
        [3, None, s[2][2], "МАОУ «Лицей №2»", 5043001113, "", ""],
        [4, "ГОРОДСКОЙ ОКРУГ СЕРПУХОВ", s[3][2], f"МБОУ «СОШ{NBSP}№{NBSP}12»", None, "", ""],
        # The same school again, spelled differently: a repeat, not an error.
        [5, "Городской округ Серпухов", s[0][2], "мбоу «сош № 1»", None, "", ""],
        ["Итого по городскому округу Серпухов", None, None, None, None, None, 4],
        [None] * 7,
        ["Дульдургинский район", None, None, None, None, None, None],
        [6, "Дульдургинский район ", s[4][2], "МБОУ «Дульдургинская СОШ № 2»", None, "", ""],
        [7, "Дульдургинский район", s[5][2], "МБОУ «Алханайская ООШ»", None, "", ""],
        ["Итого", None, None, None, None, None, 6],
    ]  # fmt: skip


def registry_xlsx() -> bytes:
    """The registry as the region sends it: a merged title over the table, a blank
    row, section rows merged across the table."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Реестр ОО"
    sheet.append(["Реестр общеобразовательных организаций Московской области и Забайкалья"])
    sheet.merge_cells("A1:G1")
    sheet.append([])
    for row in registry_rows():
        sheet.append(row)
    for number, cells in enumerate(sheet.iter_rows(min_row=3), start=3):
        values = [c.value for c in cells]
        if isinstance(values[0], str) and not any(values[1:]):  # a section row
            sheet.merge_cells(f"A{number}:G{number}")
    return xlsx([], sheet_book=book)


def xlsx(rows: Sequence[Sequence[Any]], *, sheet_book: Workbook | None = None) -> bytes:
    book = sheet_book or Workbook()
    if sheet_book is None:
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else c for c in row])
    return out.getvalue().encode(encoding)


def excel_csv() -> bytes:
    """A list saved by a Russian Excel as «CSV (разделители — точки с запятой)»."""
    return csv_bytes(
        [
            ["Муниципалитет", "Школа", "Часовой пояс"],
            ["Городской округ Серпухов", 'МБОУ "СОШ № 1"', "МСК"],
            ["Город Норильск", "МАОУ «СШ № 7»", "UTC+7"],
            ["Город Норильск", "МАОУ «Гимназия № 4»", "Красноярский край"],
            ["Город Екатеринбург", "МАОУ «Гимназия № 9»", "UTC+5"],
            ["Город Екатеринбург", "МАОУ «СОШ № 10»", "Екатеринбург"],
        ],
        encoding="cp1251",
    )
