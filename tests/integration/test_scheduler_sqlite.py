"""The embedded default (SQLite, one file) sends too: the claim query, the bookkeeping
and the lock-row leader are portable."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.migrate import upgrade_async
from models import Outbox, OutboxStatus, Participant, ParticipantStatus
from models.db import create_engine, create_sessionmaker
from scheduler.app import dispatch_tick
from scheduler.leader import LockRowLeader, create_leader
from services.clock import FixedClock
from tests.arrange.outbox import delivered, queue, sender
from tests.fakes.bot_api import Failure, FakeBotAPI


@pytest.fixture
async def lite(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_sqlite_sends_retries_and_elects_a_leader(
    lite: async_sessionmaker[AsyncSession],
    fake_api: FakeBotAPI,
    bot: Bot,
    i18n: I18n,
    clock: FixedClock,
) -> None:
    fake_api.reset()
    async with lite() as session:
        people = [
            Participant(telegram_id=620_000_000 + i, status=ParticipantStatus.ACTIVE)
            for i in range(3)
        ]
        session.add_all(people)
        await session.commit()
        ids = await queue(session, people + people[:1])
    fake_api.failures.append(Failure("sendMessage", people[1].telegram_id, 502, "Bad Gateway"))

    bind = lite.kw["bind"]
    leader = create_leader(bind, lite, clock)
    assert isinstance(leader, LockRowLeader)
    assert await LockRowLeader(lite, clock).acquire() is True  # another instance leads
    send = sender(lite, bot, i18n, clock, per_chat_interval=0)
    assert await dispatch_tick(leader, send) == 0

    clock.advance(dt.timedelta(minutes=1))  # that lock has expired by now
    assert await dispatch_tick(leader, send) == 3
    clock.advance(dt.timedelta(minutes=1))  # the 502 row's backoff is over
    assert await dispatch_tick(leader, send) == 1

    async with lite() as session:
        rows = (await session.execute(select(Outbox.id, Outbox.status, Outbox.attempts))).all()
    assert {(r.id, r.status, r.attempts) for r in rows} == {
        (ids[0], OutboxStatus.SENT, 1),
        (ids[1], OutboxStatus.SENT, 2),
        (ids[2], OutboxStatus.SENT, 1),
        (ids[3], OutboxStatus.SENT, 1),
    }
    assert sorted(delivered(fake_api)) == sorted(ids)
    fake_api.reset()
