"""Arranging a pair, its meetings and the feedback asked after them, directly in the
database (tests of feedback, the plan and nudges act through the bot from there)."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CatalogueItem,
    CatalogueKind,
    CatalogueMark,
    Feedback,
    Meeting,
    MeetingKind,
    Municipality,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    Role,
    School,
)
from services import feedback_requests, programmes
from tests import factories
from tests.pairs_arrange import meeting as meeting  # the same helper, shared

NOW = factories.NOW
_names = itertools.count(1)


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


async def pair(
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
    deficits: tuple[str, ...] = ("psy_discipline", "comm_parents"),
) -> Arranged:
    """A school in ``zone`` (in its own municipality) with a curator, a mentor and
    mentees; Telegram ids are tg+1 (curator), tg+2 (mentor), tg+3… (mentees)."""
    n = next(_names)
    mun = Municipality(name=f"Муниципалитет {n} ({zone})", timezone=zone)
    db.add(mun)
    await db.flush()
    school = School(municipality_id=mun.id, name=f"МБОУ «Школа № {n}»", timezone=zone)
    db.add(school)
    await db.commit()
    cur = None
    if curator:
        cur = await factories.staff(
            db, tg + 1, "Козлова Анна Викторовна", Role.CURATOR, school=school
        )
    mentor = await factories.teacher(db, tg + 2, "Петров Иван Сергеевич", Role.MENTOR, school)
    names = ["Иванова Мария Петровна", "Смирнова Ольга Игоревна", "Кузнецов Павел Андреевич"]
    people = []
    items = {
        i.code: i.id for i in await db.scalars(select(CatalogueItem).where(CatalogueItem.active))
    }
    for i in range(mentees):
        mentee = await factories.teacher(db, tg + 3 + i, names[i], Role.MENTEE, school)
        for code in deficits:
            db.add(
                CatalogueMark(
                    participant_id=mentee.id, kind=CatalogueKind.DEFICIT, item_id=items[code]
                )
            )
        people.append(mentee)
    formed = formed_at or NOW - dt.timedelta(days=10)
    p = Pair(
        school_id=school.id,
        mentor_id=mentor.id,
        status=status,
        next_kind=next_kind,
        stage_since=stage_since or formed,
        formed_at=formed,
        paused_until=paused_until,
    )
    p.members = [PairMember(mentee_id=m.id, joined_at=formed) for m in people]
    db.add(p)
    await db.commit()
    return Arranged(mun, school, cur, mentor, people, p)


async def ask_feedback(
    db: AsyncSession, arranged: Arranged, m: Meeting, now: dt.datetime = NOW
) -> list[Feedback]:
    """What logging the meeting does: feedback rows with their request and reminders."""
    today = now.astimezone(zoneinfo.ZoneInfo(arranged.school.timezone)).date()
    programme = await programmes.for_school(db, arranged.school.id, today)
    rules = await programmes.send_rules(db, arranged.school.id, today)
    rows = await feedback_requests.request_for_meeting(
        db,
        m,
        arranged.pair,
        now=now,
        deadline_hours=programme.feedback_deadline_hours,
        rules=rules,
    )
    await db.commit()
    return rows
