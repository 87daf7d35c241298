"""Hours of mentoring work for the accountant: held meetings (their duration) plus the
work a mentor logs besides meetings (a kind and the minutes), per mentor and month.

/hours shows a mentor their month; on the first days of a month every curator (and a
coordinator, per school) gets last month's table through the outbox (plan_monthly, from
the planning tick); the export has the same figures on «Учёт работы наставников».
The bot adds up what was recorded; it does not decide what is paid.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    ActivityKind,
    Meeting,
    MeetingStatus,
    MentoringActivity,
    Pair,
    PairStatus,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from services import audit, outbox, programmes
from services.access import Actor
from services.clock import Clock, local_midnight, local_today, next_allowed
from services.errors import DomainError
from services.outbox import Kind

MINUTES = (15, 30, 45, 60, 90)
KINDS = tuple(ActivityKind)
SEND_UNTIL_DAY = 3  # after downtime the table still goes out on the 2nd or the 3rd


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class MentorMonth:
    mentor_id: int
    name: str
    pairs: int = 0
    meetings: int = 0
    meeting_minutes: int = 0
    by_kind: dict[ActivityKind, int] = field(default_factory=dict)  # minutes

    @property
    def total_minutes(self) -> int:
        return self.meeting_minutes + sum(self.by_kind.values())


@dataclass(frozen=True)
class SchoolMonth:
    school_id: int
    school_name: str
    month: dt.date  # the first day
    rows: list[MentorMonth]


async def school_month(
    session: AsyncSession, school_id: int, month: dt.date, mentor_id: int | None = None
) -> SchoolMonth:
    """Per mentor of the school: pairs live in the month, meetings held and their
    minutes, logged minutes by kind. Mentors with nothing in the month are left out."""
    school = await session.get(School, school_id)
    if school is None:
        raise DomainError("error.not_found")
    first, after = month_start(month), next_month(month_start(month))
    since, until = local_midnight(first, school.timezone), local_midnight(after, school.timezone)
    rows: dict[int, MentorMonth] = {}

    def row(mid: int) -> MentorMonth:
        return rows.setdefault(mid, MentorMonth(mid, ""))

    only = [Pair.mentor_id == mentor_id] if mentor_id is not None else []
    held = await session.execute(
        select(
            Pair.mentor_id, func.count(Meeting.id), func.coalesce(func.sum(Meeting.duration_min), 0)
        )
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Pair.school_id == school_id,
            Meeting.status == MeetingStatus.HELD,
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
            *only,
        )
        .group_by(Pair.mentor_id)
    )
    for mid, n, minutes in held:
        r = row(mid)
        r.meetings, r.meeting_minutes = int(n), int(minutes or 0)
    logged = await session.execute(
        select(
            MentoringActivity.mentor_id, MentoringActivity.kind, func.sum(MentoringActivity.minutes)
        )
        .where(
            MentoringActivity.school_id == school_id,
            MentoringActivity.on_date >= first,
            MentoringActivity.on_date < after,
            *([MentoringActivity.mentor_id == mentor_id] if mentor_id is not None else []),
        )
        .group_by(MentoringActivity.mentor_id, MentoringActivity.kind)
    )
    for mid, kind, minutes in logged:
        row(mid).by_kind[kind] = int(minutes or 0)
    # Formed before the month's end and not closed before its start (the rule of the
    # export's pair_in_year, for a month).
    live_in_month = and_(
        Pair.school_id == school_id,
        Pair.formed_at < until,
        or_(
            Pair.status.in_(LIVE_PAIR),
            and_(Pair.status == PairStatus.COMPLETED, Pair.stage_since >= since),
            and_(Pair.status == PairStatus.ENDED, Pair.ended_at >= since),
        ),
        *only,
    )
    for mid, n in await session.execute(
        select(Pair.mentor_id, func.count(Pair.id)).where(live_in_month).group_by(Pair.mentor_id)
    ):
        if mid in rows or n:
            row(mid).pairs = int(n)
    if rows:
        names = dict(
            (
                await session.execute(
                    select(Participant.id, Participant.full_name).where(Participant.id.in_(rows))
                )
            ).all()
        )
        for mid, r in rows.items():
            r.name = names.get(mid) or ""
    ordered = sorted(rows.values(), key=lambda r: (r.name or "я", r.mentor_id))
    return SchoolMonth(school.id, school.name, first, ordered)


async def _mentor_school(session: AsyncSession, actor: Actor) -> School:
    if actor.participant_id is None or Role.MENTOR not in actor.roles or actor.school_id is None:
        raise DomainError("hours.mentors_only")
    school = await session.get(School, actor.school_id)
    if school is None:
        raise DomainError("hours.mentors_only")
    return school


async def my_month(
    session: AsyncSession, actor: Actor, clock: Clock
) -> tuple[MentorMonth, dt.date]:
    """The mentor's current month at their school (/hours), and its first day."""
    school = await _mentor_school(session, actor)
    assert actor.participant_id is not None
    today = local_today(clock.now(), school.timezone)
    found = await school_month(session, school.id, today, mentor_id=actor.participant_id)
    mine = next((r for r in found.rows if r.mentor_id == actor.participant_id), None)
    return mine or MentorMonth(actor.participant_id, ""), found.month


