"""Counting the statements an engine sends: through SQLAlchemy, and the one the bot
sends through the driver itself (services.identity's query; SQLAlchemy's asyncpg
dialect runs prepared statements and never calls Connection.fetch)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import asyncpg.transaction
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    driver_fetch = asyncpg.Connection.fetch

    async def fetch(self: asyncpg.Connection, query: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(query)
        return await driver_fetch(self, query, *args, **kwargs)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    asyncpg.Connection.fetch = fetch  # type: ignore[method-assign, assignment]
    try:
        yield statements
    finally:
        asyncpg.Connection.fetch = driver_fetch  # type: ignore[method-assign]
        event.remove(engine.sync_engine, "before_cursor_execute", count)


def counting_transactions(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The transactions begun from now on (asyncpg's BEGIN), in a list."""
    begun: list[object] = []
    start = asyncpg.transaction.Transaction.start

    async def counted_start(self: asyncpg.transaction.Transaction) -> None:
        begun.append(self)
        await start(self)

    monkeypatch.setattr(asyncpg.transaction.Transaction, "start", counted_start)
    return begun
