"""The region level: municipalities belong to a region, a regional coordinator (granted
by an admin) watches the region's indicators with a row per municipality.

The region's line is the sum of the municipalities' A and B (each computed by
services.indicators.for_municipality with its own small-number rules). A municipality
whose survey-based figure is hidden (fewer than MIN_ANSWERS answers) is left out of
that indicator's sum altogether — A, B and «ответили» — and counted in ``left_out``:
otherwise «the region minus the municipalities shown» would give its answers back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import Municipality, Participant, ParticipantStatus, Region, Role, School
from services import audit, registration_notices
from services.access import Actor, require_region
from services.clock import Clock
from services.errors import AccessDenied, DomainError, NotFound
from services.indicators import MIN_ANSWERS, Report, Value, for_municipality
from services.registration import flush_grant, grant
from services.validation import as_id

# --- the region and its municipalities (the CLI) ------------------------------------------


def _name_matches(column: InstrumentedAttribute[str], needle: str) -> ColumnElement[bool]:
    # SQLite lowers only ASCII: the capitalised and lowered variants too.
    return (
        column.icontains(needle, autoescape=True)
        | column.contains(needle.lower(), autoescape=True)
        | column.contains(needle.capitalize(), autoescape=True)
    )


async def find_region(session: AsyncSession, needle: str) -> Region:
    """A region by id or part of its name; exactly one, else a clear error."""
    needle = needle.strip()
    region_id = as_id(needle)
    if region_id is not None:
        found = await session.get(Region, region_id)
        if found is not None:
            return found
    rows = list(
        await session.scalars(
            select(Region).where(_name_matches(Region.name, needle)).order_by(Region.id).limit(20)
        )
    )
    if not rows:
        raise DomainError("region.error.no_region", needle=needle)
    exact = [r for r in rows if r.name == needle]
    if len(rows) > 1 and len(exact) != 1:
        raise DomainError(
            "region.error.ambiguous", names="; ".join(f"{r.id}: {r.name}" for r in rows)
        )
    return exact[0] if exact else rows[0]


async def create_region(session: AsyncSession, name: str) -> Region:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise DomainError("region.error.bad_name")
    if await session.scalar(select(Region.id).where(Region.name == name)) is not None:
        raise DomainError("region.error.exists", name=name)
    region = Region(name=name)
    session.add(region)
    await session.commit()
    return region


async def attach(session: AsyncSession, region: Region, needles: Sequence[str]) -> list[str]:
    """Attach municipalities (each by id or part of its name, one match each) to the
    region; returns their names. Nothing changes if any needle is wrong."""
    chosen: list[Municipality] = []
    for needle in needles:
        needle = needle.strip()
        found: list[Municipality] = []
        municipality_id = as_id(needle)
        if municipality_id is not None:
            by_id = await session.get(Municipality, municipality_id)
            found = [by_id] if by_id is not None else []
        if not found:
            found = list(
                await session.scalars(
                    select(Municipality)
                    .where(_name_matches(Municipality.name, needle))
                    .order_by(Municipality.id)
                    .limit(20)
                )
            )
        if not found:
            raise DomainError("region.error.no_municipality", needle=needle)
        if len(found) > 1:
            listed = "; ".join(f"{m.id}: {m.name}" for m in found)
            raise DomainError("region.error.ambiguous", names=listed)
        chosen.append(found[0])
    for m in chosen:
        m.region_id = region.id
    names = [m.name for m in chosen]
    await session.commit()
    return names


async def _grant(
    session: AsyncSession, actor: Actor, p: Participant, region: Region, clock: Clock
) -> None:
    now = clock.now()
    if not grant(
        p, Role.REGIONAL_COORDINATOR, school_id=None, municipality_id=None, region_id=region.id
    ):
        return  # held already (a double press)
    if not await flush_grant(session):
        return  # granted by a press at the same moment
    audit.record(
        session,
        now,
        "role.regional_coordinator_granted",
        actor_id=actor.participant_id,
        object_type="participant",
        object_id=p.id,
    )
    await registration_notices.role_granted(
        session,
        participant_id=p.id,
        role=Role.REGIONAL_COORDINATOR,
        school_id=None,
        municipality_id=None,
        region_id=region.id,
        now=now,
    )


async def make_regional_coordinator(
    session: AsyncSession, actor: Actor, participant_id: int, clock: Clock
) -> str:
    """/roles (admins only): the coordinator of the region that the person's school's
    municipality belongs to; returns the region's name."""
    if not actor.is_admin:
        raise AccessDenied()
    p = await session.get(Participant, participant_id)
    if p is None or p.status != ParticipantStatus.ACTIVE or p.school_id is None:
        raise NotFound()
    region = await session.scalar(
        select(Region)
        .join(Municipality, Municipality.region_id == Region.id)
        .join(School, School.municipality_id == Municipality.id)
        .where(School.id == p.school_id)
    )
    if region is None:
        raise DomainError("region.error.no_region_of_school")
    name = region.name
    await session.refresh(p, ["roles"])
    await _grant(session, actor, p, region, clock)
    await session.commit()
    return name


