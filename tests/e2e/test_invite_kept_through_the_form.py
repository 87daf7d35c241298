"""An invited teacher stays invited through the whole questionnaire: a plain /start in
the middle of it, or the bot restarting with memory storage, does not turn them into a
self-registration that waits for the curator."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher
from models import Participant, ParticipantStatus, Role
from services.clock import FixedClock
from tests import arrange
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Person, PersonFactory


async def _finish_after_name(p: Person) -> str:
    for answer in ("учитель", "математика", "1"):
        await p.send(answer)
    await p.click("до 35 лет")
    await p.click("без категории")
    await p.click("Дисциплина на уроке")
    await p.click("Готово")
    await p.click("Пропустить")
    return (await p.click("Всё верно")).text


async def _row(db: AsyncSession, telegram_id: int) -> Participant | None:
    db.expire_all()
    return await db.scalar(select(Participant).where(Participant.telegram_id == telegram_id))


async def test_a_plain_start_mid_form_continues_where_the_person_was(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = person("Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    await maria.send("Иванова Мария Петровна")
    reply = await maria.send("/start")
    assert "Продолжаем анкету" in reply.text and "Вопрос 2 из 8" in reply.text
    assert "Выберите" not in reply.text  # not the self-registration's choice of role

    text = await _finish_after_name(maria)
    assert "Ваша роль в программе — <b>наставляемый</b>" in text
    row = await _row(db, maria.user_id)
    assert row is not None and row.status == ParticipantStatus.ACTIVE
    assert row.full_name == "Иванова Мария Петровна" and row.invite_code is None
    assert [(g.role, g.school_id) for g in row.roles] == [(Role.MENTEE, schools[0].id)]


async def test_the_invite_survives_a_restart_with_memory_storage(
    db: AsyncSession,
    person: PersonFactory,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
    fake_api: FakeBotAPI,
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[1], Role.MENTOR)
    ivan = person("Иван")
    await ivan.send("/start INVITE12")
    await ivan.click("Согласен")
    await ivan.send("Петров Иван Сергеевич")

    # The process restarts: a new Dispatcher, its memory storage empty.
    restarted: Dispatcher = create_dispatcher(
        settings, sessionmaker, clock=clock, storage=MemoryStorage(), i18n=i18n
    )
    ivan = Person(restarted, bot, fake_api, ivan.user_id, "Иван")
    reply = await ivan.send("/start")
    assert "наставник" in reply.text.lower() or "Вопрос 1 из" in reply.text
    assert "Выберите" not in reply.text
    await ivan.send("Петров Иван Сергеевич")
    for answer in ("учитель", "математика", "15"):
        await ivan.send(answer)
    await ivan.click("35 лет и старше")
    await ivan.click("высшая")
    await ivan.click("Дисциплина на уроке")
    await ivan.click("Готово")
    await ivan.click("2")
    reply = await ivan.click("Всё верно")
    assert "Ваша роль в программе — <b>наставник</b>" in reply.text
    row = await _row(db, ivan.user_id)
    assert row is not None and row.status == ParticipantStatus.ACTIVE
    assert [(g.role, g.school_id) for g in row.roles] == [(Role.MENTOR, schools[1].id)]
