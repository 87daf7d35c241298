"""Engine and session factory. Built by the application, never at import time."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

_WROTE = "nastavnik.wrote"
_MEMO = "nastavnik.memo"


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 20, max_overflow: int = 10
) -> AsyncEngine:
    # hide_parameters: SQL errors end up in logs, and parameters carry names and answers.
    #
    # No pool_pre_ping: with asyncpg a ping is three round trips (BEGIN, ";", ROLLBACK),
    # paid at every checkout, and an update checks out once or twice (bot.outgoing ends
    # a reading transaction before each request to Telegram): a third of the database
    # round trips of a registration step. A connection PostgreSQL dropped (a restart) is
    # found at its first use instead: SQLAlchemy then discards every pooled connection
    # older than that moment, and the update's first query, who sent it
    # (bot.middlewares.actor), is tried once more on a fresh connection.
    #
    # A pool of 20 kept connections (SQLAlchemy's default is 5): at 100 updates a second
    # more than 5 are often in use at once, and every connection past the kept ones was
    # opened and closed again: 59 in a 20-second run, each a new PostgreSQL process and
    # a new PREPARE of every statement it ran.
    pool: dict[str, Any] = {}
    if url.startswith("postgresql"):
        pool = {"pool_size": pool_size, "max_overflow": max_overflow}
    engine = create_async_engine(url, echo=echo, hide_parameters=True, **pool)
    if engine.dialect.name == "sqlite":
        _enable_sqlite_foreign_keys(engine.sync_engine)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=TrackedSession)


class TrackedSession(Session):
    """A Session that knows whether its transaction has written anything (see
    `holds_writes`): the bot ends a transaction that only read before it waits for
    Telegram, and must never end one that wrote."""


@event.listens_for(TrackedSession, "after_flush")
def _flushed(session: Session, _flush_context: UOWTransaction) -> None:
    session.info[_WROTE] = True
    session.info.pop(_MEMO, None)


@event.listens_for(TrackedSession, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    # INSERT/UPDATE/DELETE or text() through session.execute, and locking reads: a
    # commit would end them (or release their locks), so they count as writes.
    statement: Any = state.statement
    if not state.is_select or getattr(statement, "_for_update_arg", None) is not None:
        state.session.info[_WROTE] = True
        state.session.info.pop(_MEMO, None)


@event.listens_for(TrackedSession, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


@event.listens_for(TrackedSession, "after_soft_rollback")
def _rolled_back(session: Session, _previous: SessionTransaction) -> None:
    session.info.pop(_MEMO, None)


def holds_writes(session: AsyncSession) -> bool:
    """True if the session's transaction wrote (or locked) anything, or has changes not
    yet flushed; False for a transaction that only read, or none at all."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


_AUTOCOMMIT: weakref.WeakKeyDictionary[AsyncEngine, AsyncEngine] = weakref.WeakKeyDictionary()


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The engine's autocommit twin (same pool; the isolation level is put back on
    each connection when it returns to the pool), made once per engine."""
    twin = _AUTOCOMMIT.get(engine)
    if twin is None:
        twin = _AUTOCOMMIT[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return twin


async def read_rows(
    session: AsyncSession, statement: Executable, params: Mapping[str, Any]
) -> Sequence[Any]:  # rows: Row, unpacked by the caller
    """Plain columns read for the update's view (no ORM objects). While the session has
    no transaction going, on PostgreSQL, the statement runs on a pooled connection in
    autocommit: one round trip instead of three (BEGIN, the SELECT, and the COMMIT that
    bot.outgoing sends before the reply), and no session machinery; one statement sees
    committed rows either way (read committed). Inside a transaction (adding an object
    begins one) it is the session's own read, which sees what the transaction wrote and
    flushes what was added."""
    bind = session.bind
    if (
        session.in_transaction()
        or not isinstance(bind, AsyncEngine)
        or bind.dialect.name != "postgresql"  # SQLite: no round trips to save
    ):
        return (await session.execute(statement, params)).all()
    async with autocommit(bind).connect() as connection:
        return (await connection.execute(statement, params)).all()


def read_memo(session: AsyncSession) -> dict[Any, Any]:
    """Values read from the database that several steps of one update ask for (the pair
    card a button, the dialog's start and its window all show), kept until the session
    writes anything or rolls back. Values built from rows, or the session's own objects
    (the identity map keeps those only weakly: asked for again once nothing holds them,
    they would be a query again); nothing that changes them may skip the flush."""
    memo: dict[Any, Any] = session.info.setdefault(_MEMO, {})
    return memo


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    # SQLite ignores ON DELETE rules unless asked per connection.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()
