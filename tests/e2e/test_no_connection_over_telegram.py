"""No database connection is held while the bot waits for Telegram: 20 curators whose
/pending replies Telegram takes 30 s to accept do not hold a pool smaller than they are
(5 + 10; production keeps 20 + 10 per process, DATABASE_POOL_SIZE), and another
curator's /pending takes its normal time."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.pool import AsyncAdaptedQueuePool

from bot.config import Settings
from bot.factory import create_dispatcher
from models import Role
from models.db import create_engine, create_sessionmaker
from services.clock import FixedClock
from tests import arrange
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Person

SLOW = 20
CURATORS = range(810_000_001, 810_000_001 + SLOW + 1)


@pytest.fixture
async def production_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    # Fewer connections than stuck replies: holding them would leave none for the other.
    engine = create_engine(database_url, pool_size=5, max_overflow=10)
    yield engine
    await engine.dispose()


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        for _ in itertools.count():
            if condition():
                return
            await asyncio.sleep(0.005)


async def timed_pending(person: Person) -> float:
    started = time.perf_counter()
    async with asyncio.timeout(10):  # the pool's own wait would be 30 s
        reply = await person.send("/pending")
    assert "Новых заявок нет" in reply.text
    return time.perf_counter() - started


async def test_slow_replies_hold_no_connection_and_delay_nobody(
    db: AsyncSession,
    dp: Dispatcher,  # empties the database and resets the fake
    production_engine: AsyncEngine,
    settings: Settings,
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
    fake_api: FakeBotAPI,
) -> None:
    pool = production_engine.pool
    assert isinstance(pool, AsyncAdaptedQueuePool)
    assert (pool.size(), pool._max_overflow) == (5, 10)
    _, schools = await arrange.municipality_with_schools(db)
    for n, tg in enumerate(CURATORS):
        await arrange.staff(db, tg, f"Куратор {n}", Role.CURATOR, school=schools[0])
    real = create_dispatcher(
        settings,
        create_sessionmaker(production_engine),
        clock=clock,
        storage=MemoryStorage(),
        i18n=i18n,
    )
    curators = [Person(real, bot, fake_api, tg, "Ольга") for tg in CURATORS]
    other, slow = curators[-1], curators[:SLOW]

    await timed_pending(other)  # warm: the pool's first connection, prepared statements
    normal = min([await timed_pending(other) for _ in range(3)])

    fake_api.hang = {p.user_id: 30.0 for p in slow}
    stuck = [asyncio.create_task(p.send("/pending")) for p in slow]
    try:
        await until(
            lambda: len({c.params["chat_id"] for c in fake_api.calls_of("sendMessage")}) >= SLOW + 1
        )
        # Every stuck reply is waiting at Telegram, and none of them holds a connection.
        assert pool.checkedout() == 0
        during = min([await timed_pending(other) for _ in range(3)])
        assert not any(task.done() for task in stuck)
    finally:
        fake_api.reset()  # Telegram answers the stuck replies now
        await asyncio.gather(*stuck, return_exceptions=True)

    assert during < normal * 3 + 0.2, (normal, during)
    for p in slow:
        assert [m.text for m in fake_api.chat(p.user_id)] == ["Новых заявок нет."]
