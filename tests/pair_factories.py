"""Arranging pairs directly in the database for the meeting-cycle tests (pairs are
formed through the bot by the curator's flow, tested elsewhere)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
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


async def school_in_zone(db: AsyncSession, zone: str, name: str) -> School:
    """A municipality of its own with one school in the given IANA zone."""
    mun = Municipality(name=f"Муниципалитет {name}", timezone=zone)
    db.add(mun)
    await db.flush()
    school = School(municipality_id=mun.id, name=name, timezone=zone)
    db.add(school)
    await db.commit()
    return school


async def pair(
    db: AsyncSession,
    school: School,
    mentor: Participant,
    mentees: list[Participant],
    *,
    next_kind: MeetingKind | None = MeetingKind.INTRO,
    status: PairStatus = PairStatus.ACTIVE,
    formed_at: dt.datetime = NOW - dt.timedelta(days=1),
) -> Pair:
    p = Pair(
        school_id=school.id,
        mentor_id=mentor.id,
        status=status,
        next_kind=next_kind,
        stage_since=formed_at,
        formed_at=formed_at,
    )
    p.members = [PairMember(mentee_id=m.id, joined_at=formed_at) for m in mentees]
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
    mentor = await factories.teacher(db, mentor_tg, mentor_name, Role.MENTOR, school)
    mentees = [
        await factories.teacher(db, tg, name, Role.MENTEE, school)
        for tg, name in zip(mentee_tgs, mentee_names, strict=False)
    ]
    p = await pair(db, school, mentor, mentees, next_kind=next_kind)
    return PairSetup(school=school, mentor=mentor, mentees=mentees, pair=p)


async def meeting(
    db: AsyncSession,
    p: Pair,
    *,
    kind: MeetingKind = MeetingKind.INTRO,
    status: MeetingStatus = MeetingStatus.CONFIRMED,
    starts_at: dt.datetime = NOW + dt.timedelta(days=2),
    created_by: Participant | None = None,
    duration_min: int | None = None,
) -> Meeting:
    m = Meeting(
        pair_id=p.id,
        kind=kind,
        status=status,
        starts_at=starts_at,
        format=MeetingFormat.OFFLINE,
        place="кабинет 5",
        created_by_id=created_by.id if created_by else p.mentor_id,
        duration_min=duration_min,
        created_at=NOW,
    )
    db.add(m)
    await db.commit()
    return m
