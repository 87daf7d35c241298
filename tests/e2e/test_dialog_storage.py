"""What aiogram-dialog writes per update (bot.ui.dialogs_setup): no stack for a person
with no dialog open, nor for a step inside one that leaves its stack as it was; and
with its own lock gone (the update's lock holds the chat), a double press inside a
dialog still goes through once."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.utils.i18n import I18n
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher
from models import Meeting
from services.clock import FixedClock
from tests import arrange
from tests.arrange import mentor_and_mentees
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Person, PersonFactory, Reply

MENTOR, MENTEE = 741, 742
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class RecordingStorage(MemoryStorage):
    """JSON round trips as in Redis, and every write's destiny and whether it was empty."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[str, bool]] = []
        self.reads: list[str] = []

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        self.reads.append(key.destiny)
        return await super().get_data(key)

    def stack_reads(self) -> int:
        return sum(destiny.startswith("aiogd:stack") for destiny in self.reads)

    async def set_data(self, key: StorageKey, data: Any) -> None:
        self.writes.append((key.destiny, not data))
        await super().set_data(key, json.loads(json.dumps(data)))

    def stack_writes(self) -> list[bool]:
        """For each write of a dialog stack: was it an empty one."""
        return [empty for destiny, empty in self.writes if destiny.startswith("aiogd:stack")]


@pytest.fixture
def storage() -> RecordingStorage:
    return RecordingStorage()


async def tap(p: Person, label: str) -> Reply:
    for m in reversed(p.api.chat(p.user_id)):
        for text, data in m.buttons:
            if text == label:
                return await p.press(m, data)
    raise AssertionError(f"no button {label!r} in chat {p.user_id}")


async def _pair(db: AsyncSession) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await mentor_and_mentees(db, schools[0], mentor_tg=MENTOR, mentee_tgs=(MENTEE,))


async def up_to_logging(first: Person, second: Person) -> None:
    """«Записать прошедшую встречу» up to its summary, the taps alternating between two
    Person objects of the mentor (one per worker, or the same one twice)."""
    await first.send("/my")
    await second.click("Записать прошедшую встречу")
    await first.click("Дата")
    await tap(second, "20")
    await first.click("Утро")
    await tap(second, "10:00")


async def assert_logged_once(db: AsyncSession, replies: Sequence[Reply]) -> None:
    texts = [r.text + (r.alert or "") for r in replies]
    assert any("Записал: встреча состоялась" in t for t in texts), texts
    assert not any("Что-то пошло не так" in t for t in texts), texts
    assert await db.scalar(select(func.count()).select_from(Meeting)) == 1


async def test_no_dialog_open_no_dialog_write_and_an_open_one_is_kept(
    db: AsyncSession, person: PersonFactory, storage: RecordingStorage
) -> None:
    await _pair(db)
    mentor = person("Иван", user_id=MENTOR)

    await mentor.send("/my")
    await mentor.send("/help")
    assert storage.stack_writes() == []  # was an empty record written after each update

    await mentor.send("/my")
    await mentor.click("Записать прошедшую встречу")
    await mentor.click("Дата")
    assert storage.stack_writes() and not any(storage.stack_writes())  # the open dialog
    storage.writes.clear()
    await tap(mentor, "20")  # the same dialog in the same message: its stack as it was
    assert storage.stack_writes() == []
    assert "Утро" in " ".join(mentor.buttons())

    storage.writes.clear()
    await mentor.send("/my")  # closes the forgotten date picker
    assert storage.stack_writes()[-1] is True  # emptied
    storage.writes.clear()
    await mentor.send("/my")
    await mentor.send("/help")
    assert storage.stack_writes() == []  # and not again


async def test_only_the_dialogs_and_the_handlers_that_open_one_read_the_stack(
    db: AsyncSession, person: PersonFactory, storage: RecordingStorage
) -> None:
    """aiogram-dialog is set up on the dialogs' router alone: an update handled before it
    (a command, a questionnaire step, a staff or meeting button) does not load the stack;
    /my (it closes a forgotten date picker) and every step of a dialog do."""
    await _pair(db)
    mentor = person("Иван", user_id=MENTOR)

    await mentor.send("/help")
    await mentor.send("/profile")
    assert storage.stack_reads() == 0

    await mentor.send("/my")  # takes a dialog manager: the stack is read for it
    assert storage.stack_reads() == 1
    await mentor.click("Записать прошедшую встречу")  # opens the dialog
    await mentor.click("Дата")
    before = storage.stack_reads()
    await tap(mentor, "20")  # a step inside the dialog
    assert storage.stack_reads() == before + 1
    assert "Утро" in " ".join(mentor.buttons())

    before = storage.stack_reads()
    await mentor.send("/help")
    assert storage.stack_reads() == before

    # With the date picker still open, /my closes it (its manager sees the stack).
    await mentor.send("/my")
    assert storage.stack_writes()[-1] is True


async def test_a_double_press_inside_a_dialog_is_handled_once(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _pair(db)
    mentor = person("Иван", user_id=MENTOR)
    await up_to_logging(mentor, mentor)

    replies = await asyncio.gather(mentor.click("✅ Записать"), mentor.click("✅ Записать"))

    await assert_logged_once(db, replies)
    alerts = [r.alert or "" for r in replies]
    assert sum("кнопка уже не действует" in a for a in alerts) == 1, alerts  # the second


@pytest.fixture
async def two_workers(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    db: AsyncSession,
    fake_api: FakeBotAPI,
) -> AsyncIterator[tuple[Dispatcher, Dispatcher]]:
    """Two Dispatchers built as each webhook worker builds its own (REDIS_URL: Redis
    storage and Redis locks), under a key prefix of this test's own."""
    fake_api.reset()
    deployed = settings.model_copy(update={"redis_url": REDIS_URL})
    keys = DefaultKeyBuilder(prefix=f"test-{uuid.uuid4().hex}", with_destiny=True)
    workers = []
    for _ in range(2):
        dp = create_dispatcher(deployed, sessionmaker, clock=clock, i18n=i18n)
        assert isinstance(dp.storage, RedisStorage)
        assert isinstance(dp.fsm.events_isolation, RedisEventIsolation)
        dp.storage.key_builder = dp.fsm.events_isolation.key_builder = keys
        workers.append(dp)
    try:
        await workers[0].storage.redis.ping()  # type: ignore[attr-defined]
    except Exception:
        for dp in workers:
            await dp.storage.close()
        pytest.skip("Redis is not running")
    yield workers[0], workers[1]
    for dp in workers:
        await dp.storage.close()


async def test_two_workers_a_dialog_alternating_and_a_double_press_across_them(
    db: AsyncSession, two_workers: tuple[Dispatcher, Dispatcher], bot: Bot, fake_api: FakeBotAPI
) -> None:
    await _pair(db)
    on_one, on_two = (Person(dp, bot, fake_api, MENTOR, "Иван") for dp in two_workers)
    await up_to_logging(on_one, on_two)

    replies = await asyncio.gather(on_one.click("✅ Записать"), on_two.click("✅ Записать"))

    await assert_logged_once(db, replies)
