"""Cell values: names cleaned and compared as people mean them; numbers, dates, times,
academic years and audiences read from Excel types or Russian text."""

from __future__ import annotations

import datetime as dt

import pytest

from services.imports import values
from services.imports.errors import CellError
from services.imports.text import clean, key, words

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("written", "cleaned"),
    [
        (f"  МБОУ{NBSP}«СОШ{NBSP}№{NBSP}1»  ", "МБОУ «СОШ № 1»"),
        ('МБОУ "СОШ № 1"', "МБОУ «СОШ № 1»"),
        ('МБОУ "СОШ "Гармония""', "МБОУ «СОШ «Гармония»»"),
        ("МБОУ „Лицей“", "МБОУ «Лицей»"),
        ("МБОУ “Лицей”", "МБОУ «Лицей»"),
        ("СОШ №12", "СОШ № 12"),
        ("Городской\tокруг\n Серпухов", "Городской округ Серпухов"),
        ("Дульдурга — Ага", "Дульдурга - Ага"),
        (12.0, "12"),
        (None, ""),
    ],
)
def test_clean_collapses_spaces_and_normalises_quotes(written: object, cleaned: str) -> None:
    assert clean(written) == cleaned


def test_the_same_school_however_it_is_spelled_has_one_key() -> None:
    spellings = [
        "МБОУ «Гимназия «Пущино»»",
        'мбоу "гимназия "пущино""',
        f"МБОУ{NBSP}„Гимназия „Пущино““",
        "  МБОУ  «ГИМНАЗИЯ «ПУЩИНО»» ",
    ]
    assert len({key(s) for s in spellings}) == 1
    assert key("Городской округ Серпухов") == key(" ГОРОДСКОЙ  округ серпухов")
    assert key("Щёлково") == key("Щелково")
    assert key("СОШ № 1") != key("СОШ № 11")


def test_header_words_ignore_punctuation() -> None:
    assert words("Из них молодых специалистов (стаж 0–3 года)") == [
        "из", "них", "молодых", "специалистов", "стаж", "0", "3", "года",
    ]  # fmt: skip
    assert words("№ п/п") == ["п", "п"]


@pytest.mark.parametrize(
    ("cell", "number"), [("12", 12), (12, 12), (12.0, 12), ("1 234", 1234), ("7,0", 7), ("0", 0)]
)
def test_integers(cell: object, number: int) -> None:
    assert values.integer(cell) == number


@pytest.mark.parametrize("cell", ["двенадцать", "-3", 2.5, "12 чел.", True])
def test_not_integers(cell: object) -> None:
    with pytest.raises(CellError):
        values.integer(cell)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("17.09.2026", dt.date(2026, 9, 17)),
        ("17.9.26", dt.date(2026, 9, 17)),
        ("2026-09-17", dt.date(2026, 9, 17)),
        ("17 сентября 2026 г.", dt.date(2026, 9, 17)),
        ("3 мая 2027", dt.date(2027, 5, 3)),
        (dt.datetime(2026, 9, 17, 15, 0), dt.date(2026, 9, 17)),
        ("17.09.2026 15:00", dt.date(2026, 9, 17)),
    ],
)
def test_dates(cell: object, day: dt.date) -> None:
    assert values.date(cell) == day


@pytest.mark.parametrize("cell", ["сентябрь", "в течение года", "31.02.2026", "17 сентября"])
def test_not_dates(cell: object) -> None:
    with pytest.raises(CellError):
        values.date(cell)


@pytest.mark.parametrize(
    ("cell", "at"),
    [
        ("15:00", dt.time(15, 0)),
        ("15.00", dt.time(15, 0)),
        ("15-30", dt.time(15, 30)),
        ("9 ч", dt.time(9, 0)),
        ("15:00–16:30", dt.time(15, 0)),
        (dt.time(14, 30), dt.time(14, 30)),
    ],
)
def test_times(cell: object, at: dt.time) -> None:
    assert values.time_of_day(cell) == at


def test_a_time_inside_a_date_cell() -> None:
    assert values.time_in("17.09.2026 15:00") == dt.time(15, 0)
    assert values.time_in("17.09.2026") is None
    assert values.time_in(dt.datetime(2026, 9, 17, 15, 0)) == dt.time(15, 0)
    assert values.time_in(dt.datetime(2026, 9, 17)) is None


@pytest.mark.parametrize(
    "cell", ["2025/2026", "2025-2026", "2025–26", "2025/26 уч. год", "2025 / 2026 учебный год"]
)
def test_academic_years(cell: str) -> None:
    assert values.academic_year(cell) == "2025/2026"


@pytest.mark.parametrize("cell", ["2025", "2025/2027", "прошлый"])
def test_not_academic_years(cell: str) -> None:
    with pytest.raises(CellError):
        values.academic_year(cell)


def test_audiences() -> None:
    assert values.audience("молодые специалисты, наставники") == {"mentees", "mentors"}
    assert values.audience("Наставники и кураторы") == {"mentors", "curators"}
    assert values.audience("Все") == {"mentees", "mentors", "curators"}
    assert values.audience("МС") == {"mentees"}
    with pytest.raises(CellError):
        values.audience("родители")


@pytest.mark.parametrize("written", ["2²", "¹", "٣", "9" * 30])
def test_unusual_digits_are_a_cell_error(written: str) -> None:
    with pytest.raises(CellError):
        values.integer(written)
