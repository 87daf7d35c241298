"""The curator's views: /pairs (a status per pair, worst first) and the pair card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    Feedback,
    FeedbackStatus,
    GoalStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Pair,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Role,
)
from services.access import Actor, managed_school_ids
from services.clock import local_today
from services.errors import DomainError
from services.matching import is_unmatched
from services.pairs.facts import gather_facts, rules_for
from services.pairs.loading import Loaded, load_pairs, pair_in_scope
from services.pairs.people import Person, person, shown_members
from services.pairs.status import Health, Level, health

PAGE_SIZE = 8
CARD_MEETINGS = 10  # the newest meetings on a pair card; older ones are counted only


# --- the list --------------------------------------------------------------------------


@dataclass(frozen=True)
class PairLine:
    pair_id: int
    school_name: str
    zone: str
    mentor: Person
    mentees: list[Person]
    status: PairStatus
    next_kind: MeetingKind | None
    last_held_at: dt.datetime | None
    paused_until: dt.date | None
    health: Health


@dataclass(frozen=True)
class PairsPage:
    items: list[PairLine]
    page: int
    pages: int
    total: int
    counts: dict[Level, int]
    many_schools: bool


async def _lines(session: AsyncSession, loaded: list[Loaded], now: dt.datetime) -> list[PairLine]:
    facts = await gather_facts(session, loaded, now)
    zones = {x.pair.school_id: x.zone for x in loaded}
    rules = await rules_for(session, set(zones), now, zones)
    lines = []
    for x in loaded:
        p = x.pair
        f = facts[p.id]
        lines.append(
            PairLine(
                pair_id=p.id,
                school_name=x.school_name,
                zone=x.zone,
                mentor=person(p.mentor),
                mentees=[person(m.mentee) for m in shown_members(p)],
                status=p.status,
                next_kind=p.next_kind,
                last_held_at=f.last_held_at,
                paused_until=p.paused_until,
                health=health(f, rules[p.school_id], now, local_today(now, x.zone)),
            )
        )
    return lines


async def list_pairs(session: AsyncSession, actor: Actor, page: int, now: dt.datetime) -> PairsPage:
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    school_ids = await managed_school_ids(session, actor)
    where = [Pair.school_id.in_(school_ids)] if school_ids is not None else []
    lines = await _lines(session, await load_pairs(session, *where), now)
    lines.sort(
        key=lambda x: (x.health.level, (x.mentor.full_name or "").lower(), x.pair_id),
    )
    counts = dict.fromkeys(Level, 0)
    for line in lines:
        counts[line.health.level] += 1
    pages = max(1, -(-len(lines) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    many = school_ids is None or len(school_ids) > 1
    return PairsPage(
        lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages, len(lines), counts, many
    )


# --- the card --------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackLine:
    person: Person
    is_mentor: bool
    status: FeedbackStatus
    rating: int | None
    helped: str | None
    hard: str | None
    shared: bool
    overdue: bool


@dataclass(frozen=True)
class MeetingLine:
    meeting_id: int
    kind: MeetingKind
    status: MeetingStatus
    starts_at: dt.datetime
    feedback: list[FeedbackLine]
    skip_reason: str | None = None  # a kind the curator skipped, with why


@dataclass(frozen=True)
class PairCard:
    line: PairLine
    formed_at: dt.datetime
    stage_since: dt.datetime
    order_number: str | None
    order_date: dt.date | None
    ended_at: dt.datetime | None
    end_reason: str | None
    meetings: list[MeetingLine]
    meetings_total: int
    goals_total: int
    goals_done: int
    # Mentees of a closed pair who have no pair now: each may get another mentor.
    repairable: list[Person]


async def card(session: AsyncSession, actor: Actor, pair_id: int, now: dt.datetime) -> PairCard:
    loaded = await pair_in_scope(session, actor, pair_id)
    pair = loaded.pair
    (line,) = await _lines(session, [loaded], now)
    total = (
        await session.scalar(select(func.count(Meeting.id)).where(Meeting.pair_id == pair.id)) or 0
    )
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(Meeting.pair_id == pair.id)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(CARD_MEETINGS)
        )
    )
    meetings.reverse()
    feedback: dict[int, list[Feedback]] = {}
    if meetings:
        for fb in await session.scalars(
            select(Feedback)
            .where(Feedback.meeting_id.in_([m.id for m in meetings]))
            .order_by(Feedback.id)
        ):
            feedback.setdefault(fb.meeting_id, []).append(fb)
    people = {pair.mentor_id: pair.mentor, **{m.mentee_id: m.mentee for m in pair.members}}
    missing_people = {fb.participant_id for fbs in feedback.values() for fb in fbs} - people.keys()
    for pid in missing_people:
        other = await session.get(Participant, pid)
        if other is not None:
            people[pid] = other
    meeting_lines = []
    for m in meetings:
        lines = []
        for fb in feedback.get(m.id, []):
            who = people.get(fb.participant_id)
            if who is None:
                continue
            lines.append(
                FeedbackLine(
                    person=person(who),
                    is_mentor=fb.participant_id == pair.mentor_id,
                    status=fb.status,
                    rating=fb.rating,
                    helped=fb.helped,
                    hard=fb.hard,
                    shared=fb.shared,
                    overdue=fb.status == FeedbackStatus.REQUESTED and fb.due_at < now,
                )
            )
        meeting_lines.append(MeetingLine(m.id, m.kind, m.status, m.starts_at, lines, m.skip_reason))
    goals = list(
        await session.execute(
            select(PlanGoal.status, func.count(PlanGoal.id))
            .where(PlanGoal.pair_id == pair.id)
            .group_by(PlanGoal.status)
        )
    )
    repairable = []
    if pair.status not in LIVE_PAIR:
        for member in shown_members(pair):
            mentee = member.mentee
            if (
                mentee.status == ParticipantStatus.ACTIVE
                and mentee.telegram_id is not None
                and mentee.has_role(Role.MENTEE)
                and await is_unmatched(session, mentee.id)
            ):
                repairable.append(person(mentee))
    return PairCard(
        line=line,
        formed_at=pair.formed_at,
        stage_since=pair.stage_since,
        order_number=pair.order_number,
        order_date=pair.order_date,
        ended_at=pair.ended_at,
        end_reason=pair.end_reason,
        meetings=meeting_lines,
        meetings_total=int(total),
        goals_total=sum(int(n) for _, n in goals),
        goals_done=sum(int(n) for s, n in goals if s == GoalStatus.DONE),
        repairable=repairable,
    )
