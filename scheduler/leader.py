"""Electing the one instance that sends (several bot processes may run, e.g. webhook
workers). PostgreSQL: a session-level advisory lock held on a dedicated connection, so
it lasts as long as the process and its connection do and ends with them. SQLite (and
anywhere else): a LeaderLock row with an expiry, renewed on each tick."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import uuid
from typing import Protocol

from sqlalchemy import delete, or_, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from models import LeaderLock
from services.clock import Clock

log = logging.getLogger(__name__)

LOCK_NAME = "scheduler"
# pg advisory locks are per database: any constant works; this is "nastavnk" in ASCII.
ADVISORY_KEY = 0x6E61737461766E6B


class Leader(Protocol):
    async def acquire(self) -> bool:
        """Become or stay the leader; True while this instance leads. Call on each tick."""

    async def release(self) -> None: ...


def instance_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class AdvisoryLockLeader:
    def __init__(self, engine: AsyncEngine, *, key: int = ADVISORY_KEY) -> None:
        self.engine = engine
        self.key = key
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()  # one statement at a time on the held connection

    @property
    def is_leader(self) -> bool:
        return self._conn is not None

    async def acquire(self) -> bool:
        async with self._lock:
            if self._conn is not None:
                try:
                    if await self._still_held(self._conn):
                        return True
                    log.warning("the leader lock was lost with its connection")
                except Exception as exc:
                    log.warning("leader connection lost: %s", type(exc).__name__)
                await self._discard()  # then try to take the lock anew
            conn = await self.engine.connect()
            try:
                got = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
                await conn.commit()  # the lock is the session's; no transaction stays open
            except BaseException:
                await conn.close()
                raise
            if not got:
                await conn.close()
                return False
            self._conn = conn
            log.info("this instance is the scheduler leader")
            return True

    async def _still_held(self, conn: AsyncConnection) -> bool:
        # Not just "SELECT 1": SQLAlchemy silently reconnects an invalidated connection,
        # and a new server session does not hold the old one's lock.
        held = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND classid = :hi AND objid = :lo AND objsubid = 1"
            ),
            {"hi": self.key >> 32, "lo": self.key & 0xFFFFFFFF},
        )
        await conn.commit()
        return bool(held)

    async def release(self) -> None:
        async with self._lock:
            if self._conn is None:
                return
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                await self._conn.commit()
                await self._conn.close()
            except Exception:
                await self._discard()
            self._conn = None

    async def _discard(self) -> None:
        # Never hand a connection that may still hold the lock back to the pool.
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.invalidate()
                await conn.close()
            except Exception as exc:
                log.debug("closing a broken leader connection: %s", type(exc).__name__)


class LockRowLeader:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        holder: str | None = None,
        ttl: dt.timedelta = dt.timedelta(seconds=30),
        name: str = LOCK_NAME,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.holder = holder or instance_name()
        self.ttl = ttl
        self.name = name
        self.is_leader = False
        self._lock = asyncio.Lock()

    async def acquire(self) -> bool:
        async with self._lock, self.sessionmaker() as session:
            now = self.clock.now()
            result = await session.execute(
                update(LeaderLock)
                .where(
                    LeaderLock.name == self.name,
                    or_(LeaderLock.holder == self.holder, LeaderLock.expires_at <= now),
                )
                .values(holder=self.holder, expires_at=now + self.ttl)
                .execution_options(synchronize_session=False)
            )
            got = bool(result.rowcount)  # type: ignore[attr-defined]
            if not got:
                dialect = session.get_bind().dialect.name
                insert = pg_insert if dialect == "postgresql" else sqlite_insert
                inserted = await session.execute(
                    insert(LeaderLock)
                    .values(name=self.name, holder=self.holder, expires_at=now + self.ttl)
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                got = bool(inserted.rowcount)  # type: ignore[attr-defined]
            await session.commit()
        if got and not self.is_leader:
            log.info("this instance is the scheduler leader")
        self.is_leader = got
        return got

    async def release(self) -> None:
        async with self._lock, self.sessionmaker() as session:
            await session.execute(
                delete(LeaderLock).where(
                    LeaderLock.name == self.name, LeaderLock.holder == self.holder
                )
            )
            await session.commit()
        self.is_leader = False


def create_leader(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock
) -> Leader:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeader(engine)
    return LockRowLeader(sessionmaker, clock)
