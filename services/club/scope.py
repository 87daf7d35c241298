"""Who runs which club events, and who may see an event. Every event id that arrives
from a button is loaded through here against the person who pressed it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEvent, ClubEventStatus, Municipality, School
from services.access import Actor
from services.errors import AccessDenied, NotFound
from services.staff_scope import Own


@dataclass(frozen=True)
class Organising:
    """Where a new event of this organiser belongs: a municipality's club, or one
    school's own events (a curator)."""

    municipality_id: int
    school_id: int | None
    zone: str


def may_organise(actor: Actor, municipality_id: int, school_id: int | None) -> bool:
    return (
        actor.is_admin
        or municipality_id in actor.coordinator_municipality_ids
        or municipality_id in actor.club_municipality_ids
        or (school_id is not None and school_id in actor.curator_school_ids)
    )


def is_organiser(actor: Actor) -> bool:
    return bool(
        actor.is_admin
        or actor.coordinator_municipality_ids
        or actor.club_municipality_ids
        or actor.curator_school_ids
    )


async def places(session: AsyncSession, actor: Actor) -> list[Own]:
    """Where the person may hold a new event, when there is more than one place: the
    municipalities whose club they run (coordinator, club organiser), then the schools
    they curate outside those, by name. Empty with one place or none (no query)."""
    municipal = actor.coordinator_municipality_ids | actor.club_municipality_ids
    if len(municipal) + len(actor.curator_school_ids) < 2:
        return []
    found = [
        Own("municipality", int(i), str(n))
        for i, n in await session.execute(
            select(Municipality.id, Municipality.name)
            .where(Municipality.id.in_(municipal))
            .order_by(Municipality.name, Municipality.id)
        )
    ]
    found += [
        Own("school", int(i), str(n))
        for i, n in await session.execute(
            select(School.id, School.name)
            .where(
                School.id.in_(actor.curator_school_ids), School.municipality_id.not_in(municipal)
            )
            .order_by(School.name, School.id)
        )
    ]
    await session.commit()  # a read: the connection goes back before the reply
    return found if len(found) > 1 else []


async def organising_at(
    session: AsyncSession, actor: Actor, municipality_id: int, school_id: int
) -> Organising:
    """A place the person chose for a new event (ids from a button, or the form's data):
    a municipality whose club they run, or a school they curate (school_id set)."""
    if school_id:
        school = await session.get(School, school_id)
        if school is None or not may_organise(actor, school.municipality_id, school.id):
            raise AccessDenied("club.error.organisers_only")
        return Organising(school.municipality_id, school.id, school.timezone)
    allowed = actor.is_admin or municipality_id in (
        actor.coordinator_municipality_ids | actor.club_municipality_ids
    )
    mun = await session.get(Municipality, municipality_id) if allowed else None
    if mun is None:
        raise AccessDenied("club.error.organisers_only")
    return Organising(mun.id, None, mun.timezone)


async def organising(session: AsyncSession, actor: Actor) -> Organising:
    """The scope a new event gets when there is no choice (`places` is empty): the
    municipality for coordinators and club organisers, the curator's school otherwise."""
    municipal = sorted(actor.coordinator_municipality_ids | actor.club_municipality_ids)
    if municipal:
        mun = await session.get(Municipality, municipal[0])
        assert mun is not None
        return Organising(mun.id, None, mun.timezone)
    if actor.curator_school_ids:
        school = await session.get(School, min(actor.curator_school_ids))
        assert school is not None
        return Organising(school.municipality_id, school.id, school.timezone)
    if actor.is_admin:
        mun = await session.scalar(select(Municipality).order_by(Municipality.id).limit(1))
        if mun is not None:
            return Organising(mun.id, None, mun.timezone)
        raise NotFound()
    raise AccessDenied("club.error.organisers_only")


async def event_to_organise(
    session: AsyncSession, actor: Actor, event_id: int, *, lock: bool = False
) -> ClubEvent:
    """The event, if the actor runs it: another municipality's or another school's id
    is refused the same way as a missing one is not (it exists, it is not theirs)."""
    stmt = select(ClubEvent).where(ClubEvent.id == event_id)
    if lock:
        stmt = stmt.with_for_update()
    event = await session.scalar(stmt.execution_options(populate_existing=True))
    if event is None:
        raise NotFound()
    if not may_organise(actor, event.municipality_id, event.school_id):
        raise AccessDenied("club.error.not_yours")
    return event


async def zone_of(session: AsyncSession, event: ClubEvent) -> str:
    if event.school_id is not None:
        school = await session.get(School, event.school_id)
        if school is not None:
            return school.timezone
    mun = await session.get(Municipality, event.municipality_id)
    assert mun is not None
    return mun.timezone


def is_open(event: ClubEvent) -> bool:
    return event.status == ClubEventStatus.PUBLISHED
