"""Two first actions in a new school at once both get its programme: the default
programme is created once and neither use case fails."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Programme
from services import programmes
from tests import arrange
from tests.arrange import NOW


async def _someone_waits_for_a_lock(db: AsyncSession) -> None:
    for _ in range(500):
        waiting = await db.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        await db.rollback()
        if waiting:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the second insert never waited for the first")


async def test_two_first_uses_of_a_school_create_one_programme(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    school_id = schools[0].id
    async with sessionmaker() as first, sessionmaker() as second:
        created = await programmes.for_school(first, school_id, NOW.date())  # not committed

        async def second_use() -> int:
            programme = await programmes.for_school(second, school_id, NOW.date())
            await second.commit()
            return programme.id

        racing = asyncio.create_task(second_use())
        await _someone_waits_for_a_lock(db)  # the second insert waits on the unique key
        await first.commit()
        assert await racing == created.id
    assert await db.scalar(select(func.count()).select_from(Programme)) == 1
