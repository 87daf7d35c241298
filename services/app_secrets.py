"""Secrets the application keeps for itself: the consent HMAC key, taken from the
settings or, when none is configured, generated once and stored in the database."""

from __future__ import annotations

import datetime as dt
import secrets
import weakref

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import AppSecret

CONSENT_HMAC = "consent_hmac"

# Secrets read, per database: a stored secret never changes once created (nothing
# updates or deletes the row), so each process reads it once instead of on every
# «Согласен».
_READ: weakref.WeakKeyDictionary[Engine, dict[str, bytes]] = weakref.WeakKeyDictionary()


def forget_read() -> None:
    """The database was emptied under this process (the tests do it between tests)."""
    _READ.clear()


async def stored(session: AsyncSession, name: str, now: dt.datetime) -> bytes:
    """The stored secret, created on first use. Two processes racing to create it both
    end up with the row that won (insert … on conflict do nothing, then read)."""
    engine = session.get_bind().engine
    known = _READ.setdefault(engine, {})
    if name in known:
        return known[name]
    value = await session.scalar(select(AppSecret.value).where(AppSecret.name == name))
    if value is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        await session.execute(
            insert(AppSecret)
            .values(name=name, value=secrets.token_hex(32), created_at=now)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        value = await session.scalar(select(AppSecret.value).where(AppSecret.name == name))
    assert value is not None
    known[name] = value.encode("ascii")
    return known[name]


async def consent_keys(
    session: AsyncSession, configured: str | None, now: dt.datetime
) -> list[bytes]:
    """Keys to hash a Telegram id with, the one to write first. The stored key stays a
    candidate after an operator configures one, so older records can still be proven."""
    keys = [configured.encode("utf-8")] if configured else []
    keys.append(await stored(session, CONSENT_HMAC, now))
    return keys


async def consent_write_key(
    session: AsyncSession, configured: str | None, now: dt.datetime
) -> bytes:
    """The key a new record is hashed with (the first of `consent_keys`): the configured
    one needs no read of the stored key."""
    if configured:
        return configured.encode("utf-8")
    return await stored(session, CONSENT_HMAC, now)
