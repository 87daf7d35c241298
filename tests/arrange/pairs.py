"""Pairs and groups, with the people around them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MeetingKind,
    Municipality,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    Role,
    School,
)
from tests.arrange.constants import NOW
from tests.arrange.people import DISCIPLINE, PARENTS, mentee, staff, teacher

_schools = itertools.count(1)


async def pair(
    db: AsyncSession,
    mentor: Participant,
    mentees: list[Participant],
    *,
    school: School | None = None,
    formed_at: dt.datetime | None = None,
    next_kind: MeetingKind | None = MeetingKind.INTRO,
    stage_since: dt.datetime | None = None,
    status: PairStatus = PairStatus.ACTIVE,
    paused_until: dt.date | None = None,
    order: tuple[str, dt.date] | None = None,
) -> Pair:
    """A pair (a group with several mentees) of the mentees' school, formed three days
    before NOW unless told; an ended pair ended yesterday with a reason."""
    formed = formed_at or NOW - dt.timedelta(days=3)
    school_id = school.id if school else mentees[0].school_id
    assert school_id is not None
    p = Pair(
        school_id=school_id,
        mentor_id=mentor.id,
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


@dataclass
class PairSetup:
    school: School
    mentor: Participant
    mentees: list[Participant]
    pair: Pair


async def mentor_and_mentees(
    db: AsyncSession,
    school: School,
    *,
    mentor_tg: int,
    mentee_tgs: tuple[int, ...],
    mentor_name: str = "Петров Иван Сергеевич",
    mentee_names: tuple[str, ...] = ("Иванова Мария Петровна", "Смирнова Анна Олеговна"),
    next_kind: MeetingKind | None = MeetingKind.INTRO,
) -> PairSetup:
    """A mentor and mentees of ``school`` in a pair formed yesterday."""
    lead = await teacher(db, mentor_tg, mentor_name, Role.MENTOR, school)
    people = [
        await teacher(db, tg, name, Role.MENTEE, school)
        for tg, name in zip(mentee_tgs, mentee_names, strict=False)
    ]
    p = await pair(db, lead, people, next_kind=next_kind, formed_at=NOW - dt.timedelta(days=1))
    return PairSetup(school=school, mentor=lead, mentees=people, pair=p)


@dataclass
class Arranged:
    municipality: Municipality
    school: School
    curator: Participant | None
    mentor: Participant
    mentees: list[Participant]
    pair: Pair

    @property
    def mentee(self) -> Participant:
        return self.mentees[0]


async def school_with_pair(
    db: AsyncSession,
    *,
    zone: str = "Europe/Moscow",
    tg: int = 300,
    next_kind: MeetingKind | None = MeetingKind.TRIAL,
    formed_at: dt.datetime | None = None,
    stage_since: dt.datetime | None = None,
    status: PairStatus = PairStatus.ACTIVE,
    paused_until: dt.date | None = None,
    mentees: int = 1,
    curator: bool = True,
    deficits: tuple[str, ...] = (DISCIPLINE, PARENTS),
) -> Arranged:
    """A school in ``zone`` (in its own municipality) with a curator, a mentor and
    mentees in a pair formed ten days before NOW; Telegram ids are tg+1 (curator),
    tg+2 (mentor), tg+3… (mentees)."""
    n = next(_schools)
    mun = Municipality(name=f"Муниципалитет {n} ({zone})", timezone=zone)
    db.add(mun)
    await db.flush()
    school = School(municipality_id=mun.id, name=f"МБОУ «Школа № {n}»", timezone=zone)
    db.add(school)
    await db.commit()
    cur = None
    if curator:
        cur = await staff(db, tg + 1, "Козлова Анна Викторовна", Role.CURATOR, school=school)
    lead = await teacher(db, tg + 2, "Петров Иван Сергеевич", Role.MENTOR, school)
    names = ["Иванова Мария Петровна", "Смирнова Ольга Игоревна", "Кузнецов Павел Андреевич"]
    people = [
        await mentee(db, tg + 3 + i, names[i], school, deficits=deficits, request=None)
        for i in range(mentees)
    ]
    p = await pair(
        db,
        lead,
        people,
        formed_at=formed_at or NOW - dt.timedelta(days=10),
        next_kind=next_kind,
        stage_since=stage_since,
        status=status,
        paused_until=paused_until,
    )
    return Arranged(mun, school, cur, lead, people, p)
