"""The catalogue's active items are read once per process and kept for KEPT_FOR
seconds (services.catalogue): a tick in the questionnaire no longer costs a
transaction; an edit made in the database shows once they are read again."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services import catalogue


async def test_read_once_then_kept_then_read_again(
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    now = [10_000_000.0]  # later than anything another test kept
    monkeypatch.setattr(catalogue, "monotonic", lambda: now[0])
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with sessionmaker() as session:
            first = await catalogue.active_items(session)
            assert len(statements) == 1 and "catalogue_items" in statements[0]
            assert [e.title for e in first][:1] == ["Рабочая программа и КТП"]

        now[0] += catalogue.KEPT_FOR - 1
        async with sessionmaker() as session:
            kept = await catalogue.active_items(session)
        assert kept == first and len(statements) == 1  # no query
        kept.clear()  # a caller's list is its own
        async with sessionmaker() as session:
            assert await catalogue.active_items(session) == first

        now[0] += 2  # past KEPT_FOR since the read
        async with sessionmaker() as session:
            again = await catalogue.active_items(session)
        assert again == first and len(statements) == 2
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
