"""The scheduler's digest tick: only the leader writes the digests, each due recipient
once; on SQLite too (the bulk insert and the settings upsert are portable)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.migrate import upgrade_async
from models import DigestSetting, Outbox
from models.db import create_engine, create_sessionmaker
from scheduler.app import digest_tick
from scheduler.leader import AdvisoryLockLeader
from services.clock import FixedClock
from services.digest import planning
from tests.arrange import digest as w

DECEMBER_MONDAY = dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)  # 08:30 in Moscow


async def test_only_the_leader_writes_the_digests_once(
    db: AsyncSession,
    engine: AsyncEngine,
    database_url: str,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    world = await w.world(db)
    clock = FixedClock(DECEMBER_MONDAY)
    other_engine = create_engine(database_url)
    leader, follower = AdvisoryLockLeader(engine), AdvisoryLockLeader(other_engine)
    try:
        assert await digest_tick(leader, sessionmaker, clock) == 3
        assert await digest_tick(follower, sessionmaker, clock) is None
        assert await digest_tick(leader, sessionmaker, clock) == 0
    finally:
        await leader.release()
        await follower.release()
        await other_engine.dispose()
    payloads = list(await db.scalars(select(Outbox.payload).order_by(Outbox.recipient_id)))
    assert payloads == [{"day": "2026-12-07", "export": "monitoring", "export_only": False}] * 3
    marks = dict(
        (
            await db.execute(select(DigestSetting.participant_id, DigestSetting.monitoring_sent))
        ).all()
    )
    assert marks == {
        world.curator_a.id: "2026-12",
        world.curator_b.id: "2026-12",
        world.coordinator.id: "2026-12",
    }
    assert await db.scalar(select(func.count()).select_from(Outbox)) == 3


async def test_sqlite_plans_digests_and_the_monitoring_month(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            await w.world(session)
            assert await planning.plan(session, DECEMBER_MONDAY) == 3
            assert await planning.plan(session, DECEMBER_MONDAY) == 0
            months = set(await session.scalars(select(DigestSetting.monitoring_sent)))
            assert months == {"2026-12"}
    finally:
        await engine.dispose()
