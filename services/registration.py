"""Finishing the questionnaire, and the requests that wait for the curator (decided in
services.approvals)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Invite, Participant, ParticipantStatus, Role, RoleGrant, School
from services import audit, registration_notices
from services.access import Actor, managed_school_ids
from services.clock import Clock
from services.errors import DomainError, NotFound
from services.invites import InviteError, check
from services.participants import apply_answers
from services.questionnaire import Answers


@dataclass(frozen=True)
class Completion:
    status: ParticipantStatus
    role: Role
    # The invite ran out between /start and «Всё верно»: the request went to the curator.
    invite_fell_back: bool
    # Who gets a notice (participant ids, through the outbox): the approvers of a
    # pending request, or the author of the invite used.
    notified_ids: list[int]
    school_name: str | None


def grant(
    p: Participant,
    role: Role,
    *,
    school_id: int | None,
    municipality_id: int | None,
    region_id: int | None = None,
) -> bool:
    """Add the role unless held already; True if it was added."""
    if any(
        g.role == role
        and g.school_id == school_id
        and g.municipality_id == municipality_id
        and g.region_id == region_id
        for g in p.roles
    ):
        return False
    p.roles.append(
        RoleGrant(
            role=role, school_id=school_id, municipality_id=municipality_id, region_id=region_id
        )
    )
    return True


async def flush_grant(session: AsyncSession) -> bool:
    """Write a role just granted (`grant`). Two presses at once may both have found it
    missing and both added it: the database keeps one (uq_role_grants_scope), and the
    later press is then one that found it held: False, its transaction rolled back
    (the caller records and announces nothing)."""
    try:
        await session.flush()
    except IntegrityError as error:
        if "uq_role_grants_scope" not in str(error.orig):
            raise
        await session.rollback()
        return False
    return True


async def complete(
    session: AsyncSession,
    participant: Participant,
    *,
    answers: Answers,
    role: Role,
    school_id: int | None,
    invite_code: str | None,
    clock: Clock,
    admin_ids: Iterable[int] = (),
) -> Completion:
    """«Всё верно»: store the answers; an invite activates at once, else the curator decides."""
    attempt = functools.partial(
        _complete,
        session,
        participant,
        answers=answers,
        role=role,
        school_id=school_id,
        invite_code=invite_code,
        clock=clock,
        admin_ids=admin_ids,
    )
    try:
        return await attempt()
    except _InviteTakenMeanwhile:
        # Its last use went to someone else between the check and the end: as if it
        # had been used up before, the curator decides (the check now says so).
        await session.rollback()
        await session.refresh(participant)  # the rollback expired it
        return await attempt()


# What completing a registration writes or reads on the person.
_TOUCHED = ("roles", "mentee_profile", "mentor_profile", "catalogue_marks", "school")


class _InviteTakenMeanwhile(Exception):
    pass


async def _take_a_use(session: AsyncSession, invite_id: int, now: dt.datetime) -> None:
    """One use of the invite, in one statement just before the commit. Its row stays
    locked only from here to the commit: locked when it was checked, at the start, it
    was held through the whole completion (some twenty round trips), and teachers
    finishing at once with one code (a meeting where everybody registers) queued
    behind each other."""
    taken = await session.scalar(_TAKE_A_USE, {"invite_id": invite_id, "now": now})
    if taken is None:
        raise _InviteTakenMeanwhile


# Built once: SQLAlchemy then only runs it (one per completed registration).
_TAKE_A_USE = (
    update(Invite)
    .where(
        Invite.id == bindparam("invite_id"),
        Invite.uses < Invite.max_uses,
        Invite.revoked.is_(False),
        Invite.expires_at > bindparam("now"),
    )
    .values(uses=Invite.uses + 1)
    .returning(Invite.id)
)


async def _complete(
    session: AsyncSession,
    participant: Participant,
    *,
    answers: Answers,
    role: Role,
    school_id: int | None,
    invite_code: str | None,
    clock: Clock,
    admin_ids: Iterable[int],
) -> Completion:
    now = clock.now()
    # The caller may hold a row fresh from consent.give, its collections not loaded: load
    # what the answers touch, unless it is loaded already (the bot's «Всё верно» has just
    # read the person with all of it: five queries saved on the busiest step).
    unloaded = inspect(participant).unloaded
    missing = [name for name in _TOUCHED if name in unloaded]
    if missing:
        await session.refresh(participant, missing)
    invite = None
    fell_back = False
    if invite_code is not None:
        try:
            invite = await check(session, invite_code, clock)
        except InviteError:
            fell_back = True
            # Still the school and role the person was invited to; the curator decides.
            stale = await session.scalar(select(Invite).where(Invite.code == invite_code))
            if stale is not None and stale.role in (Role.MENTEE, Role.MENTOR):
                role, school_id = stale.role, stale.school_id
    if invite is not None:
        role, school_id = invite.role, invite.school_id
    if role not in (Role.MENTEE, Role.MENTOR) and invite is None:
        # Staff roles come only from an invite or a grant, never from self-registration.
        raise DomainError("registration.staff_needs_invite")
    if school_id is not None:
        school = await session.get(School, school_id)
        if school is None:
            raise NotFound()
    else:
        school = None

    apply_answers(participant, answers)
    participant.invite_code = None  # the registration is over, whichever way it ends
    if role in (Role.MENTEE, Role.MENTOR) or participant.school_id is None:
        participant.school_id = school_id if school_id is not None else participant.school_id
    notify: list[int] = []
    if invite is not None:
        grant(
            participant,
            role,
            school_id=invite.school_id if role != Role.COORDINATOR else None,
            municipality_id=invite.municipality_id if role == Role.COORDINATOR else None,
        )
        participant.status = ParticipantStatus.ACTIVE
        participant.registered_at = participant.registered_at or now
        if participant.requested_role == role:
            participant.requested_role = None  # the invite answered the pending request
        if invite.created_by_id is not None and invite.created_by_id != participant.id:
            notify = [invite.created_by_id]
            await registration_notices.invite_used(
                session,
                author_id=invite.created_by_id,
                newcomer_id=participant.id,
                role=role,
                now=now,
            )
        audit.record(
            session,
            now,
            "registration.by_invite",
            actor_id=participant.id,
            object_type="invite",
            object_id=invite.id,
        )
    elif participant.status == ParticipantStatus.ACTIVE:
        # Someone already in the programme took on another teacher role: the curator confirms.
        participant.requested_role = role
        audit.record(
            session,
            now,
            "registration.role_requested",
            actor_id=participant.id,
            object_type="participant",
            object_id=participant.id,
        )
        if participant.school_id is not None:
            notify = await registration_notices.approver_ids(
                session, participant.school_id, admin_ids
            )
    else:
        participant.status = ParticipantStatus.PENDING
        participant.requested_role = role
        participant.registered_at = now
        audit.record(
            session,
            now,
            "registration.pending",
            actor_id=participant.id,
            object_type="participant",
            object_id=participant.id,
        )
        if school_id is not None:
            notify = await registration_notices.approver_ids(session, school_id, admin_ids)
    if invite is None:
        await registration_notices.request(
            session, participant_id=participant.id, approvers=notify, now=now
        )
    else:
        await _take_a_use(session, invite.id, now)
    await session.commit()
    return Completion(
        status=participant.status,
        role=role,
        invite_fell_back=fell_back,
        notified_ids=notify,
        school_name=school.name if school else None,
    )


@dataclass(frozen=True)
class PendingItem:
    participant_id: int
    full_name: str
    role: Role
    school_name: str
    position: str | None
    subject: str | None
    experience_years: int | None


async def pending(session: AsyncSession, actor: Actor) -> list[PendingItem]:
    """Requests waiting for a decision, within the actor's scope only."""
    school_ids = await managed_school_ids(session, actor)
    query = (
        select(Participant)
        .where(Participant.requested_role.is_not(None), Participant.telegram_id.is_not(None))
        .where(Participant.status.in_([ParticipantStatus.PENDING, ParticipantStatus.ACTIVE]))
        .order_by(Participant.registered_at, Participant.id)
    )
    if school_ids is not None:
        query = query.where(Participant.school_id.in_(school_ids))
    rows = await session.scalars(query)
    return [_item(p) for p in rows if p.requested_role is not None]


async def pending_item(session: AsyncSession, participant_id: int) -> PendingItem | None:
    """One request if it still waits for a decision (for the notice to the approvers)."""
    p = await session.get(Participant, participant_id, populate_existing=True)
    if (
        p is None
        or p.requested_role is None
        or p.telegram_id is None
        or p.status not in (ParticipantStatus.PENDING, ParticipantStatus.ACTIVE)
    ):
        return None
    return _item(p)


def _item(p: Participant) -> PendingItem:
    assert p.requested_role is not None
    return PendingItem(
        participant_id=p.id,
        full_name=p.full_name or "",
        role=p.requested_role,
        school_name=p.school.name if p.school else "",
        position=p.position,
        subject=p.subject,
        experience_years=p.experience_years,
    )
