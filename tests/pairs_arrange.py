"""Arranging people, pairs, meetings and feedback directly in the database for the tests
of matching, /pairs and the pair card (the tests then act through the bot)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CatalogueItem,
    CatalogueKind,
    CatalogueMark,
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MenteeProfile,
    MentorProfile,
    Municipality,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    Role,
    School,
)
from tests import factories

NOW = factories.NOW
DISCIPLINE, PARENTS, ASSESS = "psy_discipline", "comm_parents", "meth_assess"

CURATOR_A, CURATOR_B, COORDINATOR = 101, 102, 103
MENTEE, MENTEE_2, MENTEE_3 = 201, 202, 203
PETROV, SIDOROVA, ORLOV, ZAITSEV = 301, 302, 303, 304


async def _items(db: AsyncSession, codes: tuple[str, ...]) -> list[int]:
    rows = await db.scalars(select(CatalogueItem).where(CatalogueItem.code.in_(codes)))
    return [r.id for r in rows]


async def mentee(
    db: AsyncSession,
    tg: int,
    name: str,
    school: School,
    *,
    deficits: tuple[str, ...] = (DISCIPLINE, PARENTS),
    request: str | None = "Хочу научиться держать дисциплину в 7 «Б»",
    username: str | None = None,
    subject: str = "математика",
) -> Participant:
    p = await factories.teacher(db, tg, name, Role.MENTEE, school)
    p.username = username
    p.subject = subject
    p.mentee_profile = MenteeProfile(request_text=request)
    for item in await _items(db, deficits):
        db.add(CatalogueMark(participant_id=p.id, kind=CatalogueKind.DEFICIT, item_id=item))
    await db.commit()
    return p


async def mentor(
    db: AsyncSession,
    tg: int,
    name: str,
    school: School,
    *,
    subject: str = "математика",
    years: int = 15,
    competencies: tuple[str, ...] = (DISCIPLINE, PARENTS),
    capacity: int = 2,
    username: str | None = None,
) -> Participant:
    p = await factories.teacher(db, tg, name, Role.MENTOR, school)
    p.subject = subject
    p.experience_years = years
    p.username = username
    p.mentor_profile = MentorProfile(capacity=capacity)
    for item in await _items(db, competencies):
        db.add(CatalogueMark(participant_id=p.id, kind=CatalogueKind.COMPETENCY, item_id=item))
    await db.commit()
    return p


async def pair(
    db: AsyncSession,
    mentor_: Participant,
    mentees: list[Participant],
    *,
    formed_at: dt.datetime | None = None,
    next_kind: MeetingKind | None = MeetingKind.INTRO,
    stage_since: dt.datetime | None = None,
    status: PairStatus = PairStatus.ACTIVE,
    paused_until: dt.date | None = None,
    order: tuple[str, dt.date] | None = None,
) -> Pair:
    formed = formed_at or NOW - dt.timedelta(days=3)
    assert mentees[0].school_id is not None
    p = Pair(
        school_id=mentees[0].school_id,
        mentor_id=mentor_.id,
        status=status,
        next_kind=next_kind,
        stage_since=stage_since or formed,
        formed_at=formed,
        paused_until=paused_until,
        order_number=order[0] if order else None,
        order_date=order[1] if order else None,
        ended_at=NOW - dt.timedelta(days=1) if status == PairStatus.ENDED else None,
        end_reason="Наставник уволился" if status == PairStatus.ENDED else None,
    )
    p.members = [PairMember(mentee_id=m.id, joined_at=formed) for m in mentees]
    db.add(p)
    await db.commit()
    return p


async def meeting(
    db: AsyncSession,
    pair_: Pair,
    kind: MeetingKind,
    starts_at: dt.datetime,
    status: MeetingStatus = MeetingStatus.HELD,
) -> Meeting:
    m = Meeting(
        pair_id=pair_.id,
        kind=kind,
        status=status,
        starts_at=starts_at,
        duration_min=45 if status == MeetingStatus.HELD else None,
        logged_at=starts_at + dt.timedelta(hours=1) if status == MeetingStatus.HELD else None,
        created_by_id=pair_.mentor_id,
    )
    db.add(m)
    await db.commit()
    return m


async def feedback(
    db: AsyncSession,
    m: Meeting,
    who: Participant,
    *,
    rating: int | None = None,
    helped: str | None = None,
    hard: str | None = None,
    shared: bool = False,
    status: FeedbackStatus | None = None,
    due_at: dt.datetime | None = None,
) -> Feedback:
    fb = Feedback(
        meeting_id=m.id,
        participant_id=who.id,
        status=status or (FeedbackStatus.GIVEN if rating else FeedbackStatus.REQUESTED),
        rating=rating,
        helped=helped,
        hard=hard,
        shared=shared,
        requested_at=m.starts_at + dt.timedelta(hours=1),
        due_at=due_at or m.starts_at + dt.timedelta(hours=49),
        given_at=m.starts_at + dt.timedelta(hours=2) if rating else None,
    )
    db.add(fb)
    await db.commit()
    return fb


@dataclass
class World:
    municipality: Municipality
    school_a: School  # МБОУ «Средняя школа № 12»
    school_b: School  # МБОУ «Гимназия № 3»
    curator_a: Participant
    curator_b: Participant
    mentee: Participant
    petrov: Participant  # same school, same subject, covers both deficits, 2 places
    sidorova: Participant  # same school, other subject, covers one deficit
    orlov: Participant  # other school, same subject, covers both
    zaitsev: Participant  # same school, subject, covers both, but no free place


async def world(db: AsyncSession) -> World:
    mun, schools = await factories.municipality_with_schools(db)
    a, b = schools[0], schools[1]
    cur_a = await factories.staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    cur_b = await factories.staff(db, CURATOR_B, "Белова Нина Петровна", Role.CURATOR, school=b)
    ivanova = await mentee(db, MENTEE, "Иванова Мария Петровна", a, username="ivanova_m")
    petrov = await mentor(db, PETROV, "Петров Иван Сергеевич", a, years=15, capacity=2)
    sidorova = await mentor(
        db,
        SIDOROVA,
        "Сидорова Елена Павловна",
        a,
        subject="русский язык",
        years=20,
        competencies=(DISCIPLINE,),
        capacity=1,
    )
    orlov = await mentor(db, ORLOV, "Орлов Денис Викторович", b, years=10, capacity=1)
    zaitsev = await mentor(db, ZAITSEV, "Зайцев Олег Юрьевич", a, years=25, capacity=1)
    busy = await mentee(db, 299, "Кузнецов Павел Андреевич", a)
    await pair(db, zaitsev, [busy])
    return World(mun, a, b, cur_a, cur_b, ivanova, petrov, sidorova, orlov, zaitsev)
