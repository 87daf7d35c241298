"""Which school or municipality a staff command opens on: a coordinator's municipality,
else a curator's school (an admin without a role: the first municipality)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Region, School
from services.access import Actor
from services.errors import DomainError


@dataclass(frozen=True)
class Where:
    school_id: int = 0
    municipality_id: int = 0


async def default_scope(session: AsyncSession, actor: Actor) -> Where:
    if actor.coordinator_municipality_ids:
        return Where(municipality_id=min(actor.coordinator_municipality_ids))
    if actor.curator_school_ids:
        return Where(school_id=min(actor.curator_school_ids))
    if actor.is_admin:
        first = await session.scalar(select(Municipality.id).order_by(Municipality.id).limit(1))
        if first is not None:
            return Where(municipality_id=first)
        raise DomainError("error.not_found")
    raise DomainError("error.staff_only")


async def schools_to_pick(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """A curator of several schools (and no municipality) chooses which one a staff
    command opens: their schools by name. Empty when there is nothing to choose."""
    if actor.coordinator_municipality_ids or len(actor.curator_school_ids) < 2:
        return []
    rows = await session.execute(
        select(School.id, School.name)
        .where(School.id.in_(actor.curator_school_ids))
        .order_by(School.name, School.id)
    )
    found = [(int(i), str(n)) for i, n in rows]
    await session.commit()  # a read: the connection goes back before the reply
    return found


@dataclass(frozen=True)
class Own:
    """One of the scopes a person holds a role in: "region", "municipality" or "school"."""

    level: str
    id: int
    name: str


async def own_scopes(session: AsyncSession, actor: Actor) -> list[Own]:
    """The person's own scopes, widest first: the regions they watch, the municipalities
    they coordinate, the schools they curate outside those municipalities (a school of a
    coordinated municipality is in its file already). /export and /spravka ask which one
    when there is more than one (a regional coordinator who also curates a school, a
    curator of two schools); empty when the person holds one role's scope at most (an
    admin without a role included): there is nothing to choose."""
    held = len(actor.region_ids) + len(actor.coordinator_municipality_ids)
    if held + len(actor.curator_school_ids) < 2:
        return []  # one scope at most: nothing to choose, no query
    levels: list[tuple[str, Any, Any, list[ColumnElement[bool]]]] = [
        ("region", Region.id, Region.name, [Region.id.in_(actor.region_ids)]),
        (
            "municipality",
            Municipality.id,
            Municipality.name,
            [Municipality.id.in_(actor.coordinator_municipality_ids)],
        ),
        (
            "school",
            School.id,
            School.name,
            [
                School.id.in_(actor.curator_school_ids),
                School.municipality_id.not_in(actor.coordinator_municipality_ids),
            ],
        ),
    ]
    found: list[Own] = []
    for level, ids, names, where in levels:
        rows = await session.execute(select(ids, names).where(*where).order_by(names, ids))
        found += [Own(level, int(i), str(n)) for i, n in rows]
    await session.commit()  # a read: the connection goes back before the reply
    return found


async def places_to_pick(session: AsyncSession, actor: Actor) -> list[Own]:
    """For the commands that open a school or a municipality (/programme, /surveys,
    /headcount): the municipalities the person coordinates and the schools they curate
    outside them, when there is more than one (a coordinator of two municipalities, a
    coordinator who curates a school elsewhere, a curator of several schools); empty
    when there is nothing to choose. Regions are not among them: these commands work
    below the region."""
    if len(actor.coordinator_municipality_ids) + len(actor.curator_school_ids) < 2:
        return []  # no query
    found = [o for o in await own_scopes(session, actor) if o.level != "region"]
    return found if len(found) > 1 else []
