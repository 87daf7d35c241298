"""Who is behind an update, in one query: the per-update identity the bot builds for
every update (bot.middlewares.actor).

One SELECT of the participant's id, status, school and consent mark joined to their
role grants (one row per grant, or one row with NULLs), on the unique index of
telegram_id. Nothing else is loaded: handlers that need the whole person load it
through services (participants.find_live).

Why no cache: a cache in the process would have to be invalidated on every grant,
revoke, approval, decline, withdrawal and school change, and with two workers also in
the other process (through Redis, or a TTL with a version counter in the database,
which is itself a query per update). A Redis lookup is a network round trip like this
indexed query (about 0.2 ms each on one host), so it would save nothing; roles are read
fresh on every update and are never stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Participant, ParticipantStatus, RoleGrant
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


async def load(session: AsyncSession, telegram_id: int, *, is_admin: bool) -> Identity:
    rows = (await session.execute(_IDENTITY, {"telegram_id": telegram_id})).all()
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
