"""Texts people type, hostile or clumsy, never crash the bot: control characters (in
texts and in a file's name) are removed in one place before any handler, a button
pressed twice is not an error, and messages grown past Telegram's limit still arrive."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Achievement, Participant, Role, School
from tests import arrange
from tests.arrange import club as arrange_club
from tests.fakes.client import PersonFactory


async def test_control_characters_in_typed_answers_are_removed_not_fatal(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = person("Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    await maria.send("Иванова\x00 Мария\u202e Петровна")
    await maria.send("учитель\x07")
    await maria.send("математика")
    await maria.send("1")
    await maria.click("до 35 лет")
    await maria.click("без категории")
    await maria.click("Дисциплина на уроке")
    await maria.click("Готово")
    reply = await maria.send("Как\x00 держать\x1b[31m дисциплину\r\nв 7 классе\ufeff")
    assert "Проверьте анкету" in reply.text
    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе" in reply.text

    db.expire_all()
    p = await db.scalar(select(Participant).where(Participant.telegram_id == maria.user_id))
    assert p is not None and p.full_name == "Иванова Мария Петровна"
    assert p.position == "учитель"
    assert p.mentee_profile is not None
    assert p.mentee_profile.request_text == "Как держать[31m дисциплину\nв 7 классе"


async def test_pressing_the_same_page_button_twice_is_not_an_error(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, _ = await arrange.municipality_with_schools(db)
    db.add_all(
        School(municipality_id=mun.id, name=f"МБОУ «Школа № {n}»", timezone="Europe/Moscow")
        for n in range(20, 32)
    )
    await db.commit()
    maria = person("Мария")
    await maria.send("/start")
    await maria.click("Согласен")
    await maria.click("Наставляемый")
    message, forward = maria.find_button("Вперёд")
    first = await maria.press(message, forward)
    assert "Школа № 2" in " ".join(maria.buttons())
    again = await maria.press(message, forward)  # the same, stale, button
    assert first.alert is None and again.alert is None
    assert "Что-то пошло не так" not in again.text
    assert "Что-то пошло не так" not in "\n".join(m.text for m in maria.api.chat(maria.user_id))


async def test_a_forged_button_with_an_id_past_bigint_is_answered_as_stale(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    olga = person("Ольга", user_id=111)
    reply = await olga.send("/pending")
    for data in ("ap:ok:9223372036854775815", "ap:no:-5", "ap:ok:1e9"):
        pressed = await olga.press(reply.last, data)
        assert pressed.alert is not None and "не действует" in pressed.alert
    assert "Что-то пошло не так" not in "\n".join(m.text for m in olga.api.chat(111))


async def test_a_files_name_loses_its_control_characters(
    db: AsyncSession, person: PersonFactory
) -> None:
    """A sent file's name is stored and shown to others (a diploma in «Мои достижения»):
    a NUL in it broke the save («Что-то пошло не так»), and a right-to-left override
    made «…exe» read as «…pdf»."""
    w = await arrange_club.club_world(db)
    await arrange.pair(db, w.mentor_a, [w.young_a])
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    await maria.send("/portfolio")
    await maria.click("Добавить достижение")
    await maria.click("Конкурс")
    await maria.send("Конкурс «Дебют»")
    await maria.click("муниципальный уровень")
    await maria.click("призёр")
    reply = await maria.send_document("Дип\x00лом\u202e fdp.exe", b"%PDF diploma")
    assert "Добавлено" in reply.text
    entry = await db.scalar(select(Achievement))
    assert entry is not None and entry.file_name == "Диплом fdp.exe"
