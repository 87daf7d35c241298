"""The curator's decision on a request (self-registration, or a member's extra role).

Two staff members may press «Подтвердить» and «Отклонить» on the same request at once:
the decision is taken by whoever clears requested_role first. The row is locked
(FOR UPDATE on PostgreSQL) and cleared by a conditional UPDATE checked by its rowcount,
which alone is enough on SQLite (one writer at a time). The loser changes nothing and
queues nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models import Participant, ParticipantStatus, Role
from services import audit, registration_notices
from services.access import Actor, school_in_scope
from services.clock import Clock
from services.consent import erase_person
from services.errors import DomainError
from services.registration import grant


@dataclass(frozen=True)
class Decision:
    role: Role
    approved: bool
    full_name: str


async def _claim(
    session: AsyncSession, actor: Actor, participant_id: int
) -> tuple[Participant, Role]:
    """The request's person, now decided by this transaction; else already_decided."""
    p = await session.scalar(
        select(Participant)
        .where(Participant.id == participant_id)
        .with_for_update(of=Participant)  # ignored by SQLite; the UPDATE below decides there
        .execution_options(populate_existing=True)
    )
    if p is None or p.requested_role is None or p.telegram_id is None or p.school_id is None:
        raise DomainError("approval.already_decided")
    await school_in_scope(session, actor, p.school_id)
    role = p.requested_role
    taken = await session.execute(
        update(Participant)
        .where(Participant.id == p.id, Participant.requested_role.is_not(None))
        .values(requested_role=None)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        raise DomainError("approval.already_decided")
    set_committed_value(p, "requested_role", None)
    return p, role


async def approve(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> Decision:
    p, role = await _claim(session, actor, participant_id)
    now = clock.now()
    grant(p, role, school_id=p.school_id, municipality_id=None)
    p.status = ParticipantStatus.ACTIVE
    audit.record(
        session,
        now,
        "registration.approved",
        actor_id=actor.participant_id,
        object_type="participant",
        object_id=p.id,
    )
    await registration_notices.decided(
        session, participant_id=p.id, role=role, approved=True, now=now
    )
    decision = Decision(role, True, p.full_name or "")
    await session.commit()
    return decision


async def decline(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> Decision:
    """Decline a request. A newcomer's personal data is erased: they are not in the
    programme, so there is nothing to keep it for. A member asking for a second role
    just keeps the roles they had."""
    p, role = await _claim(session, actor, participant_id)
    decision = Decision(role, False, p.full_name or "")
    now = clock.now()
    if p.status == ParticipantStatus.PENDING:
        telegram_id = p.telegram_id
        await erase_person(session, p, now)
        # The one thing kept: the chat to tell them in. The sender blanks it once the
        # decline notice is delivered or given up (outbox_claims.forget_declined).
        p.telegram_id = telegram_id
        p.status = ParticipantStatus.DECLINED
    audit.record(
        session,
        now,
        "registration.declined",
        actor_id=actor.participant_id,
        object_type="participant",
        object_id=p.id,
    )
    await registration_notices.decided(
        session, participant_id=p.id, role=role, approved=False, now=now
    )
    await session.commit()
    return decision
