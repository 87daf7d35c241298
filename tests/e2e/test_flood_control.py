"""Direct replies survive Telegram's flood control and server hiccups: a person who taps
as fast as they can still gets every question, and the form never runs ahead of what
they were shown."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from models import Participant, ParticipantStatus, Role
from services.clock import FixedClock
from tests import arrange
from tests.fakes.bot_api import Failure, FakeBotAPI
from tests.fakes.client import Person


class FakeTime:
    """The fake Bot API's clock, moved only by the bot's own waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time(fake_api: FakeBotAPI, dp: Dispatcher) -> FakeTime:  # after dp resets the fake
    time = FakeTime()
    fake_api.monotonic = time.monotonic
    return time


@pytest.fixture
async def flood_bot(settings: Settings, fake_time: FakeTime) -> AsyncIterator[Bot]:
    bot = create_bot(settings, sleep=fake_time.sleep)
    yield bot
    await bot.session.close()


@pytest.fixture
def flood_dp(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    dp: Dispatcher,  # resets the fake and empties the database
) -> Dispatcher:
    return create_dispatcher(
        settings, sessionmaker, clock=clock, storage=MemoryStorage(), i18n=i18n
    )


async def test_a_fast_tapper_registers_against_telegrams_per_chat_limit(
    db: AsyncSession,
    fake_api: FakeBotAPI,
    fake_time: FakeTime,
    flood_bot: Bot,
    flood_dp: Dispatcher,
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    fake_api.per_chat_interval = 1.0  # Telegram: about one message a second to a chat
    maria = Person(flood_dp, flood_bot, fake_api, 600_000_001, "Мария")

    # No pause between taps: the clock moves only while the bot waits out a 429.
    await maria.send("/start INVITE12")
    reply = await maria.click("Согласен")
    assert "Вопрос 1 из 8" in reply.text
    for answer in ("Иванова Мария Петровна", "учитель", "математика", "1"):
        await maria.send(answer)
    await maria.click("до 35 лет")
    await maria.click("без категории")
    await maria.click("Дисциплина на уроке")
    await maria.click("Готово")
    reply = await maria.send("Как держать дисциплину")
    assert "Проверьте анкету" in reply.text
    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе" in reply.text

    # Flood control did bite, and every refused message was sent again after the wait.
    assert fake_api.too_many > 0 and fake_time.slept
    # Each question reached her once: some in a message of their own, the ones after a
    # pressed answer in place of the question answered. What she saw as it came (a
    # message's text, without its buttons, which ticking changes), and no message twice.
    seen = {line.split("\n  [")[0] for line in maria.transcript if line.startswith("bot →")}
    assert all(sum(f"Вопрос {i} из 8" in text for text in seen) == 1 for i in range(1, 9))
    chat = [m.text for m in fake_api.chat(maria.user_id)]
    assert len(chat) == len(set(chat))
    assert all("Что-то пошло не так" not in m.text for m in fake_api.chat(maria.user_id))
    p = await db.scalar(select(Participant).where(Participant.telegram_id == maria.user_id))
    assert p is not None and p.status == ParticipantStatus.ACTIVE


async def test_consent_and_the_first_question_are_one_message(
    db: AsyncSession, fake_api: FakeBotAPI, flood_bot: Bot, flood_dp: Dispatcher
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = Person(flood_dp, flood_bot, fake_api, 600_000_002, "Мария")
    await maria.send("/start INVITE12")
    sent_before = len(fake_api.calls_of("sendMessage"))
    reply = await maria.click("Согласен")
    assert len(fake_api.calls_of("sendMessage")) - sent_before == 1
    assert "Заполним анкету: 8 вопросов" in reply.text and "Вопрос 1 из 8" in reply.text


async def test_server_errors_on_a_reply_are_retried(
    db: AsyncSession,
    fake_api: FakeBotAPI,
    fake_time: FakeTime,
    flood_bot: Bot,
    flood_dp: Dispatcher,
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = Person(flood_dp, flood_bot, fake_api, 600_000_003, "Мария")
    await maria.send("/start INVITE12")
    fake_api.failures.append(Failure("sendMessage", maria.user_id, 502, "Bad Gateway", times=2))
    reply = await maria.click("Согласен")
    assert "Вопрос 1 из 8" in reply.text
    assert fake_time.slept == [0.5, 1.0]


async def test_a_reply_refused_past_the_bound_gives_up_without_advancing_the_form(
    db: AsyncSession,
    fake_api: FakeBotAPI,
    fake_time: FakeTime,
    flood_bot: Bot,
    flood_dp: Dispatcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = Person(flood_dp, flood_bot, fake_api, 600_000_004, "Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    # Telegram wants a minute's pause: longer than a reply may wait (20 s by default).
    fake_api.failures.append(
        Failure("sendMessage", maria.user_id, 429, "Too Many Requests", retry_after=60)
    )
    with caplog.at_level(logging.WARNING):
        reply = await maria.send("Иванова Мария Петровна")
    assert reply.messages == []  # neither question 2 nor «Что-то пошло не так»
    assert fake_time.slept == []
    assert "gave up" in caplog.text and "Иванова" not in caplog.text
    # The form did not move past the question she has not seen: answering again works.
    reply = await maria.send("Иванова Мария Петровна")
    assert "Вопрос 2 из 8" in reply.text


async def _at_the_age_question(
    db: AsyncSession, fake_api: FakeBotAPI, flood_bot: Bot, flood_dp: Dispatcher, user_id: int
) -> Person:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = Person(flood_dp, flood_bot, fake_api, user_id, "Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    for answer in ("Иванова Мария Петровна", "учитель", "математика", "1"):
        await maria.send(answer)
    return maria


async def test_a_pressed_answer_whose_edit_meets_flood_control_is_retried(
    db: AsyncSession,
    fake_api: FakeBotAPI,
    fake_time: FakeTime,
    flood_bot: Bot,
    flood_dp: Dispatcher,
) -> None:
    maria = await _at_the_age_question(db, fake_api, flood_bot, flood_dp, 600_000_005)
    fake_api.failures.append(
        Failure("editMessageText", maria.user_id, 429, "Too Many Requests", retry_after=2)
    )
    reply = await maria.click("до 35 лет")
    assert fake_time.slept == [2.0]
    assert "✓ <b>Возраст:</b> до 35 лет" in reply.text and "Вопрос 6 из 8" in reply.text
    reply = await maria.click("без категории")
    assert "Вопрос 7 из 8" in reply.text


async def test_a_pressed_answer_on_a_message_that_cannot_be_edited_still_moves_on(
    db: AsyncSession, fake_api: FakeBotAPI, flood_bot: Bot, flood_dp: Dispatcher
) -> None:
    """The question's message was deleted meanwhile (Telegram refuses the edit): the next
    question comes as a new message, the answer is kept, nothing is lost."""
    maria = await _at_the_age_question(db, fake_api, flood_bot, flood_dp, 600_000_006)
    before = len(fake_api.chat(maria.user_id))
    fake_api.failures.append(
        Failure("editMessageText", maria.user_id, 400, "Bad Request: message to edit not found")
    )
    reply = await maria.click("до 35 лет")
    assert len(fake_api.chat(maria.user_id)) == before + 1
    assert reply.last.text.startswith("<i>Вопрос 6 из 8</i>") and "без категории" in maria.buttons()
    assert all("Что-то пошло не так" not in m.text for m in reply.messages)
    await maria.click("без категории")
    await maria.click("Дисциплина на уроке")
    await maria.click("Готово")
    reply = await maria.send("Как держать дисциплину")
    assert "<b>Возраст:</b> до 35 лет" in reply.text  # the summary has the answer


async def test_a_sent_form_whose_summary_cannot_be_edited_is_answered_anew(
    db: AsyncSession, fake_api: FakeBotAPI, flood_bot: Bot, flood_dp: Dispatcher
) -> None:
    maria = await _at_the_age_question(db, fake_api, flood_bot, flood_dp, 600_000_007)
    await maria.click("до 35 лет")
    await maria.click("без категории")
    await maria.click("Готово")
    await maria.click("Пропустить")
    fake_api.failures.append(
        Failure("editMessageText", maria.user_id, 400, "Bad Request: message to edit not found")
    )
    before = len(fake_api.calls)
    reply = await maria.click("Всё верно")
    assert len(reply.messages) == 1 and "Ваша роль в программе" in reply.last.text
    assert "Что-то пошло не так" not in reply.text
    # The menu is set all the same.
    assert "setMyCommands" in [c.method for c in fake_api.calls[before:]]
    p = await db.scalar(select(Participant).where(Participant.telegram_id == maria.user_id))
    assert p is not None and p.status == ParticipantStatus.ACTIVE
