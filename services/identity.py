"""Who is behind an update, in one query: the per-update identity the bot builds for
every update (bot.middlewares.actor).

One SELECT of the participant's id, status, school and consent mark joined to their
role grants (one row per grant, or one row with NULLs), on the unique index of
telegram_id, sent on PostgreSQL by the driver outside any transaction (one round trip,
see `_rows`). Nothing else is
loaded: handlers that need the whole person load it through services
(participants.find_live).

Why no cache: a cache in the process would have to be invalidated on every grant,
revoke, approval, decline, withdrawal and school change, and with two workers also in
the other process (through Redis, or a TTL with a version counter in the database,
which is itself a query per update). A Redis lookup is a network round trip like this
indexed query (about 0.2 ms each on one host), so it would save nothing; roles are read
fresh on every update and are never stale. Measured (a trivial command through the
whole Dispatcher against a bare aiogram one, same run): the identity was 0.6 ms of the
0.8 ms the bot adds per update while it took three round trips, 0.35 with one through
SQLAlchemy, 0.1 sent by the driver. What would remove the rest is an in-process cache
emptied by PostgreSQL itself (a trigger on participants and role_grants that NOTIFYs
the Telegram id, LISTENed to by each worker, with a generation counter against a load
racing a change, and no cache while the listening connection is down or on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.util import greenlet_spawn

from models import Participant, ParticipantStatus, Role, RoleGrant
from models.db import autocommit
from services.access import Actor


@dataclass(frozen=True)
class Identity:
    actor: Actor
    # The consent version the person was last asked to renew (ConsentRenewalMiddleware
    # asks once per version without loading the participant).
    consent_asked_version: str | None = None


_IDENTITY = (
    select(
        Participant.id,
        Participant.status,
        Participant.school_id,
        Participant.consent_asked_version,
        RoleGrant.role,
        RoleGrant.school_id,
        RoleGrant.municipality_id,
        RoleGrant.region_id,
    )
    .outerjoin(RoleGrant, RoleGrant.participant_id == Participant.id)
    # The live row: any status but LEFT (its telegram_id is erased) and DECLINED (kept
    # only until the decline notice is out), as participants.find_live.
    .where(
        Participant.status != ParticipantStatus.DECLINED,
        Participant.telegram_id == bindparam("telegram_id"),
    )
)
"""Built once: SQLAlchemy memoizes a statement's cache key, so an update pays only for
running it; building it anew (``.where(...)`` per call) cost as much again."""


# _IDENTITY in PostgreSQL's own words, for the driver's connection (`_rows`). The
# statuses and roles are stored as their values (models.base.str_enum).
# tests/integration/test_identity.py checks both give the same rows.
_IDENTITY_SQL = (
    "SELECT p.id, p.status, p.school_id, p.consent_asked_version,"
    " g.role, g.school_id, g.municipality_id, g.region_id"
    " FROM participants AS p LEFT OUTER JOIN role_grants AS g ON g.participant_id = p.id"
    f" WHERE p.status != '{ParticipantStatus.DECLINED.value}' AND p.telegram_id = $1"
)


async def _rows(session: AsyncSession, telegram_id: int) -> Sequence[Sequence[Any]]:
    """On PostgreSQL, on a pooled connection outside the session's transaction, sent
    by the driver itself: one round trip instead of three (BEGIN, the SELECT, and the
    COMMIT that bot.outgoing sends before the update's first request to Telegram), and
    about 0.1 ms of CPU instead of 0.35 (SQLAlchemy's checkout, statement cache and
    result rows cost more than the query; measured alone, 96 against 354 µs). The
    statement sees the same committed rows either way (read committed); the update's
    own queries start their transaction when they need one, and an update that needs
    nothing else (a typed answer kept in the form's state, a calendar page) touches no
    transaction at all."""
    bind = session.bind
    if (
        session.in_transaction()
        or not isinstance(bind, AsyncEngine)
        or bind.dialect.name != "postgresql"  # SQLite: no round trips to save
    ):
        return (await session.execute(_IDENTITY, {"telegram_id": telegram_id})).all()
    pooled = await bind.raw_connection()
    driver = pooled.driver_connection
    assert driver is not None  # a connection checked out of the pool is open
    try:
        records = await driver.fetch(_IDENTITY_SQL, telegram_id)
    except Exception as error:
        # Most likely the server dropped this connection (a restart, an idle timeout:
        # asyncpg then raises one of several errors, some of them internal). The pool
        # forgets it, and the query goes through SQLAlchemy, which knows a dropped
        # connection when it sees one: it lets go of every connection as old as this
        # one and raises a DBAPIError the caller retries on (bot.middlewares.actor).
        # Any other failure fails there again, and is reported as such.
        await greenlet_spawn(pooled.invalidate, error)
        async with autocommit(bind).connect() as connection:
            params = {"telegram_id": telegram_id}
            return (await connection.execute(_IDENTITY, params)).all()
    finally:
        await greenlet_spawn(pooled.close)
    return [
        (
            r[0],
            ParticipantStatus(r[1]),
            r[2],
            r[3],
            None if r[4] is None else Role(r[4]),
            r[5],
            r[6],
            r[7],
        )
        for r in records
    ]


async def load(session: AsyncSession, telegram_id: int, *, is_admin: bool) -> Identity:
    rows = await _rows(session, telegram_id)
    if not rows:
        return Identity(Actor(telegram_id=telegram_id, is_admin=is_admin))
    first = rows[0]
    actor = Actor.of_grants(
        telegram_id,
        first[0],
        first[1],
        first[2],
        [(r[4], r[5], r[6], r[7]) for r in rows if r[4] is not None],
        is_admin=is_admin,
    )
    return Identity(actor, consent_asked_version=first[3])
