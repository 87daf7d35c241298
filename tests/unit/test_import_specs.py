"""The files of the later imports, read by the same layer: the headcounts of the
surveys issue and the club's plan of events; and the example files (templates) of
every spec read back as they were written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.imports import files, layout, template
from services.imports.specs import CLUB_PLAN, HEADCOUNTS, SCHOOLS, SPECS
from tests.arrange.import_files import csv_bytes, xlsx


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_template_reads_back_as_its_examples(name: str) -> None:
    spec = SPECS[name]
    parsed = layout.parse(spec, files.read(template.xlsx(spec), template.filename(spec)))
    assert [k for _, k in parsed.layout.columns] == list(spec.template)
    assert parsed.errors == [] and parsed.skipped == [] and parsed.repeats == []
    assert len(parsed.records) == len(spec.examples)


def test_a_headcount_file_as_a_school_reports_it() -> None:
    rows: list[list[Any]] = [
        ["Сведения о численности педагогических работников на 01.09.2025"],
        [],
        [
            "№",
            "Наименование ОО",
            "Учебный год",
            "Численность педагогических работников, чел.",
            "Из них до 35 лет",
            "Из них молодых специалистов (стаж 0–3 года)",
            "Примечание",
        ],
        [1, "МБОУ «СОШ № 1»", "2025-2026", 58, 12, 4, ""],
        [2, 'МБОУ "Гимназия № 3"', "2025/26", "41", "9", "2", "без совместителей"],
        [3, "МБОУ «Лицей»", "2025/2026", 30, 31, 1, ""],
        [4, "МБОУ «СОШ № 5»", "2025/2026", "тридцать", 3, 1, ""],
        ["Итого", None, None, 129, 52, 7, None],
    ]
    parsed = layout.parse(HEADCOUNTS, files.read(xlsx(rows), "численность.xlsx"))
    assert [r.values for r in parsed.records] == [
        {"name": "МБОУ «СОШ № 1»", "academic_year": "2025/2026", "teachers": 58,
         "under_35": 12, "young_specialists": 4},
        {"name": "МБОУ «Гимназия № 3»", "academic_year": "2025/2026", "teachers": 41,
         "under_35": 9, "young_specialists": 2},
    ]  # fmt: skip
    assert [(e.row, e.code) for e in parsed.errors] == [
        (6, "imports.err.more_than_total"),
        (7, "imports.err.integer"),
    ]
    assert parsed.errors[1].value == "тридцать"
    assert parsed.errors[1].column == "Численность педагогических работников, чел."
    assert [s.reason for s in parsed.skipped] == ["total"]


def test_headcount_columns_in_other_words_and_order_as_csv() -> None:
    rows = [
        ["Кол-во педагогов до 35 лет", "Школа", "Всего педагогов", "Молодые специалисты"],
        ["10", "СОШ № 1", "50", "3"],
    ]
    parsed = layout.parse(HEADCOUNTS, files.read(csv_bytes(rows, encoding="cp1251"), "h.csv"))
    assert parsed.records[0].values == {
        "under_35": 10,
        "name": "СОШ № 1",
        "teachers": 50,
        "young_specialists": 3,
    }


def test_a_club_plan_as_a_methodical_centre_writes_it() -> None:
    rows: list[list[Any]] = [
        ["План работы клуба молодых педагогов «Пеликаша» на 2026/2027 учебный год"],
        ["№ п/п", "Наименование мероприятия", "Форма проведения", "Дата и время",
         "Место проведения", "Целевая аудитория", "Ответственный"],
        ["Сентябрь"],
        [1, "Установочное заседание", "заседание", "17.09.2026 15:00", "УМЦ, ауд. 12",
         "молодые специалисты, наставники", "Иванова И. И."],
        [2, "Мастер-класс «Первый урок»", "мастер-класс", dt.datetime(2026, 9, 24, 14, 30),
         "МБОУ «Гимназия № 3»", "Все", ""],
        ["Октябрь"],
        [3, "Круглый стол", "круглый стол", "в течение месяца", "", "родители", ""],
    ]  # fmt: skip
    parsed = layout.parse(CLUB_PLAN, files.read(xlsx(rows), "план.xlsx"))
    assert [r.values for r in parsed.records] == [
        {"title": "Установочное заседание", "kind": "заседание", "date": dt.date(2026, 9, 17),
         "time": dt.time(15, 0), "place": "УМЦ, ауд. 12",
         "audience": frozenset({"mentees", "mentors"})},
        {"title": "Мастер-класс «Первый урок»", "kind": "мастер-класс",
         "date": dt.date(2026, 9, 24), "time": dt.time(14, 30), "place": "МБОУ «Гимназия № 3»",
         "audience": frozenset({"mentees", "mentors", "curators"})},
    ]  # fmt: skip
    assert [(e.row, e.value, e.code) for e in parsed.errors] == [
        (7, "в течение месяца", "imports.err.date"),
        (7, "родители", "imports.err.audience"),
    ]
    assert [(s.row, s.reason) for s in parsed.skipped] == [(3, "section"), (6, "section")]


def test_a_club_plan_with_separate_date_and_time_columns() -> None:
    rows = [
        ["Дата", "Время", "Мероприятие", "Место"],
        ["15.10.2026", "15.00", "Мастер-класс", "Гимназия"],
        ["15.10.2026", "", "Мастер-класс", "Гимназия"],  # a repeat
    ]
    parsed = layout.parse(CLUB_PLAN, files.read(xlsx(rows), "plan.xlsx"))
    assert parsed.records[0].values["time"] == dt.time(15, 0)
    assert [(r.row, r.first_row) for r in parsed.repeats] == [(3, 2)]


def test_the_specs_columns_are_unique_and_described() -> None:
    for spec in (SCHOOLS, HEADCOUNTS, CLUB_PLAN):
        keys = [c.key for c in spec.columns]
        assert len(keys) == len(set(keys))
        assert all(c.title and c.synonyms for c in spec.columns)
        # Each column's own title is recognised as that column.
        for column in spec.columns:
            scores = [(c.score(column.title), -n, c.key) for n, c in enumerate(spec.columns)]
            assert max(scores)[2] == column.key, (spec.name, column.title)
