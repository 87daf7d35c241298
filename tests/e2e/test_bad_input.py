"""Bad input never breaks a form: a clear Russian hint and the same question again."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Participant, Role
from tests import arrange
from tests.fakes.client import Person, PersonFactory


@pytest.fixture
async def maria(db: AsyncSession, person: PersonFactory) -> Person:
    """A teacher who followed an invite, agreed, and is at the first question."""
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    p = person("Мария")
    await p.send("/start INVITE12")
    await p.click("Согласен")
    return p


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("Мария", "Не похоже на ФИО"),
        ("12345 67890", "Не похоже на ФИО"),
        ("Иванова Мария Петровна Анатольевна Сергеевна", "Не похоже на ФИО"),
        ("Я" * 4000, "Слишком длинный ответ: 4000 символов, а можно до 150"),
    ],
)
async def test_wrong_full_name_is_asked_again(maria: Person, answer: str, hint: str) -> None:
    reply = await maria.send(answer)
    assert hint in reply.text
    assert "Вопрос 1 из 8" in reply.text and "фамилию, имя и отчество" in reply.text
    reply = await maria.send("Иванова Мария Петровна")
    assert "Вопрос 2 из 8" in reply.text


async def _to_experience(maria: Person) -> None:
    await maria.send("Иванова Мария Петровна")
    await maria.send("учитель")
    await maria.send("математика")


@pytest.mark.parametrize(
    ("answer", "hint"),
    [("пять", "Нужно число цифрами"), ("99", "от 0 до 50 лет"), ("-1", "Нужно число цифрами")],
)
async def test_wrong_experience_is_asked_again(maria: Person, answer: str, hint: str) -> None:
    await _to_experience(maria)
    reply = await maria.send(answer)
    assert hint in reply.text and "педагогический стаж" in reply.text
    reply = await maria.send("2")
    assert "Вопрос 5 из 8" in reply.text


async def test_sticker_photo_and_command_mid_form(maria: Person) -> None:
    reply = await maria.send_sticker()
    assert "ответьте текстом" in reply.text and "Вопрос 1 из 8" in reply.text
    reply = await maria.send_photo()
    assert "ответьте текстом" in reply.text
    reply = await maria.send("/profile")
    assert "Сейчас идёт заполнение анкеты" in reply.text and "/cancel" in reply.text
    reply = await maria.send("Иванова Мария Петровна")
    assert "Вопрос 2 из 8" in reply.text


async def test_typing_where_buttons_are_expected(maria: Person) -> None:
    await _to_experience(maria)
    await maria.send("2")
    reply = await maria.send("молодой")
    assert "Выберите ответ кнопкой" in reply.text and "возрастная группа" in reply.text


async def test_long_request_text_is_refused_then_accepted(maria: Person) -> None:
    await _to_experience(maria)
    await maria.send("2")
    await maria.click("до 35 лет")
    await maria.click("первая")
    await maria.click("Готово")
    reply = await maria.send("а" * 4000)
    assert "4000 символов, а можно до 1000" in reply.text
    reply = await maria.send("Нужна помощь с рабочей программой")
    assert "Проверьте анкету" in reply.text


async def test_old_button_of_an_earlier_question_is_refused(maria: Person) -> None:
    await _to_experience(maria)
    await maria.send("2")
    await maria.click("до 35 лет")
    # Press the age button again, now that the question is about the category.
    age_message = next(m for m in maria.api.chat(maria.user_id) if "возрастная группа" in m.text)
    reply = await maria.press(age_message, "ch:age_group:from_35")
    assert reply.alert is not None and "уже не действует" in reply.alert


async def test_cancel_leaves_the_form_and_start_resumes(db: AsyncSession, maria: Person) -> None:
    await maria.send("Иванова Мария Петровна")
    reply = await maria.send("/cancel")
    assert "Заполнение прервано" in reply.text
    reply = await maria.send("учитель")
    assert "Не понял сообщение" in reply.text
    # Consent is on record: /start with the link continues with the questionnaire.
    reply = await maria.send("/start INVITE12")
    assert "Вопрос 1 из 8" in reply.text
    row = await db.scalar(select(Participant).where(Participant.telegram_id == maria.user_id))
    assert row is not None and row.full_name is None


async def test_fix_from_the_summary(maria: Person) -> None:
    await _to_experience(maria)
    await maria.send("2")
    await maria.click("до 35 лет")
    await maria.click("первая")
    await maria.click("Готово")
    await maria.click("Пропустить")
    await maria.click("Исправить")
    reply = await maria.click("Стаж")
    assert "педагогический стаж" in reply.text
    reply = await maria.send("3")
    assert "Проверьте анкету" in reply.text and "3 года" in reply.text
    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе" in reply.text


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"code": "OLDLINK1", "expired": True}, "Срок действия ссылки-приглашения истёк"),
        ({"code": "FULLLNK1", "used_up": True}, "максимальное число участников"),
        ({"code": None}, "не найдена или отозвана"),
    ],
)
async def test_bad_invite_codes(
    db: AsyncSession, person: PersonFactory, setup: dict[str, object], message: str
) -> None:
    import datetime as dt

    _, schools = await arrange.municipality_with_schools(db)
    if setup["code"]:
        await arrange.invite(
            db,
            schools[0],
            Role.MENTEE,
            code=str(setup["code"]),
            expires_at=arrange.NOW - dt.timedelta(days=1) if setup.get("expired") else None,
            max_uses=1,
            uses=1 if setup.get("used_up") else 0,
        )
    p = person("Мария")
    reply = await p.send(f"/start {setup['code'] or 'NOSUCHCODE'}")
    assert message in reply.text
    assert "зарегистрируйтесь без неё" in reply.text
    # The way to self-register is right there: the consent screen follows.
    assert "Согласен" in " ".join(p.buttons())
    reply = await p.click("Согласен")
    assert "Кем вы будете в программе" in reply.text