async def grant_by_telegram_id(
    session: AsyncSession, actor: Actor, region: Region, telegram_id: int, clock: Clock
) -> str:
    """The CLI: make the participant with this Telegram id a regional coordinator."""
    p = await session.scalar(select(Participant).where(Participant.telegram_id == telegram_id))
    if p is None or p.status != ParticipantStatus.ACTIVE:
        raise DomainError("region.error.no_person", telegram_id=telegram_id)
    await session.refresh(p, ["roles"])
    name = region.name  # read before the grant: a press at the same moment rolls back
    await _grant(session, actor, p, region, clock)
    await session.commit()
    return name


async def municipalities_of(session: AsyncSession, region_id: int) -> list[tuple[int, str]]:
    rows = await session.execute(
        select(Municipality.id, Municipality.name)
        .where(Municipality.region_id == region_id)
        .order_by(Municipality.name, Municipality.id)
    )
    return [(int(i), str(n)) for i, n in rows]


# --- the region's indicators ---------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityLine:
    municipality_id: int
    report: Report


@dataclass(frozen=True)
class RegionReport:
    region_id: int
    name: str
    year: str
    values: list[Value]  # the region's line: the municipalities summed
    health: list[Value]
    municipalities: list[MunicipalityLine]


def _schools(v: Value) -> tuple[int, int]:
    """(schools with data, schools) of a municipality's figure."""
    if v.schools is not None:
        return v.known or 0, v.schools
    return (1 if v.b is not None else 0), 1


def _sum(code: str, parts: Sequence[Value]) -> Value:
    """One indicator over the municipalities (see the module's note)."""
    known = [v for v in parts if v.b is not None]
    survey = any(v.answered is not None for v in parts)
    hidden = [v for v in known if survey and v.hidden]
    summed = [v for v in known if v not in hidden]
    if not known:
        b: int | None = None
        a: int | None = None
        answered: int | None = None
    elif not summed:
        # Every municipality's figure hidden: the region's too («ответили» is shown
        # for each of them anyway).
        b, a = sum(v.b or 0 for v in known), None
        answered = sum(v.answered or 0 for v in known)
    else:
        b = sum(v.b or 0 for v in summed)
        a = sum(v.a or 0 for v in summed)
        answered = sum(v.answered or 0 for v in summed) if survey else None
        if survey and (answered or 0) < MIN_ANSWERS:
            a = None
    with_data = sum(_schools(v)[0] for v in parts)
    schools = sum(_schools(v)[1] for v in parts)
    left_out = sum(v.left_out for v in summed)
    if summed:
        left_out += sum(_schools(v)[0] for v in hidden)
    return Value(
        code=code,
        a=a,
        b=b,
        answered=answered if survey else None,
        known=with_data,
        schools=schools,
        left_out=left_out,
    )


async def region_report(
    session: AsyncSession, actor: Actor, region_id: int, now: dt.datetime
) -> RegionReport:
    """The region (its coordinators, admins): each municipality's report and their sum."""
    require_region(actor, region_id)
    region = await session.get(Region, region_id)
    if region is None:
        raise NotFound()
    name = region.name
    lines = [
        MunicipalityLine(mid, await for_municipality(session, actor, mid, now))
        for mid, _ in await municipalities_of(session, region_id)
    ]
    reports = [line.report for line in lines]
    values, health = summed(reports)
    return RegionReport(
        region_id=region_id,
        name=name,
        year=reports[0].year if reports else "",
        values=values,
        health=health,
        municipalities=lines,
    )


def summed(reports: Sequence[Report]) -> tuple[list[Value], list[Value]]:
    """The region's indicators and health figures from its municipalities' reports."""
    if not reports:
        return [], []
    codes = [v.code for v in reports[0].values]
    health = [v.code for v in reports[0].health]
    return (
        [_sum(c, [r.values[i] for r in reports]) for i, c in enumerate(codes)],
        [_sum(c, [r.health[i] for r in reports]) for i, c in enumerate(health)],
    )
