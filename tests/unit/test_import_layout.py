"""Finding the table in a file people really have: the header wherever it is, columns by
their names and synonyms in any order, section, total, numbering and blank rows
skipped, repeats reported once, errors with the row number and the cell's text."""

from __future__ import annotations

import pytest

from services.errors import DomainError
from services.imports import files, layout
from services.imports.layout import ParsedFile
from services.imports.specs import SCHOOLS
from tests.arrange.import_files import (
    REGISTRY_SCHOOLS,
    csv_bytes,
    excel_csv,
    registry_xlsx,
    xlsx,
)


def _parse(data: bytes, name: str = "schools.xlsx") -> ParsedFile:
    return layout.parse(SCHOOLS, files.read(data, name))


def _schools(parsed: ParsedFile) -> list[tuple[str | None, str | None, str | None]]:
    return [
        (r.values.get("municipality"), r.values.get("short_name"), r.values.get("full_name"))
        for r in parsed.records
    ]


def test_a_registry_file_yields_every_school_once() -> None:
    parsed = _parse(registry_xlsx())
    assert parsed.layout.sheet == "Реестр ОО"
    assert parsed.layout.header_rows == (3,)
    assert {k: h for h, k in parsed.layout.columns} == {
        "municipality": "Муниципальное образование",
        "full_name": "Полное наименование ОО",
        "short_name": "Краткое наименование",
    }
    assert parsed.layout.unused == ("№ п/п", "ИНН", "Адрес", "Телефон")
    got = _schools(parsed)
    assert [(s, f) for _, s, f in got] == [(s, f) for _, s, f in REGISTRY_SCHOOLS]
    # Municipalities are cleaned here and matched case-insensitively later.
    municipalities = {(m or "").casefold() for m, _, _ in got}
    assert municipalities == {"городской округ серпухов", "дульдургинский район"}
    # The row with an empty municipality took it from the section row above.
    assert got[2][0] == "Городской округ Серпухов"
    assert [(s.row, s.reason) for s in parsed.skipped] == [
        (4, "numbering"),
        (5, "section"),
        (11, "total"),
        (13, "section"),
        (16, "total"),
    ]
    assert [(r.row, r.first_row) for r in parsed.repeats] == [(10, 6)]
    assert parsed.errors == []
    assert parsed.blank_rows == 1


def test_a_russian_excel_csv_with_moscow_utc_and_city_zones() -> None:
    parsed = _parse(excel_csv(), "schools.csv")
    assert [(r.values["name"], r.values["timezone"]) for r in parsed.records] == [
        ("МБОУ «СОШ № 1»", "Europe/Moscow"),
        ("МАОУ «СШ № 7»", "Asia/Krasnoyarsk"),
        ("МАОУ «Гимназия № 4»", "Asia/Krasnoyarsk"),
        ("МАОУ «Гимназия № 9»", "Asia/Yekaterinburg"),
        ("МАОУ «СОШ № 10»", "Asia/Yekaterinburg"),
    ]
    assert parsed.errors == []


@pytest.mark.parametrize(
    ("municipality", "name", "zone"),
    [
        ("Муниципалитет", "Школа", "Часовой пояс"),
        ("Муниципальное образование", "Наименование ОО", "Время"),
        ("МО", "ОО", "TZ"),
        ("Район", "Образовательная организация", "часовой пояс (IANA)"),
        ("Городской округ", "Название школы", "Часовая зона"),
        ("Наименование муниципального образования", "Наименование", "UTC"),
        ("municipality", "school", "timezone"),
    ],
)
def test_column_synonyms(municipality: str, name: str, zone: str) -> None:
    parsed = _parse(
        xlsx([[zone, "Адрес", name, municipality], ["МСК", "ул. Ленина, 1", "СОШ № 1", "ГО Х"]])
    )
    assert [r.values for r in parsed.records] == [
        {"timezone": "Europe/Moscow", "name": "СОШ № 1", "municipality": "ГО Х"}
    ]


def test_a_two_level_header_reads_short_and_full_names() -> None:
    rows = [
        ["Муниципалитет", "Наименование ОО", "Наименование ОО"],
        ["Муниципалитет", "полное", "краткое"],
        ["ГО Х", "Муниципальное бюджетное общеобразовательное учреждение «СОШ № 1»", "СОШ № 1"],
    ]
    parsed = _parse(xlsx(rows))
    assert parsed.layout.header_rows == (1, 2)
    assert parsed.records[0].values["short_name"] == "СОШ № 1"
    assert parsed.records[0].values["full_name"].startswith("Муниципальное бюджетное")


def test_only_a_full_name_column_is_enough() -> None:
    parsed = _parse(xlsx([["МО", "Полное наименование"], ["ГО Х", "МБОУ «СОШ № 1»"]]))
    assert parsed.records[0].values == {"municipality": "ГО Х", "full_name": "МБОУ «СОШ № 1»"}


def test_a_file_without_a_header_is_refused_with_the_columns_it_needs() -> None:
    # Guessing columns by position would import «ФИО» as a municipality.
    for rows in (
        [["ГО Серпухов", "МБОУ «СОШ № 1»", "МСК"]],
        [["ФИО", "Телефон"], ["Иванов", "1"]],
    ):
        with pytest.raises(DomainError) as err:
            _parse(csv_bytes(rows), "old.csv")
        assert err.value.code == "imports.file.no_header"


def test_a_file_without_the_columns_says_which_are_needed() -> None:
    data = xlsx([["ФИО", "Должность", "Телефон", "Почта"], ["Иванов", "учитель", "1", "2"]])
    with pytest.raises(DomainError) as err:
        _parse(data)
    assert err.value.code == "imports.file.no_header"
    assert "Школа" in err.value.params["needed"]


def test_errors_name_the_row_the_column_and_the_cell() -> None:
    rows = [
        ["Реестр"],
        ["Муниципалитет", "Школа", "Часовой пояс"],
        ["ГО Х", "СОШ № 1", "Марс"],
        ["ГО Х", "СОШ № 2", "+5"],
        ["ГО Х", "СОШ № 3", "UTC+5"],
    ]
    parsed = _parse(xlsx(rows))
    assert [(e.row, e.column, e.value, e.code) for e in parsed.errors] == [
        (3, "Часовой пояс", "Марс", "imports.err.timezone"),
        (4, "Часовой пояс", "+5", "imports.err.timezone_bare_offset"),
    ]
    assert [r.row for r in parsed.records] == [5]


def test_a_lone_name_in_the_school_column_is_a_school_not_a_section() -> None:
    rows = [["Школа", "Часовой пояс"], ["СОШ № 1", ""], ["Лицей", "МСК"]]
    parsed = _parse(xlsx(rows))
    assert [r.values.get("name") for r in parsed.records] == ["СОШ № 1", "Лицей"]
    assert parsed.skipped == []


def test_a_header_repeated_on_every_printed_page_is_skipped() -> None:
    rows = [["МО", "Школа"], ["ГО Х", "СОШ № 1"], ["МО", "Школа"], ["ГО Х", "СОШ № 2"]]
    parsed = _parse(xlsx(rows))
    assert [s.reason for s in parsed.skipped] == ["header"]
    assert len(parsed.records) == 2


def test_the_first_sheet_with_the_table_is_read() -> None:
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.append(["Письмо о направлении реестра"])
    book.create_sheet("Реестр").append(["Муниципалитет", "Школа"])
    book["Реестр"].append(["ГО Х", "СОШ № 1"])
    parsed = _parse(xlsx([], sheet_book=book))
    assert parsed.layout.sheet == "Реестр"
    assert len(parsed.records) == 1
