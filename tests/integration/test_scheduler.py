"""The scheduler: one leader at a time (PostgreSQL advisory lock; a lock row elsewhere),
only the leader sends, the planning tick, and APScheduler running the ticks in a live
event loop and shutting down cleanly."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import pytest
from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from models import LeaderLock, Outbox, OutboxStatus
from models.db import create_engine
from scheduler.app import PlanResult, Scheduler, dispatch_tick, planning_tick
from scheduler.leader import AdvisoryLockLeader, LockRowLeader, create_leader
from services.clock import FixedClock
from tests.arrange.outbox import RENDERERS, eventually, queue, recipients, sender
from tests.fakes.bot_api import FakeBotAPI


@pytest.fixture
def api(fake_api: FakeBotAPI) -> Iterator[FakeBotAPI]:
    fake_api.reset()
    yield fake_api
    fake_api.reset()


async def test_a_second_instance_does_not_lead_while_the_first_holds_the_advisory_lock(
    engine: AsyncEngine, database_url: str
) -> None:
    other_engine = create_engine(database_url)  # another process, as far as PG can tell
    first, second = AdvisoryLockLeader(engine), AdvisoryLockLeader(other_engine)
    try:
        assert await first.acquire() is True
        assert await second.acquire() is False
        assert await first.acquire() is True  # renewing keeps it
        assert await second.acquire() is False

        await first.release()
        assert await second.acquire() is True
        assert await first.acquire() is False
    finally:
        await first.release()
        await second.release()
        await other_engine.dispose()


async def test_the_lock_ends_with_the_leaders_connection(
    engine: AsyncEngine, database_url: str
) -> None:
    other_engine = create_engine(database_url)
    first, second = AdvisoryLockLeader(other_engine), AdvisoryLockLeader(engine)
    try:
        assert await first.acquire() is True
        assert await second.acquire() is False
        # The leader's connection breaks (its process died, the network dropped it).
        assert first._conn is not None
        await first._conn.invalidate()
        assert await second.acquire() is True
        # The old leader notices on its next tick and does not lead any more.
        assert await first.acquire() is False
    finally:
        await first.release()
        await second.release()
        await other_engine.dispose()


async def test_lock_row_leader_is_held_until_it_expires(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    ttl = dt.timedelta(seconds=30)
    first = LockRowLeader(sessionmaker, clock, holder="first", ttl=ttl)
    second = LockRowLeader(sessionmaker, clock, holder="second", ttl=ttl)

    assert await first.acquire() is True
    assert await second.acquire() is False
    clock.advance(dt.timedelta(seconds=20))
    assert await first.acquire() is True  # renewed for another 30 s
    clock.advance(dt.timedelta(seconds=20))
    assert await second.acquire() is False

    # The first instance stops ticking (it died): its lock runs out.
    clock.advance(dt.timedelta(seconds=11))
    assert await second.acquire() is True
    assert await first.acquire() is False
    await second.release()
    assert await db.scalar(select(LeaderLock.holder)) is None
    assert await first.acquire() is True


async def test_only_the_leader_sends(
    db: AsyncSession,
    api: FakeBotAPI,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    clock: FixedClock,
) -> None:
    ids = await queue(db, await recipients(db, 3))
    leader = create_leader(engine, sessionmaker, clock)
    follower = create_leader(engine, sessionmaker, clock)
    assert isinstance(leader, AdvisoryLockLeader)
    try:
        assert await leader.acquire() is True
        assert await dispatch_tick(follower, sender(sessionmaker, bot, i18n, clock)) == 0
        assert api.calls_of("sendMessage") == []

        assert await dispatch_tick(leader, sender(sessionmaker, bot, i18n, clock)) == 3
        rows = await db.scalars(select(Outbox.status).where(Outbox.id.in_(ids)))
        assert set(rows) == {OutboxStatus.SENT}
    finally:
        await leader.release()
        await follower.release()


async def test_the_planning_tick_runs_the_nudges_on_the_leader_only(
    db: AsyncSession,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> None:
    leader = AdvisoryLockLeader(engine)
    follower = AdvisoryLockLeader(engine)
    try:
        assert await leader.acquire()
        assert await planning_tick(follower, sessionmaker, clock) is None
        # An empty database: nothing to plan, nothing missing.
        assert await planning_tick(leader, sessionmaker, clock) == PlanResult(0, 0)
    finally:
        await leader.release()


async def test_apscheduler_runs_the_dispatch_tick_and_shuts_down_cleanly(
    db: AsyncSession,
    api: FakeBotAPI,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    settings: Settings,
    clock: FixedClock,
) -> None:
    scheduler = Scheduler(
        engine=engine,
        sessionmaker=sessionmaker,
        bot=bot,
        i18n=i18n,
        settings=settings,
        clock=clock,
        dispatch_every=0.05,
    )
    scheduler.sender.renderers = RENDERERS
    ids = await queue(db, await recipients(db, 2))
    scheduler.start()
    try:
        await eventually(lambda: len(api.calls_of("sendMessage")) == 2)
        # A row written while it runs is picked up by a later tick.
        ids += await queue(db, await recipients(db, 1))
        await eventually(lambda: len(api.calls_of("sendMessage")) == 3)
    finally:
        async with asyncio.timeout(5):  # no waiting out the grace period
            await scheduler.shutdown()
    assert not scheduler.running
    rows = await db.scalars(select(Outbox.status).where(Outbox.id.in_(ids)))
    assert set(rows) == {OutboxStatus.SENT}
    # Leadership was given up: another instance takes it at once.
    other = AdvisoryLockLeader(engine)
    assert await other.acquire() is True
    await other.release()
