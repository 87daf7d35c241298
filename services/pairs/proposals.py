"""The mentor agrees first (art. 351.8 ТК РФ: mentoring only with the mentor's consent).

Forming a pair sends the mentor a proposal; the pair is formed, and both sides are
introduced, only when the mentor answers «Беру». «Не могу» needs a reason, tells the
curator, and keeps that mentor away from that mentee in later suggestions. A proposal
unanswered for REMIND_AFTER working days is reminded; after RETURN_AFTER more it goes
back to the curator. The days are the school's working days (services.working_days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    PairProposal,
    Participant,
    ParticipantStatus,
    ProposalStatus,
    Role,
    School,
)
from services import audit, outbox, programmes, working_days
from services.access import Actor, managed_school_ids
from services.clock import Clock, local_today, next_allowed
from services.errors import DomainError, NotFound
from services.matching import is_unmatched, mentee_in_scope, waiting_for_mentee
from services.outbox import Kind
from services.pairs.forming import Formed, create, live_groups, mentor_for
from services.pairs.people import shown_members
from services.validation import clean_reason

REMIND_AFTER = 3  # working days
RETURN_AFTER = 3  # working days after the reminder


async def declined_mentors(session: AsyncSession, mentee_id: int) -> set[int]:
    """Mentors who said «Не могу» to this mentee: never proposed her again."""
    return set(
        await session.scalars(
            select(PairProposal.mentor_id).where(
                PairProposal.mentee_id == mentee_id,
                PairProposal.status == ProposalStatus.DECLINED,
            )
        )
    )


@dataclass(frozen=True)
class Proposed:
    proposal_id: int
    mentor_name: str
    mentee_name: str
    to_group: bool
    remind_on: dt.date
    return_on: dt.date


async def _lock_mentee(session: AsyncSession, mentee_id: int) -> None:
    # Two curators (or a curator and the mentor's «Беру») cannot act on her at once.
    await session.execute(
        select(Participant.id).where(Participant.id == mentee_id).with_for_update()
    )


async def propose(
    session: AsyncSession,
    actor: Actor,
    *,
    mentee_id: int,
    mentor_id: int,
    group_pair_id: int | None,
    order_number: str | None,
    order_date: dt.date | None,
    clock: Clock,
) -> Proposed:
    now = clock.now()
    await _lock_mentee(session, mentee_id)
    mentee = await mentee_in_scope(session, actor, mentee_id)
    if not await is_unmatched(session, mentee.id):
        raise DomainError("matching.already_paired")
    if await session.scalar(select(waiting_for_mentee(mentee.id))):
        raise DomainError("agreement.proposal.waiting")
    mentor = await mentor_for(session, mentee, mentor_id)
    if mentor.id in await declined_mentors(session, mentee.id):
        raise DomainError("agreement.proposal.declined_before")
    assert mentee.school_id is not None and mentee.school is not None
    if group_pair_id and group_pair_id not in {
        p.id for p in await live_groups(session, mentor.id, mentee.school_id)
    }:
        raise DomainError("matching.group_gone")
    today = local_today(now, mentee.school.timezone)
    calendar = await working_days.for_school(session, mentee.school_id, today)
    remind_on = calendar.add(today, REMIND_AFTER)
    proposal = PairProposal(
        school_id=mentee.school_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        group_pair_id=group_pair_id or None,
        order_number=order_number,
        order_date=order_date,
        proposed_by_id=actor.participant_id,
        status=ProposalStatus.WAITING,
        created_at=now,
        remind_on=remind_on,
        return_on=calendar.add(remind_on, RETURN_AFTER),
    )
    session.add(proposal)
    await session.flush()
    rules = await programmes.send_rules(session, mentee.school_id, today)
    await outbox.enqueue(
        session,
        recipient_id=mentor.id,
        kind=Kind.PAIR_PROPOSAL,
        due_at=next_allowed(now, rules, days_off_count=False),
        now=now,
        dedupe_key=f"pair.proposal:{proposal.id}",
        payload={"proposal_id": proposal.id},
    )
    audit.record(
        session,
        now,
        "pair.proposed",
        actor_id=actor.participant_id,
        object_type="pair_proposal",
        object_id=proposal.id,
    )
    result = Proposed(
        proposal_id=proposal.id,
        mentor_name=mentor.full_name or "",
        mentee_name=mentee.full_name or "",
        to_group=proposal.group_pair_id is not None,
        remind_on=proposal.remind_on,
        return_on=proposal.return_on,
    )
    await session.commit()
    return result


async def _own_waiting(
    session: AsyncSession, actor: Actor, proposal_id: int, *, lock: bool = True
) -> PairProposal:
    """The mentor's own waiting proposal (the id came from a button), locked to answer it."""
    if lock:
        await session.execute(
            select(PairProposal.id).where(PairProposal.id == proposal_id).with_for_update()
        )
    proposal = await session.get(PairProposal, proposal_id, populate_existing=True)
    if proposal is None or proposal.mentor_id != actor.participant_id:
        raise NotFound()
    if proposal.status != ProposalStatus.WAITING:
        raise DomainError(f"agreement.proposal.already.{proposal.status.value}")
    return proposal


async def _tell_curator(
    session: AsyncSession, proposal: PairProposal, kind: str, now: dt.datetime
) -> None:
    if proposal.proposed_by_id is None:
        return
    school = await session.get(School, proposal.school_id)
    assert school is not None
    rules = await programmes.send_rules(session, school.id, local_today(now, school.timezone))
    await outbox.enqueue(
        session,
        recipient_id=proposal.proposed_by_id,
        kind=kind,
        due_at=next_allowed(now, rules, days_off_count=False),
        now=now,
        dedupe_key=f"{kind}:{proposal.id}",
        payload={"proposal_id": proposal.id},
    )


