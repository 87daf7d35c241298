"""What one update reads more than once is read once (models.db.read_memo), and never
outlives a write: the pair card after «✅ Записать» shows the meeting just logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models import MeetingKind, Pair, PairStatus
from models.db import read_memo
from services import meetings
from services.clock import FixedClock
from services.errors import AccessDenied, DomainError, NotFound
from tests import arrange


def _count(statements: list[str]) -> Callable[..., None]:
    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    return count


async def test_the_card_is_read_once_until_a_write(
    db: AsyncSession, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    a = await arrange.school_with_pair(db, tg=900, next_kind=MeetingKind.REGULAR, curator=False)
    mentor = a.mentor.id
    clock = FixedClock(arrange.NOW)
    statements: list[str] = []
    listener = _count(statements)
    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        async with sessionmaker() as session:
            first = await meetings.card_of(session, mentor, a.pair.id)
            reads = len(statements)
            again = await meetings.card_of(session, mentor, a.pair.id)
            assert again is first
            assert len(statements) == reads  # not a query more

            logged = await meetings.log_unscheduled(
                session,
                clock,
                mentor,
                a.pair.id,
                kind=MeetingKind.REGULAR,
                starts_at=arrange.NOW - dt.timedelta(hours=2),
                duration_min=45,
            )
            after = await meetings.card_of(session, mentor, a.pair.id)
            assert after.held_count == first.held_count + 1
            assert logged.meeting.pair_id == a.pair.id
            # The final meeting may now be chosen: the regular one counted.
            assert MeetingKind.FINAL in after.kinds
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)


async def test_any_write_or_rollback_forgets(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    a = await arrange.school_with_pair(db, tg=910, curator=False)
    async with sessionmaker() as session:
        await meetings.card_of(session, a.mentor.id, a.pair.id)
        assert read_memo(session)

        # A Core UPDATE through the session (no flush of objects).
        await session.execute(
            update(Pair).where(Pair.id == a.pair.id).values(status=PairStatus.PAUSED)
        )
        assert not read_memo(session)
        card = await meetings.card_of(session, a.mentor.id, a.pair.id)
        assert card.status == PairStatus.PAUSED

        await session.rollback()  # the pause is undone: so is what was read meanwhile
        assert not read_memo(session)
        card = await meetings.card_of(session, a.mentor.id, a.pair.id)
        assert card.status == PairStatus.ACTIVE


async def test_a_card_not_yours_or_closed_says_why(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    a = await arrange.school_with_pair(db, tg=920, curator=False)
    b = await arrange.school_with_pair(db, tg=930, curator=False)
    async with sessionmaker() as session:
        with pytest.raises(AccessDenied):
            await meetings.card_of(session, a.mentor.id, b.pair.id)
        with pytest.raises(NotFound):
            await meetings.card_of(session, a.mentor.id, 10_000)
        await session.execute(
            update(Pair).where(Pair.id == a.pair.id).values(status=PairStatus.ENDED)
        )
        with pytest.raises(DomainError) as refused:
            await meetings.card_of(session, a.mentor.id, a.pair.id)
        assert refused.value.code == "meeting.error.pair_closed"
        assert not isinstance(refused.value, AccessDenied)
