"""Membership of the municipality's club: young specialists (стаж до 3 лет) are invited
to join once after they register (the planning tick, outbox) and may join or leave
from /club; the organiser sees the members and the share of young specialists who are
members and who came to at least one event this academic year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ClubAttendance,
    ClubEvent,
    ClubMember,
    Municipality,
    Participant,
    ParticipantStatus,
    School,
)
from services import outbox
from services.access import Actor
from services.clock import local_today
from services.club.audience import YOUNG_YEARS
from services.club.publishing import Due
from services.club.scope import organising
from services.errors import NotFound
from services.outbox import Kind
from services.programmes import academic_year

INVITE_WITHIN = dt.timedelta(days=7)  # registered this recently: invited once


@dataclass(frozen=True)
class Mine:
    municipality_id: int
    young: bool  # a young specialist: invited to join
    member: bool


@dataclass(frozen=True)
class Members:
    municipality: str
    names: list[str]
    young: int  # young specialists of the municipality
    young_members: int
    young_attended: int  # came to at least one event this academic year


async def _municipality_of(session: AsyncSession, participant_id: int) -> tuple[int, bool]:
    person = await session.get(Participant, participant_id)
    if person is None or person.school_id is None:
        raise NotFound()
    school = await session.get(School, person.school_id)
    assert school is not None
    young = person.experience_years is not None and person.experience_years <= YOUNG_YEARS
    return school.municipality_id, young


async def mine(session: AsyncSession, actor: Actor) -> Mine | None:
    if actor.participant_id is None or actor.school_id is None:
        return None
    municipality_id, young = await _municipality_of(session, actor.participant_id)
    member = await session.get(ClubMember, (municipality_id, actor.participant_id))
    return Mine(municipality_id, young, member is not None)


async def join(session: AsyncSession, actor: Actor, now: dt.datetime) -> None:
    if actor.participant_id is None:
        raise NotFound()
    municipality_id, _ = await _municipality_of(session, actor.participant_id)
    values = {"municipality_id": municipality_id, "participant_id": actor.participant_id,
              "joined_at": now}  # fmt: skip
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(insert(ClubMember).values(**values).on_conflict_do_nothing())
    await session.commit()


async def leave(session: AsyncSession, actor: Actor) -> None:
    if actor.participant_id is None:
        raise NotFound()
    await session.execute(
        delete(ClubMember).where(ClubMember.participant_id == actor.participant_id)
    )
    await session.commit()


async def members(session: AsyncSession, actor: Actor, now: dt.datetime) -> Members:
    where = await organising(session, actor)
    mun = await session.get(Municipality, where.municipality_id)
    assert mun is not None
    _, starts, ends = academic_year(local_today(now, mun.timezone))
    schools = select(School.id).where(School.municipality_id == mun.id)
    if where.school_id is not None:
        schools = select(School.id).where(School.id == where.school_id)
    young = select(Participant.id).where(
        Participant.status == ParticipantStatus.ACTIVE,
        Participant.school_id.in_(schools),
        Participant.experience_years <= YOUNG_YEARS,
    )
    member_ids = select(ClubMember.participant_id).where(ClubMember.municipality_id == mun.id)
    names = list(
        await session.scalars(
            select(Participant.full_name)
            .where(Participant.id.in_(member_ids), Participant.school_id.in_(schools))
            .where(Participant.status == ParticipantStatus.ACTIVE)
            .order_by(Participant.full_name)
        )
    )
    n_young = int(await session.scalar(select(func.count()).select_from(young.subquery())) or 0)
    n_members = int(
        await session.scalar(
            select(func.count()).select_from(young.where(Participant.id.in_(member_ids)).subquery())
        )
        or 0
    )
    came = (
        select(ClubAttendance.participant_id)
        .join(ClubEvent, ClubEvent.id == ClubAttendance.event_id)
        .where(
            ClubEvent.starts_at >= dt.datetime.combine(starts, dt.time(0), tzinfo=dt.UTC),
            ClubEvent.starts_at < dt.datetime.combine(ends, dt.time(0), tzinfo=dt.UTC),
        )
    )
    n_came = int(
        await session.scalar(
            select(func.count()).select_from(young.where(Participant.id.in_(came)).subquery())
        )
        or 0
    )
    return Members(mun.name, [n or "—" for n in names], n_young, n_members, n_came)


async def plan_invites(session: AsyncSession, now: dt.datetime) -> int:
    """Young specialists registered in the last week who are not members: one
    invitation each (the row's key keeps it once)."""
    rows = await session.execute(
        select(Participant.id, Participant.school_id, School.municipality_id, School.timezone)
        .join(School, School.id == Participant.school_id)
        .where(
            Participant.status == ParticipantStatus.ACTIVE,
            Participant.telegram_id.is_not(None),
            Participant.registered_at >= now - INVITE_WITHIN,
            Participant.experience_years <= YOUNG_YEARS,
        )
        .where(~Participant.id.in_(select(ClubMember.participant_id)))
    )
    count = 0
    for pid, school_id, _, zone in rows.all():
        due = Due(session, now, zone)
        await outbox.enqueue(
            session,
            recipient_id=pid,
            kind=Kind.CLUB_JOIN_INVITE,
            due_at=await due.at(school_id),
            now=now,
            dedupe_key=f"club:join:{pid}",
            payload={},
        )
        count += 1
    await session.commit()
    return count
