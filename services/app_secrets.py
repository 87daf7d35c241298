"""Secrets the application keeps for itself: the consent HMAC key, taken from the
settings or, when none is configured, generated once and stored in the database."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import AppSecret

CONSENT_HMAC = "consent_hmac"


async def stored(session: AsyncSession, name: str, now: dt.datetime) -> bytes:
    """The stored secret, created on first use. Two processes racing to create it both
    end up with the row that won (insert … on conflict do nothing, then read)."""
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
    return value.encode("ascii")


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
