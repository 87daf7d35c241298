"""Finishing the questionnaire, and the curator's approval of self-registrations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Invite, Participant, ParticipantStatus, Role, RoleGrant, School
from services import audit
from services.access import Actor, managed_school_ids, school_in_scope
from services.clock import Clock
from services.consent import erase_person
from services.errors import DomainError, NotFound
from services.invites import InviteError, check
from services.participants import apply_answers, approvers_of
from services.questionnaire import Answers


@dataclass(frozen=True)
class Completion:
    status: ParticipantStatus
    role: Role
    # The invite ran out between /start and «Всё верно»: the request went to the curator.
    invite_fell_back: bool
    # Who to tell: the approvers of a pending request, or the author of the invite used.
    notify_ids: list[int]
    school_name: str | None


def grant(
    p: Participant, role: Role, *, school_id: int | None, municipality_id: int | None
) -> None:
    if any(
        g.role == role and g.school_id == school_id and g.municipality_id == municipality_id
        for g in p.roles
    ):
        return
    p.roles.append(RoleGrant(role=role, school_id=school_id, municipality_id=municipality_id))


async def complete(
    session: AsyncSession,
    participant: Participant,
    *,
    answers: Answers,
    role: Role,
    school_id: int | None,
    invite_code: str | None,
    clock: Clock,
) -> Completion:
    """«Всё верно»: store the answers; an invite activates at once, else the curator decides."""
    now = clock.now()
    # The caller may hold a row fresh from consent.give: load what the answers touch.
    await session.refresh(
        participant, ["roles", "mentee_profile", "mentor_profile", "catalogue_marks", "school"]
    )
    invite = None
    fell_back = False
    if invite_code is not None:
        try:
            invite = await check(session, invite_code, clock, lock=True)
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
        invite.uses += 1
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
        if invite.created_by_id is not None:
            creator = await session.get(Participant, invite.created_by_id)
            if creator is not None and creator.telegram_id is not None:
                notify.append(creator.telegram_id)
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
            notify = await approvers_of(session, participant.school_id)
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
            notify = await approvers_of(session, school_id)
    await session.commit()
    return Completion(
        status=participant.status,
        role=role,
        invite_fell_back=fell_back,
        notify_ids=notify,
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
    return [
        PendingItem(
            participant_id=p.id,
            full_name=p.full_name or "",
            role=p.requested_role,
            school_name=p.school.name if p.school else "",
            position=p.position,
            subject=p.subject,
            experience_years=p.experience_years,
        )
        for p in rows
        if p.requested_role is not None
    ]


@dataclass(frozen=True)
class Decision:
    telegram_id: int
    role: Role
    approved: bool
    full_name: str


async def _pending_in_scope(
    session: AsyncSession, actor: Actor, participant_id: int
) -> Participant:
    p = await session.get(Participant, participant_id)
    if p is None or p.requested_role is None or p.telegram_id is None or p.school_id is None:
        raise DomainError("approval.already_decided")
    await school_in_scope(session, actor, p.school_id)
    return p


async def approve(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> Decision:
    p = await _pending_in_scope(session, actor, participant_id)
    role = p.requested_role
    assert role is not None and p.telegram_id is not None
    grant(p, role, school_id=p.school_id, municipality_id=None)
    p.status = ParticipantStatus.ACTIVE
    p.requested_role = None
    audit.record(
        session,
        clock.now(),
        "registration.approved",
        actor_id=actor.participant_id,
        object_type="participant",
        object_id=p.id,
    )
    decision = Decision(p.telegram_id, role, True, p.full_name or "")
    await session.commit()
    return decision


async def decline(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> Decision:
    """Decline a request. A newcomer's personal data is erased: they are not in the
    programme, so there is nothing to keep it for. A member asking for a second role
    just keeps the roles they had."""
    p = await _pending_in_scope(session, actor, participant_id)
    role = p.requested_role
    assert role is not None and p.telegram_id is not None
    decision = Decision(p.telegram_id, role, False, p.full_name or "")
    now = clock.now()
    p.requested_role = None
    if p.status == ParticipantStatus.PENDING:
        await erase_person(session, p, now)
        p.status = ParticipantStatus.DECLINED
    audit.record(
        session,
        now,
        "registration.declined",
        actor_id=actor.participant_id,
        object_type="participant",
        object_id=p.id,
    )
    await session.commit()
    return decision
