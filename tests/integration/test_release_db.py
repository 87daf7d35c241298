"""Before a request to Telegram, the update's transaction is ended only if it read: the
objects it loaded stay usable; a transaction that wrote, locked or has unflushed changes
is neither committed nor rolled back (and says so at debug level)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outgoing.release_db import release_read_transaction, update_session
from models import Municipality, Participant, ParticipantStatus


async def arranged(db: AsyncSession) -> int:
    person = Participant(telegram_id=820_000_001, status=ParticipantStatus.ACTIVE)
    db.add(person)
    await db.commit()
    return person.id


async def test_a_read_transaction_is_ended_and_its_objects_stay_usable(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    person_id = await arranged(db)
    async with sessionmaker() as session:
        with update_session(session):
            person = await session.get(Participant, person_id)
            assert session.in_transaction()
            await release_read_transaction()
            assert not session.in_transaction()
            assert person is not None and person.telegram_id == 820_000_001
            # The session goes on: the next query simply takes a connection again.
            assert await session.scalar(select(func.count()).select_from(Participant)) == 1


@pytest.mark.parametrize("how", ["added", "flushed", "core_update", "locked", "dirty"])
async def test_a_transaction_that_wrote_is_left_alone(
    db: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
    how: str,
) -> None:
    person_id = await arranged(db)
    async with sessionmaker() as session:
        with update_session(session):
            person = await session.get(Participant, person_id)
            assert person is not None
            if how == "added":
                session.add(Municipality(name="Новый", timezone="Europe/Moscow"))
            elif how == "flushed":
                session.add(Municipality(name="Новый", timezone="Europe/Moscow"))
                await session.flush()
            elif how == "core_update":
                await session.execute(
                    update(Participant).where(Participant.id == person_id).values(full_name="X")
                )
            elif how == "locked":
                await session.execute(
                    select(Participant.id).where(Participant.id == person_id).with_for_update()
                )
            else:
                person.full_name = "X"
            with caplog.at_level(logging.DEBUG, logger="bot.outgoing.release_db"):
                await release_read_transaction()
            assert session.in_transaction()  # not committed...
            assert "holds writes" in caplog.text
            await session.rollback()  # ...so the use case may still roll it back
    assert await db.scalar(select(func.count()).select_from(Municipality)) == 0
    assert await db.scalar(select(Participant.full_name).where(Participant.id == person_id)) is None


async def test_after_a_commit_a_new_read_transaction_is_released_again(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    person_id = await arranged(db)
    async with sessionmaker() as session:
        with update_session(session):
            await session.execute(
                update(Participant).where(Participant.id == person_id).values(full_name="Y")
            )
            await session.commit()  # the use case committed its write
            await session.get(Participant, person_id)
            await release_read_transaction()
            assert not session.in_transaction()


async def test_outside_an_update_nothing_is_touched(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await arranged(db)
    async with sessionmaker() as session:
        await session.scalar(select(func.count()).select_from(Participant))
        await release_read_transaction()  # the scheduler's sends: no update session
        assert session.in_transaction()
