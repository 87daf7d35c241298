"""Mentor and mentee pressing «Отправить» at the same moment: exactly one meeting is
proposed, the other gets a polite refusal; on PostgreSQL (pair row lock) and on the
embedded SQLite (the unique index on open meetings)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.migrate import upgrade_async
from models import Meeting, MeetingFormat, MeetingKind, MeetingStatus
from models.db import create_engine, create_sessionmaker
from services import meetings
from services.clock import FixedClock
from services.errors import DomainError
from tests import arrange
from tests.arrange import PairSetup, meeting, mentor_and_mentees

STARTS = arrange.NOW + dt.timedelta(days=3)


async def _arrange(db: AsyncSession) -> PairSetup:
    _, schools = await arrange.municipality_with_schools(db)
    return await mentor_and_mentees(db, schools[0], mentor_tg=711, mentee_tgs=(712,))


async def _propose(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock, who: int, pair_id: int
) -> meetings.MeetingInfo:
    async with sessionmaker() as session:
        return await meetings.schedule(
            session,
            clock,
            who,
            pair_id,
            kind=MeetingKind.INTRO,
            starts_at=STARTS,
            fmt=MeetingFormat.OFFLINE,
            place="кабинет 3",
        )


async def _race(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock, s: PairSetup
) -> list[meetings.MeetingInfo | BaseException]:
    return list(
        await asyncio.gather(
            _propose(sessionmaker, clock, s.mentor.id, s.pair.id),
            _propose(sessionmaker, clock, s.mentees[0].id, s.pair.id),
            return_exceptions=True,
        )
    )


async def _open_meetings(sessionmaker: async_sessionmaker[AsyncSession], pair_id: int) -> int:
    async with sessionmaker() as session:
        return (
            await session.scalar(
                select(func.count())
                .select_from(Meeting)
                .where(Meeting.pair_id == pair_id, Meeting.status.in_(meetings.OPEN))
            )
            or 0
        )


def _one_refused_politely(results: list[meetings.MeetingInfo | BaseException]) -> None:
    proposed = [r for r in results if isinstance(r, meetings.MeetingInfo)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(proposed) == 1, results
    assert len(refused) == 1 and isinstance(refused[0], DomainError), results
    assert refused[0].code == "meeting.error.proposed_meanwhile"


async def test_two_simultaneous_proposals_make_one_meeting_on_postgresql(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    s = await _arrange(db)
    for _ in range(3):  # the race is timing: run it a few times, each must hold
        results = await _race(sessionmaker, clock, s)
        _one_refused_politely(results)
        assert await _open_meetings(sessionmaker, s.pair.id) == 1
        async with sessionmaker() as session:
            proposed = next(r for r in results if isinstance(r, meetings.MeetingInfo))
            await meetings.cancel(session, clock, s.mentor.id, proposed.id)


async def test_the_database_refuses_a_second_open_meeting_in_a_pair(db: AsyncSession) -> None:
    s = await _arrange(db)
    await meeting(db, s.pair, status=MeetingStatus.PROPOSED)
    # Closed meetings of the pair do not count...
    await meeting(db, s.pair, status=MeetingStatus.HELD)
    await meeting(db, s.pair, status=MeetingStatus.CANCELLED)
    with pytest.raises(IntegrityError):
        await meeting(db, s.pair, status=MeetingStatus.CONFIRMED)
    await db.rollback()


@pytest.fixture
async def lite(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_two_simultaneous_proposals_make_one_meeting_on_sqlite(
    lite: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    async with lite() as session:
        s = await _arrange(session)
    _one_refused_politely(await _race(lite, clock, s))
    assert await _open_meetings(lite, s.pair.id) == 1
