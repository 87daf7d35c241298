"""Withdrawal erases the person completely: after a whole pair cycle (registration with
a request, a meeting with a place and a topic, feedback with comments, a plan goal, an
ended pair with a reason) no table, column, Redis key or value holds their name,
username, Telegram id or anything they typed; statistics stay, anonymous."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher, create_storage
from models import (
    Base,
    ErasedAttributeCount,
    Feedback,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Role,
)
from services.clock import FixedClock
from tests import arrange
from tests.e2e.flows import mentor_takes
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Deliver, Person, PersonFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CURATOR, MENTOR = 111, 222
MARIA = 733_104_929  # long and odd: a short id would match any number in the tables
NAME = "Иванова Мария Петровна"
REQUEST = "Хочу научиться держать дисциплину в 7 «Б», звоните 8-914-555-17-29"
PLACE = "кабинет 214, спросить Марию на вахте"
TOPIC = "Разбор открытого урока Марии Петровны"
HELPED = "Помог разбор ошибок, мой телефон 8-914-555-17-29"
HARD = "Трудно с родителями Смирнова из 7 «Б»"
GOAL = "Подготовить Марию Петровну к аттестации"
NOTES = "Мария плохо себя чувствовала"
SKIP = "Мария на больничном"
END_REASON = "Мария Петровна перешла в другую школу"
TYPED = [REQUEST, PLACE, TOPIC, HELPED, HARD, GOAL, NOTES, SKIP, END_REASON]
NEEDLES = ["Иванова", "Мария Петровна", "maria_t", str(MARIA), *TYPED]


@pytest.fixture
async def redis_dp(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    fake_api: FakeBotAPI,
    db: AsyncSession,
) -> AsyncIterator[tuple[Dispatcher, RedisStorage, str]]:
    """The production storage (bot.factory), under a prefix of this test's own."""
    storage, _ = create_storage(settings.model_copy(update={"redis_url": REDIS_URL}))
    assert isinstance(storage, RedisStorage)
    prefix = f"test-{uuid.uuid4().hex}"
    storage.key_builder = DefaultKeyBuilder(prefix=prefix, with_destiny=True)
    try:
        await storage.redis.ping()
    except Exception:
        await storage.close()
        pytest.skip("Redis is not running")
    fake_api.reset()
    yield (
        create_dispatcher(settings, sessionmaker, clock=clock, storage=storage, i18n=i18n),
        (storage),
        prefix,
    )
    keys = [k async for k in storage.redis.scan_iter(match=prefix + ":*")]
    if keys:
        await storage.redis.delete(*keys)
    await storage.close()


async def _redis_dump(storage: RedisStorage, prefix: str) -> dict[str, str]:
    found = {}
    async for key in storage.redis.scan_iter(match=prefix + ":*"):
        value = await storage.redis.get(key)  # aiogram keeps plain strings
        found[key.decode()] = value.decode() if isinstance(value, bytes) else str(value or "")
    return found


async def _database_dump(db: AsyncSession) -> list[str]:
    """Every row of every table as text."""
    rows = []
    for table in Base.metadata.sorted_tables:
        for row in (await db.execute(select(table))).all():
            rows.append(f"{table.name}: " + " | ".join(str(v) for v in row))
    return rows


async def _exact(p: Person, label: str) -> None:
    for m in reversed(p.api.chat(p.user_id)):
        for text, data in m.buttons:
            if text == label:
                await p.press(m, data)
                return
    raise AssertionError(f"no button {label!r}")


async def _register(p: Person, code: str, answers: list[str | tuple[str]]) -> None:
    await p.send(f"/start {code}")
    await p.click("Согласен")
    for a in answers:
        await (p.click(a[0]) if isinstance(a, tuple) else p.send(a))
    reply = await p.click("Всё верно")
    assert "Ваша роль в программе" in reply.text


async def _arrange_the_rest(db: AsyncSession, pair_id: int, maria_id: int) -> None:
    """What the bot's flows would take long to reach: a typed goal, a skipped stage with
    notes, and an earlier pair the curator ended with a reason naming her."""
    mentor_id = await db.scalar(select(Pair.mentor_id).where(Pair.id == pair_id))
    assert mentor_id is not None
    now = arrange.NOW
    db.add(
        PlanGoal(
            pair_id=pair_id,
            mentee_id=maria_id,
            title=GOAL,
            target_month=dt.date(2027, 3, 1),
            created_at=now,
            updated_at=now,
        )
    )
    db.add(
        Meeting(
            pair_id=pair_id,
            kind=MeetingKind.TRIAL,
            status=MeetingStatus.CANCELLED,
            starts_at=now,
            notes=NOTES,
            skip_reason=SKIP,
        )
    )
    school_id = await db.scalar(select(Pair.school_id).where(Pair.id == pair_id))
    assert school_id is not None
    old = Pair(
        school_id=school_id,
        mentor_id=mentor_id,
        status=PairStatus.ENDED,
        stage_since=now,
        formed_at=now - dt.timedelta(days=60),
        ended_at=now - dt.timedelta(days=30),
        end_reason=END_REASON,
    )
    old.members = [PairMember(mentee_id=maria_id, joined_at=old.formed_at, left_at=old.ended_at)]
    db.add(old)
    await db.commit()


