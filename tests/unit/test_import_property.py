"""Property: however the same list of schools is laid out — columns shuffled and named
by other synonyms, title rows, blank rows, totals and section rows added, extra
columns, .xlsx or any CSV flavour — what is imported is the same."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.imports import files, layout
from services.imports.specs import SCHOOLS
from tests.arrange.import_files import csv_bytes, xlsx

SCHOOL_ROWS = [
    ("Городской округ Серпухов", "МБОУ «СОШ № 1»", "Муниципальное бюджетное ОУ «СОШ № 1»", "МСК"),
    ("Городской округ Серпухов", "МБОУ «Гимназия № 3»", "Муниципальное бюджетное ОУ «Гимназия № 3»",
     "Europe/Moscow"),
    ("Город Норильск", "МАОУ «СШ № 7»", "Муниципальное автономное ОУ «СШ № 7»", "UTC+7"),
    ("Город Норильск", "МАОУ «Гимназия № 4»", "Муниципальное автономное ОУ «Гимназия № 4»",
     "Красноярский край"),
    ("Дульдургинский район", "МБОУ «Дульдургинская СОШ № 2»",
     "Муниципальное бюджетное ОУ «Дульдургинская СОШ № 2»", "МСК+6"),
]  # fmt: skip
KEYS = ("municipality", "short_name", "full_name", "timezone")
HEADERS = {
    "municipality": ["Муниципалитет", "Муниципальное образование", "МО", "Район", "Территория"],
    "short_name": ["Краткое наименование", "Сокращённое наименование", "Краткое название ОО"],
    "full_name": ["Полное наименование ОО", "Полное наименование", "Наименование ОО (полное)"],
    "timezone": ["Часовой пояс", "TZ", "Время", "Часовая зона"],
}
EXTRA = ["№ п/п", "ИНН", "Адрес", "Телефон", "Директор", "Сайт", "Тип ОО", "Примечание"]
TITLES = [
    "Реестр общеобразовательных организаций",
    "Сведения на 01.09.2026",
    "Приложение 1 к письму от 12.08.2026 № 123",
]
TOTALS = ["Итого", "Итого по району", "Всего", "ВСЕГО:"]
EXPECTED = [
    {
        "municipality": m,
        "short_name": s,
        "full_name": f,
        "timezone": {"МСК": "Europe/Moscow", "UTC+7": "Asia/Krasnoyarsk",
                     "Красноярский край": "Asia/Krasnoyarsk", "МСК+6": "Asia/Yakutsk"}.get(z, z),
    }
    for m, s, f, z in SCHOOL_ROWS
]  # fmt: skip
extra_values = st.one_of(
    st.none(),
    st.integers(0, 10**10),
    st.text(alphabet="абгдеклмнопрт 0123456789.,-", max_size=20),
)


@st.composite
def layouts(draw: st.DrawFn) -> tuple[bytes, str]:
    extras = draw(st.lists(st.sampled_from(EXTRA), unique=True, max_size=4))
    columns: list[tuple[str, str]] = [(k, draw(st.sampled_from(HEADERS[k]))) for k in KEYS]
    columns += [("extra", e) for e in extras]
    order = draw(st.permutations(range(len(columns))))
    columns = [columns[i] for i in order]
    width = len(columns)

    rows: list[list[Any]] = []
    for _ in range(draw(st.integers(0, 3))):
        title: list[Any] = [None] * width
        title[0] = draw(st.sampled_from(TITLES))
        rows.append(title)
        if draw(st.booleans()):
            rows.append([None] * width)
    rows.append([header for _, header in columns])
    if draw(st.booleans()):
        rows.append(list(range(1, width + 1)))  # the columns' numbers
    for school in SCHOOL_ROWS:
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["blank", "total", "section"]))
            if kind == "blank":
                rows.append([None] * width)
            elif kind == "total":
                total: list[Any] = [None] * width
                at = draw(st.integers(0, width - 1))
                total[at] = draw(st.sampled_from(TOTALS))
                total[at + 1 :] = [draw(st.integers(0, 99)) for _ in range(width - at - 1)]
                rows.append(total)
            else:  # a section row spread over the whole width, as a merge reads
                rows.append([school[0]] * width)
        values = dict(zip(KEYS, school, strict=True))
        rows.append([values[k] if k != "extra" else draw(extra_values) for k, _ in columns])
    if draw(st.booleans()):
        rows.append(["Итого"] + [None] * (width - 1))

    kind = draw(st.sampled_from(["xlsx", "csv"]))
    if kind == "xlsx":
        return xlsx(rows), "schools.xlsx"
    data = csv_bytes(
        rows,
        delimiter=draw(st.sampled_from([";", ",", "\t"])),
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251"])),
    )
    return data, "schools.csv"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_layout_never_changes_what_is_imported(case: tuple[bytes, str]) -> None:
    data, name = case
    parsed = layout.parse(SCHOOLS, files.read(data, name))
    assert [r.values for r in parsed.records] == EXPECTED
    assert parsed.errors == []
    assert parsed.repeats == []
