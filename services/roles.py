"""Granting staff roles: admins make coordinators, coordinators make curators."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Participant, ParticipantStatus, Role, School
from services import audit, registration_notices
from services.access import Actor, managed_school_ids, require_municipality, school_in_scope
from services.clock import Clock
from services.errors import AccessDenied, NotFound
from services.registration import flush_grant, grant


@dataclass(frozen=True)
class PersonItem:
    participant_id: int
    full_name: str
    school_name: str | None
    roles: list[Role]


async def search_people(session: AsyncSession, actor: Actor, query: str) -> list[PersonItem]:
    """Active participants in the actor's scope whose name contains the query."""
    if not actor.is_staff:
        raise AccessDenied()
    school_ids = await managed_school_ids(session, actor)
    q = query.strip()
    stmt = (
        select(Participant)
        .where(Participant.status == ParticipantStatus.ACTIVE)
        .where(
            # autoescape: "%" or "_" typed as a name is a character, not "anyone".
            Participant.full_name.icontains(q, autoescape=True)
            | Participant.full_name.contains(q.capitalize(), autoescape=True)
            | Participant.full_name.contains(q.lower(), autoescape=True)
        )
        .order_by(Participant.full_name)
        .limit(10)
    )
    if school_ids is not None:
        stmt = stmt.where(Participant.school_id.in_(school_ids))
    rows = await session.scalars(stmt)
    return [
        PersonItem(
            p.id,
            p.full_name or "",
            p.school.name if p.school else None,
            sorted({g.role for g in p.roles}),
        )
        for p in rows
    ]


async def _person_in_scope(session: AsyncSession, actor: Actor, participant_id: int) -> Participant:
    p = await session.get(Participant, participant_id)
    if p is None or p.status != ParticipantStatus.ACTIVE:
        raise NotFound()
    if p.school_id is None:
        if not actor.is_admin:
            raise AccessDenied()
    else:
        await school_in_scope(session, actor, p.school_id)
    return p


async def make_curator(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> str:
    """Make a participant the curator of their own school (coordinators and admins);
    returns the school's name. The person is told through the outbox."""
    p = await _person_in_scope(session, actor, participant_id)
    if p.school_id is None:
        raise NotFound()
    school = await session.get(School, p.school_id)
    assert school is not None
    require_municipality(actor, school.municipality_id)
    place = school.name  # read before the grant: a press at the same moment rolls back
    await _grant(
        session, actor, p, Role.CURATOR, school_id=school.id, municipality_id=None, clock=clock
    )
    await session.commit()
    return place


async def make_club_organiser(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> str:
    """Let a participant run the young teachers' club of the coordinator's municipality
    (the person's school must be in it); returns the municipality's name."""
    p = await _person_in_scope(session, actor, participant_id)
    if p.school_id is None:
        raise NotFound()
    school = await session.get(School, p.school_id)
    assert school is not None
    require_municipality(actor, school.municipality_id)
    municipality = await session.get(Municipality, school.municipality_id)
    assert municipality is not None
    place = municipality.name
    await _grant(
        session,
        actor,
        p,
        Role.CLUB_ORGANISER,
        school_id=None,
        municipality_id=municipality.id,
        clock=clock,
    )
    await session.commit()
    return place


async def make_coordinator(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> str:
    """Make a participant the coordinator of their school's municipality (admins only);
    returns the municipality's name."""
    if not actor.is_admin:
        raise AccessDenied()
    p = await _person_in_scope(session, actor, participant_id)
    if p.school_id is None:
        raise NotFound()
    school = await session.get(School, p.school_id)
    assert school is not None
    # Loaded explicitly and read before the commit: a lazy load (school.municipality)
    # after it raised MissingGreenlet under asyncio.
    municipality = await session.get(Municipality, school.municipality_id)
    assert municipality is not None
    place = municipality.name
    await _grant(
        session,
        actor,
        p,
        Role.COORDINATOR,
        school_id=None,
        municipality_id=municipality.id,
        clock=clock,
    )
    await session.commit()
    return place


async def _grant(
    session: AsyncSession,
    actor: Actor,
    p: Participant,
    role: Role,
    *,
    school_id: int | None,
    municipality_id: int | None,
    clock: Clock,
) -> None:
    now = clock.now()
    if not grant(p, role, school_id=school_id, municipality_id=municipality_id):
        return  # held already (a double press): nothing to record or announce
    if not await flush_grant(session):
        return  # granted by a press at the same moment
    audit.record(
        session,
        now,
        f"role.{role.value}_granted",
        actor_id=actor.participant_id,
        object_type="participant",
        object_id=p.id,
    )
    await registration_notices.role_granted(
        session,
        participant_id=p.id,
        role=role,
        school_id=school_id,
        municipality_id=municipality_id,
        now=now,
    )
