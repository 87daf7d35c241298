"""Who an event (or a school announcement) is for, as one query: active people of the
event's municipality (or its school) who fit the audience."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ClubAudience,
    ClubEvent,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)

YOUNG_YEARS = 3  # молодой специалист: стаж до трёх лет


def _has_role(*roles: Role) -> ColumnElement[bool]:
    return exists().where(RoleGrant.participant_id == Participant.id, RoleGrant.role.in_(roles))


def fits(audience: ClubAudience, municipality_id: int) -> ColumnElement[bool]:
    if audience == ClubAudience.YOUNG:
        return and_(
            Participant.experience_years.is_not(None),
            Participant.experience_years <= YOUNG_YEARS,
        )
    if audience == ClubAudience.MENTORS:
        return _has_role(Role.MENTOR)
    if audience == ClubAudience.MENTEES:
        return _has_role(Role.MENTEE)
    if audience == ClubAudience.CURATORS:
        return _has_role(Role.CURATOR, Role.COORDINATOR)
    return true()


def people_query(
    audience: ClubAudience, municipality_id: int, school_id: int | None
) -> Select[Any]:
    in_place = (
        Participant.school_id == school_id
        if school_id is not None
        else Participant.school_id.in_(
            select(School.id).where(School.municipality_id == municipality_id)
        )
    )
    where = in_place
    if audience == ClubAudience.CURATORS and school_id is None:
        # Coordinators of the municipality are its curators' audience too, wherever
        # their own school is.
        coordinator = exists().where(
            RoleGrant.participant_id == Participant.id,
            RoleGrant.role == Role.COORDINATOR,
            RoleGrant.municipality_id == municipality_id,
        )
        where = or_(in_place, coordinator)
    return (
        select(Participant.id)
        .where(Participant.status == ParticipantStatus.ACTIVE)
        .where(Participant.telegram_id.is_not(None))
        .where(where)
        .where(fits(audience, municipality_id))
        .order_by(Participant.id)
    )


async def people_of(session: AsyncSession, event: ClubEvent) -> list[int]:
    query = people_query(event.audience, event.municipality_id, event.school_id)
    return list(await session.scalars(query))


async def is_for(session: AsyncSession, event: ClubEvent, participant_id: int) -> bool:
    query = people_query(event.audience, event.municipality_id, event.school_id).where(
        Participant.id == participant_id
    )
    return await session.scalar(query) is not None