async def log(
    session: AsyncSession, actor: Actor, kind: ActivityKind, minutes: int, clock: Clock
) -> tuple[MentorMonth, dt.date]:
    """Log work besides meetings for today (two taps: the kind, the minutes)."""
    if minutes not in MINUTES:
        raise DomainError("error.stale_button")
    school = await _mentor_school(session, actor)
    assert actor.participant_id is not None
    now = clock.now()
    live = list(
        await session.scalars(
            select(Pair.id).where(
                Pair.mentor_id == actor.participant_id, Pair.status.in_(LIVE_PAIR)
            )
        )
    )
    session.add(
        MentoringActivity(
            mentor_id=actor.participant_id,
            school_id=school.id,
            pair_id=live[0] if len(live) == 1 else None,
            kind=kind,
            minutes=minutes,
            on_date=local_today(now, school.timezone),
            created_at=now,
        )
    )
    audit.record(session, now, "hours.logged", actor_id=actor.participant_id)
    await session.commit()
    return await my_month(session, actor, clock)


async def plan_monthly(session: AsyncSession, now: dt.datetime) -> int:
    """One outbox row per curator per school (per school of the municipality for a
    coordinator) with last month's table, on the first days of the month in the
    school's zone. The dedupe key makes it once a month whatever the ticks."""
    grants = (
        await session.execute(
            select(
                RoleGrant.participant_id,
                RoleGrant.role,
                RoleGrant.school_id,
                RoleGrant.municipality_id,
            )
            .join(Participant, Participant.id == RoleGrant.participant_id)
            .where(
                RoleGrant.role.in_([Role.CURATOR, Role.COORDINATOR]),
                Participant.status == ParticipantStatus.ACTIVE,
                Participant.telegram_id.is_not(None),
            )
        )
    ).all()
    by_municipality: dict[int, list[School]] = defaultdict(list)
    schools: dict[int, School] = {}
    for s in await session.scalars(select(School)):
        by_municipality[s.municipality_id].append(s)
        schools[s.id] = s
    added = 0
    for pid, role, school_id, municipality_id in grants:
        targets = (
            [schools[school_id]]
            if role == Role.CURATOR and school_id in schools
            else by_municipality.get(municipality_id or -1, [])
        )
        for school in targets:
            today = local_today(now, school.timezone)
            if today.day > SEND_UNTIL_DAY:
                continue
            month = previous_month(today)
            rules = await programmes.send_rules(session, school.id, today)
            await outbox.enqueue(
                session,
                recipient_id=pid,
                kind=Kind.HOURS_MONTHLY,
                due_at=next_allowed(now, rules),
                now=now,
                dedupe_key=f"hours.monthly:{pid}:{school.id}:{month:%Y-%m}",
                payload={"school_id": school.id, "month": f"{month:%Y-%m}"},
            )
            added += 1
    await session.commit()
    return added
