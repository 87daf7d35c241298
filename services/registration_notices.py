"""Outbox rows for registration and roles: to the invite's author, to the approvers,
to the person decided about or granted a role. Written in the caller's transaction
(the caller commits); payloads hold ids and role codes only."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Participant, ParticipantStatus, Role, RoleGrant, School
from services import outbox
from services.outbox import Kind


def _key(kind: str, recipient_id: int) -> str:
    # Each of these rows is one event of one transaction: nothing to deduplicate, and a
    # fixed key would swallow a second, real event (a request declined, then made again).
    return f"{kind}:{recipient_id}:{uuid.uuid4().hex}"


async def approver_ids(
    session: AsyncSession, school_id: int, admin_telegram_ids: Iterable[int] = ()
) -> list[int]:
    """Participant ids of who approves a school's newcomers: its curators, else the
    municipality's coordinators, else the admins who are in the bot's base (an admin
    with no participant row sees requests in /pending)."""
    live = (Participant.status == ParticipantStatus.ACTIVE, Participant.telegram_id.is_not(None))
    curators = await session.scalars(
        select(Participant.id)
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .where(RoleGrant.role == Role.CURATOR, RoleGrant.school_id == school_id, *live)
    )
    ids = sorted(set(curators))
    if ids:
        return ids
    school = await session.get(School, school_id)
    if school is not None:
        coordinators = await session.scalars(
            select(Participant.id)
            .join(RoleGrant, RoleGrant.participant_id == Participant.id)
            .where(
                RoleGrant.role == Role.COORDINATOR,
                RoleGrant.municipality_id == school.municipality_id,
                *live,
            )
        )
        ids = sorted(set(coordinators))
        if ids:
            return ids
    admins = list(admin_telegram_ids)
    if not admins:
        return []
    rows = await session.scalars(
        select(Participant.id).where(Participant.telegram_id.in_(admins), *live)
    )
    return sorted(set(rows))


async def invite_used(
    session: AsyncSession, *, author_id: int, newcomer_id: int, role: Role, now: dt.datetime
) -> None:
    await outbox.enqueue(
        session,
        recipient_id=author_id,
        kind=Kind.REG_INVITE_USED,
        due_at=now,
        now=now,
        dedupe_key=_key(Kind.REG_INVITE_USED, author_id),
        payload={"participant_id": newcomer_id, "role": role.value},
    )


async def request(
    session: AsyncSession, *, participant_id: int, approvers: list[int], now: dt.datetime
) -> None:
    for recipient in approvers:
        await outbox.enqueue(
            session,
            recipient_id=recipient,
            kind=Kind.REG_REQUEST,
            due_at=now,
            now=now,
            dedupe_key=_key(Kind.REG_REQUEST, recipient),
            payload={"participant_id": participant_id},
        )


async def decided(
    session: AsyncSession, *, participant_id: int, role: Role, approved: bool, now: dt.datetime
) -> None:
    kind = Kind.REG_APPROVED if approved else Kind.REG_DECLINED
    await outbox.enqueue(
        session,
        recipient_id=participant_id,
        kind=kind,
        due_at=now,
        now=now,
        dedupe_key=_key(kind, participant_id),
        payload={"role": role.value},
    )


async def role_granted(
    session: AsyncSession,
    *,
    participant_id: int,
    role: Role,
    school_id: int | None,
    municipality_id: int | None,
    now: dt.datetime,
    region_id: int | None = None,
) -> None:
    payload: dict[str, int | str | None] = {
        "role": role.value,
        "school_id": school_id,
        "municipality_id": municipality_id,
    }
    if region_id is not None:
        payload["region_id"] = region_id
    await outbox.enqueue(
        session,
        recipient_id=participant_id,
        kind=Kind.ROLE_GRANTED,
        due_at=now,
        now=now,
        dedupe_key=_key(Kind.ROLE_GRANTED, participant_id),
        payload=payload,
    )
