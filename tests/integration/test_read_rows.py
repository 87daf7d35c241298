"""models.db.read_rows: a view's plain read outside the session's transaction when
there is none (no BEGIN), and the session's own read when there is one or when objects
wait to be flushed (they must be seen)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Municipality
from models.db import read_rows
from tests.statements import counting_transactions

_COUNT = select(func.count()).select_from(Municipality)


async def test_a_read_outside_a_transaction_begins_none(
    sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sessionmaker() as session:  # the engine's first connection set up
        before = (await read_rows(session, _COUNT, {}))[0][0]
    begun = counting_transactions(monkeypatch)
    async with sessionmaker() as session:
        rows = await read_rows(session, _COUNT, {})
        assert rows[0][0] == before
        assert not session.in_transaction()
    assert begun == []


async def test_objects_not_yet_flushed_are_seen(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        before = (await read_rows(session, _COUNT, {}))[0][0]
        session.add(Municipality(name="Муниципалитет для read_rows", timezone="Europe/Moscow"))
        rows = await read_rows(session, _COUNT, {})
        assert rows[0][0] == before + 1
        await session.rollback()
