"""Invite deep links: per school (or municipality) and role, with expiry and a use limit."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Invite, Municipality, Role, School
from services import audit
from services.access import Actor, require_municipality, school_in_scope
from services.clock import Clock
from services.errors import AccessDenied, DomainError, NotFound


class InviteError(DomainError):
    """code is one of invite.unknown / invite.expired / invite.used_up / invite.used
    (a one-person link that has been used)."""


@dataclass(frozen=True)
class InviteInfo:
    code: str
    role: Role
    school_id: int | None
    school_name: str | None
    municipality_id: int
    municipality_name: str
    expires_at: dt.datetime
    max_uses: int
    uses: int


STAFF_ROLES = (Role.CURATOR, Role.COORDINATOR)


def roles_actor_may_invite(actor: Actor) -> list[Role]:
    roles: list[Role] = []
    if actor.curator_school_ids or actor.coordinator_municipality_ids or actor.is_admin:
        roles += [Role.MENTEE, Role.MENTOR]
    if actor.coordinator_municipality_ids or actor.is_admin:
        roles.append(Role.CURATOR)
    if actor.is_admin:
        roles.append(Role.COORDINATOR)
    return roles


async def create(
    session: AsyncSession,
    actor: Actor,
    *,
    role: Role,
    school_id: int | None = None,
    municipality_id: int | None = None,
    clock: Clock,
    days: int,
    max_uses: int,
    staff_hours: int = 72,
) -> InviteInfo:
    """A new invite. Curators invite mentees and mentors of their school; coordinators
    also curators; admins also coordinators of a municipality. A staff invite (curator,
    coordinator) is for one person and `staff_hours` only: a forwarded link must not
    make strangers staff."""
    if role not in roles_actor_may_invite(actor):
        raise AccessDenied()
    if role == Role.COORDINATOR:
        if municipality_id is None:
            raise NotFound()
        require_municipality(actor, municipality_id)
        if await session.get(Municipality, municipality_id) is None:
            raise NotFound()
        school_id = None
    else:
        if school_id is None:
            raise NotFound()
        school = await school_in_scope(session, actor, school_id)
        municipality_id = school.municipality_id
    now = clock.now()
    if role in STAFF_ROLES:
        lifetime, max_uses = dt.timedelta(hours=staff_hours), 1
    else:
        lifetime = dt.timedelta(days=days)
    invite = Invite(
        code=secrets.token_urlsafe(9),
        role=role,
        school_id=school_id,
        municipality_id=municipality_id,
        created_by_id=actor.participant_id,
        expires_at=now + lifetime,
        max_uses=max_uses,
    )
    session.add(invite)
    await session.flush()
    audit.record(
        session,
        now,
        "invite.created",
        actor_id=actor.participant_id,
        object_type="invite",
        object_id=invite.id,
    )
    await session.commit()
    return await info(session, invite)


async def info(session: AsyncSession, invite: Invite) -> InviteInfo:
    municipality = await session.get(Municipality, invite.municipality_id)
    school = await session.get(School, invite.school_id) if invite.school_id else None
    assert municipality is not None
    return InviteInfo(
        code=invite.code,
        role=invite.role,
        school_id=invite.school_id,
        school_name=school.name if school else None,
        municipality_id=municipality.id,
        municipality_name=municipality.name,
        expires_at=invite.expires_at,
        max_uses=invite.max_uses,
        uses=invite.uses,
    )


# Built once (checked on every /start and «Согласен» with a code). populate_existing:
# the session may hold the row from before another use was taken.
_BY_CODE = (
    select(Invite).where(Invite.code == bindparam("code")).execution_options(populate_existing=True)
)
_LOCKED_BY_CODE = _BY_CODE.with_for_update(of=Invite)


async def check(session: AsyncSession, code: str, clock: Clock, *, lock: bool = False) -> Invite:
    """The invite behind a code if it can still be used, else InviteError."""
    invite = await session.scalar(_LOCKED_BY_CODE if lock else _BY_CODE, {"code": code})
    if invite is None or invite.revoked:
        raise InviteError("invite.unknown")
    if invite.expires_at <= clock.now():
        raise InviteError("invite.expired")
    if invite.uses >= invite.max_uses:
        raise InviteError("invite.used" if invite.role in STAFF_ROLES else "invite.used_up")
    return invite


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
