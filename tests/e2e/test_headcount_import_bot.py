"""A coordinator sends a file of the schools' headcounts: the bot tells it from a list
of schools by its header, previews (new numbers, changes, other municipalities
skipped, errors per row in Russian), writes nothing before «Записать численность», and
the coverage indicators count with it at once. A curator's file is refused with the
way to enter their own school's numbers."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import Role
from services import headcounts
from tests import arrange
from tests.arrange.import_files import xlsx
from tests.fakes.client import PersonFactory

HEADER = [
    "Муниципалитет",
    "Школа",
    "Учебный год",
    "Всего педагогов",
    "До 35 лет",
    "Молодых специалистов",
]


def _file(rows: list[list[object]]) -> bytes:
    return xlsx([["Численность педагогических работников ОО"], [], HEADER, *rows])


async def test_a_coordinator_previews_then_saves_the_headcounts_of_many_schools(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    await arrange.staff(db, 811, "Координатор К. К.", Role.COORDINATOR, municipality=mun)
    coordinator = person("Координатор", user_id=811)
    data = _file(
        [
            [mun.name, "МБОУ «Средняя школа № 12»", "2026/2027", 58, 12, 4],
            [mun.name, 'мбоу  "Гимназия № 3"', "2026-27", 41, 9, 2],
            [mun.name, "МБОУ «Лицей»", "2026/2027", 20, 25, 1],
            [mun.name, "МБОУ «Школа № 99»", "2026/2027", 20, 5, 1],
            [other.name, "МАОУ «Школа № 7»", "2026/2027", 30, 6, 3],
            ["Итого", "", "", 169, 57, 11],
        ]
    )

    reply = await coordinator.send_document("численность.xlsx", data)
    preview = reply.text
    assert "Численность педагогов: предпросмотр" in preview
    assert "Будет записано: 2" in preview
    assert (
        "строка 4: МБОУ «Средняя школа № 12», 2026/2027 — педагогов 58, до 35 лет 12, "
        "молодых специалистов 4" in preview
    )
    assert "строка 5: МБОУ «Гимназия № 3», 2026/2027" in preview
    assert "часть (25) больше общей численности (20)" in preview
    assert "«МБОУ «Школа № 99»» — такой школы нет в этом муниципалитете" in preview
    assert "муниципалитет «Город Новосибирск» — не ваш" in preview
    assert "итоговая строка" in preview
    assert coordinator.buttons() == ["✅ Импортировать только без ошибок", "Отмена"]
    assert await headcounts.of_schools(db, [s.id for s in schools], "2026/2027") == {}

    reply = await coordinator.click("только без ошибок")
    assert "Готово: сохранено строк — 2, школ — 2." in reply.text
    saved = await headcounts.of_schools(db, [s.id for s in schools], "2026/2027")
    assert saved == {
        schools[0].id: headcounts.Counts(58, 12, 4),
        schools[1].id: headcounts.Counts(41, 9, 2),
    }
    reply = await coordinator.send("/headcount")
    assert "58" in reply.text and "41" in reply.text

    # The same file with one number changed: the preview shows what it was.
    changed = _file([[mun.name, "МБОУ «Средняя школа № 12»", "2026/2027", 60, 12, 4]])
    reply = await coordinator.send_document("численность.xlsx", changed)
    assert "Изменится: 1" in reply.text
    assert "было: педагогов 58, до 35 лет 12, молодых специалистов 4; станет: педагогов 60" in (
        reply.text
    )
    await coordinator.click("Записать численность")
    saved = await headcounts.of_schools(db, [schools[0].id], "2026/2027")
    assert saved == {schools[0].id: headcounts.Counts(60, 12, 4)}


async def test_a_curator_sending_a_headcount_file_is_told_to_use_headcount(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 812, "Куратор К. К.", Role.CURATOR, school=schools[0])
    curator = person("Куратор", user_id=812)
    data = _file([[mun.name, schools[0].name, "2026/2027", 58, 12, 4]])
    reply = await curator.send_document("численность.xlsx", data)
    assert "Численность своей школы куратор вводит командой /headcount" in reply.text
    assert await headcounts.of_schools(db, [schools[0].id], "2026/2027") == {}


async def test_import_sends_the_headcount_example_and_the_bot_reads_it(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, _ = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 813, "Координатор К. К.", Role.COORDINATOR, municipality=mun)
    coordinator = person("Координатор", user_id=813)
    reply = await coordinator.send("/import")
    assert "Численность педагогов многих школ" in reply.text
    example = reply.last
    assert example.kind == "document" and example.filename == "headcounts-template.xlsx"
    assert example.content is not None
    # The example is read as a headcount file; its «Гимназия № 3» is a school here, its
    # «СОШ № 1» is not (an error in Russian, the row and the cell named).
    reply = await coordinator.send_document("headcounts-template.xlsx", example.content)
    assert "Численность педагогов: предпросмотр" in reply.text
    assert "«Из них молодых специалистов (стаж 0-3 года)» → из них молодых специалистов" in (
        reply.text
    )
    assert "строка 3: МБОУ «Гимназия № 3», 2025/2026 — педагогов 41" in reply.text
    assert (
        "строка 2, «Школа»: «МБОУ «СОШ № 1»» — такой школы нет в этом муниципалитете" in reply.text
    )