def _mentee_can_be_paired(mentee: Participant) -> bool:
    return (
        mentee.status == ParticipantStatus.ACTIVE
        and mentee.telegram_id is not None
        and mentee.has_role(Role.MENTEE)
    )


async def accept(session: AsyncSession, actor: Actor, proposal_id: int, clock: Clock) -> Formed:
    """«Беру»: the pair is formed now and both sides are introduced."""
    now = clock.now()
    proposal = await _own_waiting(session, actor, proposal_id)
    await _lock_mentee(session, proposal.mentee_id)
    mentee = proposal.mentee
    await session.refresh(mentee)
    if not _mentee_can_be_paired(mentee) or not await is_unmatched(session, mentee.id):
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.answered_at = now
        await session.commit()
        raise DomainError("agreement.proposal.gone")
    mentor = await mentor_for(session, mentee, proposal.mentor_id)
    group = proposal.group_pair_id
    assert mentee.school_id is not None
    if group and group not in {
        p.id for p in await live_groups(session, mentor.id, mentee.school_id)
    }:
        group = None  # the group ended meanwhile: a pair of their own
    pair, joined = await create(
        session,
        mentee=mentee,
        mentor=mentor,
        group_pair_id=group,
        order_number=proposal.order_number,
        order_date=proposal.order_date,
        formed_by_id=proposal.proposed_by_id,
        now=now,
    )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.answered_at = now
    proposal.pair_id = pair.id
    await _tell_curator(session, proposal, Kind.PAIR_PROPOSAL_ANSWER, now)
    audit.record(
        session,
        now,
        "pair.proposal.accepted",
        actor_id=actor.participant_id,
        object_type="pair_proposal",
        object_id=proposal.id,
    )
    await session.commit()
    await session.refresh(pair, ["members"])
    return Formed(
        pair_id=pair.id,
        mentor_name=mentor.full_name or "",
        mentee_names=[m.mentee.full_name or "" for m in shown_members(pair)],
        joined_group=joined,
    )


async def check_own(session: AsyncSession, actor: Actor, proposal_id: int) -> None:
    """Before asking the reason: the proposal is the mentor's and still waits."""
    await _own_waiting(session, actor, proposal_id, lock=False)


async def decline(
    session: AsyncSession, actor: Actor, proposal_id: int, reason: str, clock: Clock
) -> None:
    """«Не могу», with a reason: the curator is told; this mentee is not proposed to this
    mentor again."""
    now = clock.now()
    reason = clean_reason(reason)
    proposal = await _own_waiting(session, actor, proposal_id)
    proposal.status = ProposalStatus.DECLINED
    proposal.answered_at = now
    proposal.decline_reason = reason
    await _tell_curator(session, proposal, Kind.PAIR_PROPOSAL_ANSWER, now)
    audit.record(
        session,
        now,
        "pair.proposal.declined",
        actor_id=actor.participant_id,
        object_type="pair_proposal",
        object_id=proposal.id,
    )
    await session.commit()


@dataclass(frozen=True)
class WaitingLine:
    proposal_id: int
    mentee_id: int
    mentee_name: str
    mentor_name: str
    proposed_on: dt.date
    remind_on: dt.date
    return_on: dt.date
    reminded: bool


async def waiting(session: AsyncSession, actor: Actor, limit: int = 20) -> list[WaitingLine]:
    """Proposals still waiting for the mentor's answer, in the actor's schools."""
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    school_ids = await managed_school_ids(session, actor)
    stmt = (
        select(PairProposal, School.timezone)
        .join(School, School.id == PairProposal.school_id)
        .where(PairProposal.status == ProposalStatus.WAITING)
        .order_by(PairProposal.created_at, PairProposal.id)
        .limit(limit)
    )
    if school_ids is not None:
        stmt = stmt.where(PairProposal.school_id.in_(school_ids))
    return [
        WaitingLine(
            proposal_id=p.id,
            mentee_id=p.mentee_id,
            mentee_name=p.mentee.full_name or "",
            mentor_name=p.mentor.full_name or "",
            proposed_on=local_today(p.created_at, zone),
            remind_on=p.remind_on,
            return_on=p.return_on,
            reminded=p.reminded_at is not None,
        )
        for p, zone in (await session.execute(stmt)).all()
    ]


async def tick(session: AsyncSession, now: dt.datetime) -> int:
    """Remind the mentor on remind_on, return the proposal to the curator on return_on
    (school-local dates). Runs from the planning tick; idempotent."""
    rows = (
        await session.execute(
            select(PairProposal, School.timezone)
            .join(School, School.id == PairProposal.school_id)
            .where(PairProposal.status == ProposalStatus.WAITING)
            .with_for_update(of=PairProposal, skip_locked=True)
        )
    ).all()
    changed = 0
    for proposal, zone in rows:
        today = local_today(now, zone)
        if today >= proposal.return_on:
            proposal.status = ProposalStatus.RETURNED
            proposal.answered_at = now
            await _tell_curator(session, proposal, Kind.PAIR_PROPOSAL_RETURNED, now)
            changed += 1
        elif today >= proposal.remind_on and proposal.reminded_at is None:
            proposal.reminded_at = now
            rules = await programmes.send_rules(session, proposal.school_id, today)
            await outbox.enqueue(
                session,
                recipient_id=proposal.mentor_id,
                kind=Kind.PAIR_PROPOSAL_REMINDER,
                due_at=next_allowed(now, rules),
                now=now,
                dedupe_key=f"pair.proposal.reminder:{proposal.id}",
                payload={"proposal_id": proposal.id},
            )
            changed += 1
    await session.commit()
    return changed
