"""«Мои достижения»: a participant's portfolio. Entries are added by the person; the
mentor of a pair they are in and the curator (coordinator) of their school may see
them; nobody else. The «Портфолио достижений» record gathers the programme's trace:
the pair, meetings held, plan goals done, club events attended, achievements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Achievement,
    AchievementKind,
    ClubAttendance,
    ClubEvent,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Role,
    RoleGrant,
    School,
)
from services import outbox
from services.access import Actor
from services.clock import local_today
from services.errors import NotFound
from services.outbox import Kind
from services.validation import FieldError, short_text

MAX_TITLE = 300
LEVELS = ("school", "municipal", "regional", "federal")
RESULTS = ("participant", "prize", "winner")
CATEGORIES = ("first", "highest")
MAX_SEEN = 30


@dataclass(frozen=True)
class Entry:
    id: int
    kind: AchievementKind
    title: str
    level: str | None
    result: str | None
    on_date: dt.date
    file_name: str | None


@dataclass(frozen=True)
class Record:
    name: str
    school: str
    mentor: str | None
    mentees: list[str]
    meetings_held: int
    goals_done: list[str]
    events: list[tuple[dt.date, str]]
    entries: list[Entry]


def clean_title(text: str) -> str:
    value = short_text(text, limit=MAX_TITLE)
    if len(value) < 3:
        raise FieldError("portfolio.error.short")
    return value


async def add(
    session: AsyncSession,
    actor: Actor,
    kind: AchievementKind,
    title: str,
    level: str | None,
    result: str | None,
    file_id: str | None,
    file_name: str | None,
    now: dt.datetime,
) -> int:
    if actor.participant_id is None:
        raise NotFound()
    if level is not None and level not in LEVELS:
        level = None
    if result is not None and result not in (*RESULTS, *CATEGORIES):
        result = None
    person = await session.get(Participant, actor.participant_id)
    zone = person.school.timezone if person and person.school else "Europe/Moscow"
    entry = Achievement(
        participant_id=actor.participant_id,
        kind=kind,
        title=clean_title(title),
        level=level,
        result=result,
        on_date=local_today(now, zone),
        file_id=file_id[:200] if file_id else None,
        file_name=(file_name or "файл")[:200] if file_id else None,
        created_at=now,
    )
    session.add(entry)
    await session.flush()
    entry_id = entry.id
    await session.commit()
    return entry_id


async def may_see(session: AsyncSession, actor: Actor, participant_id: int) -> bool:
    if actor.participant_id == participant_id or actor.is_admin:
        return True
    person = await session.get(Participant, participant_id)
    if person is None or person.status != ParticipantStatus.ACTIVE:
        return False
    if person.school_id is not None:
        if person.school_id in actor.curator_school_ids:
            return True
        school = await session.get(School, person.school_id)
        if school is not None and school.municipality_id in actor.coordinator_municipality_ids:
            return True
    if actor.participant_id is None:
        return False
    mentor = await session.scalar(
        select(Pair.id)
        .join(PairMember, PairMember.pair_id == Pair.id)
        .where(
            Pair.mentor_id == actor.participant_id,
            PairMember.mentee_id == participant_id,
            PairMember.left_at.is_(None),
        )
        .limit(1)
    )
    return mentor is not None


async def entries_of(session: AsyncSession, actor: Actor, participant_id: int) -> list[Entry]:
    if not await may_see(session, actor, participant_id):
        raise NotFound()
    rows = await session.scalars(
        select(Achievement)
        .where(Achievement.participant_id == participant_id)
        .order_by(Achievement.on_date, Achievement.id)
    )
    return [Entry(a.id, a.kind, a.title, a.level, a.result, a.on_date, a.file_name) for a in rows]


async def file_of(session: AsyncSession, actor: Actor, entry_id: int) -> tuple[str, str]:
    entry = await session.get(Achievement, entry_id)
    if entry is None or entry.file_id is None:
        raise NotFound()
    if not await may_see(session, actor, entry.participant_id):
        raise NotFound()
    return entry.file_id, entry.file_name or "файл"


async def people_to_see(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """Whose portfolios the actor may open besides their own: a mentor's mentees, a
    curator's (coordinator's) mentees of their schools."""
    found: dict[int, str] = {}
    if actor.participant_id is not None:
        rows = await session.execute(
            select(Participant.id, Participant.full_name)
            .join(PairMember, PairMember.mentee_id == Participant.id)
            .join(Pair, Pair.id == PairMember.pair_id)
            .where(Pair.mentor_id == actor.participant_id, PairMember.left_at.is_(None))
        )
        found.update({pid: name or "—" for pid, name in rows.all()})
    schools = set(actor.curator_school_ids)
    if actor.coordinator_municipality_ids:
        schools.update(
            await session.scalars(
                select(School.id).where(
                    School.municipality_id.in_(actor.coordinator_municipality_ids)
                )
            )
        )
    if schools:
        rows = await session.execute(
            select(Participant.id, Participant.full_name)
            .where(
                Participant.status == ParticipantStatus.ACTIVE,
                Participant.school_id.in_(schools),
                Participant.id.in_(
                    select(RoleGrant.participant_id).where(RoleGrant.role == Role.MENTEE)
                ),
            )
            .order_by(Participant.full_name)
            .limit(MAX_SEEN)
        )
        found.update({pid: name or "—" for pid, name in rows.all()})
    found.pop(actor.participant_id or 0, None)
    return sorted(found.items(), key=lambda x: x[1])


async def record(session: AsyncSession, actor: Actor, participant_id: int) -> Record:
    entries = await entries_of(session, actor, participant_id)
    person = await session.get(Participant, participant_id)
    assert person is not None
    pair = await session.scalar(
        select(Pair)
        .outerjoin(PairMember, PairMember.pair_id == Pair.id)
        .where((PairMember.mentee_id == participant_id) | (Pair.mentor_id == participant_id))
        .order_by(Pair.formed_at.desc())
        .limit(1)
    )
    mentor = None
    mentees: list[str] = []
    held = 0
    goals: list[str] = []
    if pair is not None:
        mentor = pair.mentor.full_name
        mentees = [m.mentee.full_name or "—" for m in pair.members]
        held = int(
            await session.scalar(
                select(func.count())
                .select_from(Meeting)
                .where(Meeting.pair_id == pair.id, Meeting.status == MeetingStatus.HELD)
            )
            or 0
        )
        goals = list(
            await session.scalars(
                select(PlanGoal.title)
                .where(PlanGoal.pair_id == pair.id, PlanGoal.status == GoalStatus.DONE)
                .order_by(PlanGoal.id)
            )
        )
    zone = person.school.timezone if person.school else "Europe/Moscow"
    events = [
        (local_today(at, zone), title)
        for title, at in (
            await session.execute(
                select(ClubEvent.title, ClubEvent.starts_at)
                .join(ClubAttendance, ClubAttendance.event_id == ClubEvent.id)
                .where(ClubAttendance.participant_id == participant_id)
                .order_by(ClubEvent.starts_at)
            )
        ).all()
    ]
    return Record(
        name=person.full_name or "—",
        school=person.school.name if person.school else "—",
        mentor=mentor,
        mentees=mentees,
        meetings_held=held,
        goals_done=goals,
        events=events,
        entries=entries,
    )


async def plan_completion_documents(session: AsyncSession, now: dt.datetime) -> int:
    """Each mentee of a pair that completed in the last week gets their «Портфолио
    достижений» once (the planning tick; the row's key makes it once)."""
    rows = await session.execute(
        select(Pair.id, PairMember.mentee_id)
        .join(PairMember, PairMember.pair_id == Pair.id)
        .where(
            Pair.status == PairStatus.COMPLETED,
            Pair.stage_since >= now - dt.timedelta(days=7),
            PairMember.left_at.is_(None),
        )
    )
    count = 0
    for pair_id, mentee_id in rows.all():
        await outbox.enqueue(
            session,
            recipient_id=mentee_id,
            kind=Kind.PORTFOLIO_DOCUMENT,
            due_at=now,
            now=now,
            dedupe_key=f"portfolio:doc:{pair_id}:{mentee_id}",
            payload={"pair_id": pair_id},
        )
        count += 1
    await session.commit()
    return count


async def erase(session: AsyncSession, participant_id: int) -> None:
    """Withdrawal: the person's entries (texts and files) are deleted."""
    await session.execute(delete(Achievement).where(Achievement.participant_id == participant_id))