async def test_withdrawal_leaves_nothing_of_the_person_in_any_table_or_redis_key(
    db: AsyncSession,
    redis_dp: tuple[Dispatcher, RedisStorage, str],
    bot: Bot,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    deliver: Deliver,
) -> None:
    dp, storage, prefix = redis_dp
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, CURATOR, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    await arrange.invite(db, schools[0], Role.MENTOR, code="MENTOR01")
    await arrange.invite(db, schools[0], Role.MENTEE, code="MENTEE01")
    curator = Person(dp, bot, fake_api, CURATOR, "Куратор")
    mentor = Person(dp, bot, fake_api, MENTOR, "Иван")
    maria = Person(dp, bot, fake_api, MARIA, "Мария", username="maria_t")

    mentor_answers: list[str | tuple[str]] = ["Петров Иван Сергеевич", "учитель", "математика"]
    mentor_answers += ["15", ("35 лет и старше",), ("высшая",), ("Дисциплина на уроке",)]
    await _register(mentor, "MENTOR01", [*mentor_answers, ("Готово",), ("2",)])
    maria_answers: list[str | tuple[str]] = [NAME, "учитель", "математика", "1"]
    maria_answers += [("до 35 лет",), ("без категории",), ("Дисциплина на уроке",), ("Готово",)]
    await _register(maria, "MENTEE01", [*maria_answers, REQUEST])

    await curator.send("/unmatched")
    await curator.click("Подобрать наставника: Иванова М. П.")
    await curator.click("1. Петров И. С.")
    await curator.click("Без приказа")
    assert "Предложение отправлено" in (await curator.click("Сформировать пару")).text
    assert "Пара сформирована" in (await mentor_takes(mentor, deliver)).text
    await deliver()

    # The introductory meeting, in a room, with a topic; then her feedback with comments.
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    await _exact(mentor, "24")
    await mentor.click("День")
    await _exact(mentor, "15:00")
    await mentor.click("Очно")
    await mentor.send(PLACE)
    await mentor.click("Отправить")
    await deliver()
    await maria.click("Подтвердить")
    await deliver()
    clock.at = dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)
    await deliver()
    await mentor.click("Да")
    await mentor.click("60 мин")
    assert "Тема встречи сохранена" in (await mentor.send(TOPIC)).text
    await deliver()
    await maria.click("4")
    await maria.send(HELPED)
    await maria.send(HARD)
    await maria.click("Только куратору")
    pair_id = await db.scalar(select(Pair.id))
    maria_id = await db.scalar(select(Participant.id).where(Participant.telegram_id == MARIA))
    assert pair_id is not None and maria_id is not None
    await _arrange_the_rest(db, pair_id, maria_id)

    # The meeting dialog is open in her chat (aiogram-dialog's stack and context), and
    # her profile edit is half-way (FSM state and data): all in Redis, all expiring.
    await maria.send("/my")
    await maria.click("Назначить встречу")
    await maria.send("/profile")
    await maria.click("✏️ Запрос")
    before = await _redis_dump(storage, prefix)
    assert any(f":{MARIA}:aiogd:context:" in key for key in before)
    assert any(key.endswith(f":{MARIA}:default:state") for key in before)
    for key in before:
        ttl = await storage.redis.ttl(key)
        assert 0 < ttl <= 14 * 24 * 3600, key
    dump = "\n".join(await _database_dump(db))
    assert all(needle in dump for needle in NEEDLES)  # the walk below can find them

    await maria.send("/delete_me")
    assert "данные удалены" in (await maria.click("Да, удалить")).text
    await deliver()
    notice = curator.api.chat(CURATOR)[-1].text
    assert "Участник (наставляемый, " + schools[0].name + ")" in notice
    assert "отозвал согласие" in notice and "Петров Иван Сергеевич" in notice
    assert "Иванова" not in notice and "Мария" not in notice

    db.expire_all()
    rows = await _database_dump(db)
    assert [(n, r) for r in rows for n in NEEDLES if n in r] == []
    left = await _redis_dump(storage, prefix)
    assert [k for k, v in left.items() if str(MARIA) in k + v] == []
    assert [(k, n) for k, v in left.items() for n in NEEDLES if n in v] == []

    # Statistics stay: her role, school and rating, anonymous counts of her attributes.
    erased = await db.scalar(select(Participant).where(Participant.id == maria_id))
    assert erased is not None and erased.status == ParticipantStatus.LEFT
    assert erased.school_id == schools[0].id and erased.has_role(Role.MENTEE)
    assert erased.experience_years is None and erased.catalogue_marks == []
    assert await db.scalar(select(Feedback.rating).where(Feedback.participant_id == maria_id)) == 4
    goal = await db.scalar(select(PlanGoal))
    assert goal is not None and goal.target_month == dt.date(2027, 3, 1)
    counts = {
        (c.role, c.attribute, c.value): c.count
        for c in await db.scalars(select(ErasedAttributeCount))
    }
    assert counts == {
        ("mentee", "experience_years", "1"): 1,
        ("mentee", "age_group", "under_35"): 1,
        ("mentee", "category", "none"): 1,
        ("mentee", "deficit", "psy_discipline"): 1,
    }
    # The mentor keeps his own data.
    mentor_row = await db.scalar(select(Participant).where(Participant.telegram_id == MENTOR))
    assert mentor_row is not None and mentor_row.full_name == "Петров Иван Сергеевич"


async def test_withdrawal_forgets_the_fsm_records_in_memory_storage_too(
    db: AsyncSession, person: PersonFactory, dp: Dispatcher
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    ivan = person("Иван", user_id=444)
    await ivan.send("/profile")
    await ivan.click("✏️ Предмет")  # a form half-way: state and data in the storage
    storage = dp.storage
    assert isinstance(storage, MemoryStorage)

    def his() -> list[StorageKey]:
        return [
            k
            for k, v in storage.storage.items()
            if 444 in (k.user_id, k.chat_id) and (v.state or v.data)
        ]

    assert his() != []
    await ivan.send("/delete_me")
    await ivan.click("Да, удалить")
    assert [k for k in storage.storage if 444 in (k.user_id, k.chat_id)] == []
