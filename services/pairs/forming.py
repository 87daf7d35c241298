"""Forming a pair, or adding a mentee to the mentor's group (a use case, one
transaction), and the draft the curator confirms first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    MeetingKind,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Role,
)
from services import audit, outbox, programmes
from services.access import Actor
from services.clock import Clock, local_today, next_allowed
from services.errors import DomainError
from services.matching import current_mentees, is_unmatched, mentee_in_scope
from services.outbox import Kind
from services.pairs.people import shown_members


@dataclass(frozen=True)
class GroupOption:
    pair_id: int
    mentees: list[str]


@dataclass(frozen=True)
class Draft:
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    school_name: str
    free_places: int
    capacity: int
    groups: list[GroupOption]


async def mentor_for(session: AsyncSession, mentee: Participant, mentor_id: int) -> Participant:
    mentor = await session.get(Participant, mentor_id)
    if (
        mentor is None
        or mentor.id == mentee.id
        or mentor.status != ParticipantStatus.ACTIVE
        or mentor.telegram_id is None
        or not mentor.has_role(Role.MENTOR)
        or mentor.school is None
        or mentee.school is None
        or mentor.school.municipality_id != mentee.school.municipality_id
    ):
        raise DomainError("matching.mentor_gone")
    return mentor


async def live_groups(session: AsyncSession, mentor_id: int, school_id: int) -> list[Pair]:
    return list(
        await session.scalars(
            select(Pair)
            .where(
                Pair.mentor_id == mentor_id,
                Pair.school_id == school_id,
                Pair.status.in_(LIVE_PAIR),
            )
            .order_by(Pair.id)
        )
    )


async def draft(session: AsyncSession, actor: Actor, mentee_id: int, mentor_id: int) -> Draft:
    """Check a chosen mentee and mentor, and offer the mentor's live pairs at that school
    as groups the mentee may join."""
    mentee = await mentee_in_scope(session, actor, mentee_id)
    if not await is_unmatched(session, mentee.id):
        raise DomainError("matching.already_paired")
    mentor = await mentor_for(session, mentee, mentor_id)
    assert mentee.school_id is not None and mentee.school is not None
    groups = [
        GroupOption(p.id, [m.mentee.full_name or "" for m in shown_members(p)])
        for p in await live_groups(session, mentor.id, mentee.school_id)
    ]
    current = (await current_mentees(session, [mentor.id])).get(mentor.id, 0)
    capacity = mentor.mentor_profile.capacity if mentor.mentor_profile else 1
    return Draft(
        mentee_id=mentee.id,
        mentee_name=mentee.full_name or "",
        mentor_id=mentor.id,
        mentor_name=mentor.full_name or "",
        school_name=mentee.school.name,
        free_places=capacity - current,
        capacity=capacity,
        groups=groups,
    )


@dataclass(frozen=True)
class Formed:
    pair_id: int
    mentor_name: str
    mentee_names: list[str]  # everyone in the pair or group now
    joined_group: bool


async def form(
    session: AsyncSession,
    actor: Actor,
    *,
    mentee_id: int,
    mentor_id: int,
    group_pair_id: int | None,
    order_number: str | None,
    order_date: dt.date | None,
    clock: Clock,
) -> Formed:
    """Form a pair (or add the mentee to the mentor's group) and queue the introductions."""
    now = clock.now()
    # Lock the mentee so two curators cannot pair the same person at once.
    await session.execute(
        select(Participant.id).where(Participant.id == mentee_id).with_for_update()
    )
    mentee = await mentee_in_scope(session, actor, mentee_id)
    if not await is_unmatched(session, mentee.id):
        raise DomainError("matching.already_paired")
    mentor = await mentor_for(session, mentee, mentor_id)
    pair, joined = await create(
        session,
        mentee=mentee,
        mentor=mentor,
        group_pair_id=group_pair_id,
        order_number=order_number,
        order_date=order_date,
        formed_by_id=actor.participant_id,
        now=now,
    )
    await session.commit()
    await session.refresh(pair, ["members"])
    return Formed(
        pair_id=pair.id,
        mentor_name=mentor.full_name or "",
        mentee_names=[m.mentee.full_name or "" for m in shown_members(pair)],
        joined_group=joined,
    )


async def create(
    session: AsyncSession,
    *,
    mentee: Participant,
    mentor: Participant,
    group_pair_id: int | None,
    order_number: str | None,
    order_date: dt.date | None,
    formed_by_id: int | None,
    now: dt.datetime,
) -> tuple[Pair, bool]:
    """Form the pair (or add the mentee to the group) and queue the introductions, in the
    caller's transaction. The caller has checked both people and locked the mentee."""
    assert mentee.school_id is not None and mentee.school is not None
    zone = mentee.school.timezone
    today = local_today(now, zone)
    await programmes.for_school(session, mentee.school_id, today)
    joined = False
    if group_pair_id:
        pair = next(
            (
                p
                for p in await live_groups(session, mentor.id, mentee.school_id)
                if p.id == group_pair_id
            ),
            None,
        )
        if pair is None:
            raise DomainError("matching.group_gone")
        joined = True
        if order_number is not None:
            pair.order_number, pair.order_date = order_number, order_date
    else:
        pair = Pair(
            school_id=mentee.school_id,
            mentor_id=mentor.id,
            status=PairStatus.ACTIVE,
            next_kind=MeetingKind.INTRO,
            stage_since=now,
            formed_at=now,
            formed_by_id=formed_by_id,
            order_number=order_number,
            order_date=order_date,
        )
        session.add(pair)
        await session.flush()
    member = PairMember(pair_id=pair.id, mentee_id=mentee.id, joined_at=now)
    session.add(member)
    await session.flush()
    rules = await programmes.send_rules(session, mentee.school_id, today)
    due = next_allowed(now, rules, days_off_count=False)
    for recipient in (mentor.id, mentee.id):
        await outbox.enqueue(
            session,
            recipient_id=recipient,
            kind=Kind.PAIR_INTRO,
            due_at=due,
            now=now,
            dedupe_key=f"pair.intro:{pair.id}:{mentee.id}:{recipient}",
            payload={"pair_id": pair.id, "mentee_id": mentee.id},
            pair_id=pair.id,
        )
    audit.record(
        session,
        now,
        "pair.joined" if joined else "pair.formed",
        actor_id=formed_by_id,
        object_type="pair",
        object_id=pair.id,
    )
    return pair, joined
