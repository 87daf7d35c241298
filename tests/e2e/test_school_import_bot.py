"""A coordinator sends the region's list of schools to the bot as a file, sees what
will happen, and confirms; nothing is written before. Curators, mentees and strangers
sending a file are refused politely; bad files get a clear Russian message."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Role, School
from tests import arrange
from tests.arrange import ADMIN_ID
from tests.arrange.import_files import registry_xlsx, xlsx
from tests.fakes.client import Person, PersonFactory


async def _count(db: AsyncSession, model: type[School] | type[Municipality]) -> int:
    db.expire_all()
    return await db.scalar(select(func.count()).select_from(model)) or 0


async def _coordinator(db: AsyncSession, person: PersonFactory) -> Person:
    mun, _ = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 801, "Координатор К. К.", Role.COORDINATOR, municipality=mun)
    return person("Координатор", user_id=801)


async def test_a_coordinator_previews_then_imports_the_registry(
    db: AsyncSession, person: PersonFactory
) -> None:
    coordinator = await _coordinator(db, person)

    reply = await coordinator.send_document("Реестр ОО.xlsx", registry_xlsx())
    preview = reply.text
    assert "Импорт школ: предпросмотр" in preview
    assert "заголовок в строке 3" in preview
    assert "Будут добавлены 4 школы" in preview
    assert "МБОУ «Гимназия «Пущино»»" in preview
    assert "итоговая строка «Итого по городскому округу Серпухов»" in preview
    assert "строка 10 повторяет строку 6" in preview
    # The other municipality's rows are not this coordinator's to import.
    assert "муниципалитет «Дульдургинский район» — не ваш" in preview
    assert coordinator.buttons() == ["✅ Импортировать", "Отмена"]
    assert await _count(db, School) == 3  # nothing written yet

    reply = await coordinator.click("Импортировать")
    assert "✅ Добавлены 4 школы (новых муниципалитетов: 0)." in reply.text
    assert await _count(db, School) == 7
    assert await _count(db, Municipality) == 1
    names = set(await db.scalars(select(School.name)))
    assert {"МБОУ «СОШ № 1»", "МБОУ «Гимназия «Пущино»»", "МАОУ «Лицей № 2»"} <= names
    assert coordinator.buttons() == []  # the preview's buttons are gone

    # The same file again adds nothing and offers nothing to press.
    reply = await coordinator.send_document("Реестр ОО.xlsx", registry_xlsx())
    assert "Уже есть в боте: 4" in reply.text
    assert "Добавлять нечего." in reply.text
    assert reply.last.buttons == []
    assert await _count(db, School) == 7


async def test_a_file_with_errors_imports_only_its_good_rows_when_asked(
    db: AsyncSession, person: PersonFactory
) -> None:
    coordinator = await _coordinator(db, person)
    data = xlsx(
        [
            ["Школа", "Часовой пояс"],
            ["МБОУ «СОШ № 40»", "МСК"],
            ["МБОУ «СОШ № 41»", "Марс"],
        ]
    )
    reply = await coordinator.send_document("школы.xlsx", data)
    assert "строка 3, «Часовой пояс»: «Марс» — неизвестный часовой пояс" in reply.text
    assert coordinator.buttons() == ["✅ Импортировать только без ошибок", "Отмена"]
    reply = await coordinator.click("только без ошибок")
    assert "Добавлена 1 школа" in reply.text
    db.expire_all()
    added = await db.scalar(select(School).where(School.name == "МБОУ «СОШ № 40»"))
    assert added is not None and added.timezone == "Europe/Moscow"
    assert await _count(db, School) == 4


async def test_cancel_writes_nothing_and_an_old_preview_is_stale(
    db: AsyncSession, person: PersonFactory
) -> None:
    coordinator = await _coordinator(db, person)
    data = xlsx([["Школа"], ["МБОУ «СОШ № 40»"]])
    await coordinator.send_document("a.xlsx", data)
    first, first_data = coordinator.find_button("Импортировать")
    await coordinator.send_document("b.xlsx", data)
    # The first preview's button no longer imports: only the latest preview counts.
    reply = await coordinator.press(first, first_data)
    assert reply.alert and "устарел" in reply.alert
    latest, latest_data = coordinator.find_button("Импортировать")
    reply = await coordinator.press(latest, latest_data[:-8] + "00000000")  # a forged token
    assert reply.alert and "устарел" in reply.alert
    reply = await coordinator.click("Отмена")
    assert "Импорт отменён, ничего не записано." in reply.text
    # After «Отмена» the same preview's import button is stale too.
    reply = await coordinator.press(latest, latest_data)
    assert reply.alert and "устарел" in reply.alert
    assert await _count(db, School) == 3


async def test_curators_mentees_and_strangers_sending_a_file_are_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 802, "Куратор К. К.", Role.CURATOR, school=schools[0])
    await arrange.teacher(db, 803, "Петров И. С.", Role.MENTEE, schools[0])
    for user_id in (802, 803, 804):
        someone = person("Кто-то", user_id=user_id)
        reply = await someone.send_document("Реестр ОО.xlsx", registry_xlsx())
        assert "файлы со списками школ загружает муниципальный координатор" in reply.text
        assert reply.last.buttons == []
        reply = await someone.send("/import")
        assert "может муниципальный координатор или администратор" in reply.text
    assert await _count(db, School) == 3
    # Only the curator's file is read (a curator may send a file of addenda, issue 14);
    # the mentee's and the stranger's never are.
    reads = [c for c in someone.api.calls if c.method == "getFile"]
    assert len(reads) == 1


async def test_an_admin_imports_new_municipalities(db: AsyncSession, person: PersonFactory) -> None:
    admin = person("Админ", user_id=ADMIN_ID)
    reply = await admin.send_document("Реестр ОО.xlsx", registry_xlsx())
    assert "Будет добавлено школ: 6" in reply.text
    assert "новые муниципалитеты: Городской округ Серпухов, Дульдургинский район" in reply.text
    await admin.click("Импортировать")
    assert await _count(db, School) == 6
    assert await _count(db, Municipality) == 2


async def test_bad_files_get_a_clear_message(db: AsyncSession, person: PersonFactory) -> None:
    coordinator = await _coordinator(db, person)
    reply = await coordinator.send_document("школы.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert "сохраните как «Книга Excel (.xlsx)»" in reply.text
    reply = await coordinator.send_document("фото.pdf", b"%PDF-1.7\x00")
    assert "Пришлите таблицу в формате .xlsx (Excel) или .csv" in reply.text
    reply = await coordinator.send_document("список.xlsx", xlsx([["ФИО", "Телефон"], ["И", "1"]]))
    assert "Не нашёл строку заголовка" in reply.text
    assert "«Школа»" in reply.text
    assert coordinator.buttons() == []


async def test_import_command_explains_the_columns_and_sends_the_example(
    db: AsyncSession, person: PersonFactory
) -> None:
    coordinator = await _coordinator(db, person)
    reply = await coordinator.send("/import")
    assert "Загрузка списка школ" in reply.text
    documents = [m for m in reply.messages if m.kind == "document"]
    example = documents[0]
    assert example.kind == "document" and example.filename == "schools-template.xlsx"
    assert example.content is not None
    # The example itself imports cleanly.
    reply = await coordinator.send_document("schools-template.xlsx", example.content)
    assert "Ошибки: 0" in reply.text
