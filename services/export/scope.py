"""What an export covers: one school (its curator) or a municipality (its coordinator),
for the academic year of the day of export, checked against who asks."""

from __future__ import annotations

import datetime as dt
import enum
import re
import zoneinfo
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import Municipality, Region, School
from services import staff_scope
from services.access import Actor, municipality_in_view, require_region, school_in_scope
from services.errors import DomainError, NotFound
from services.programmes import academic_year
from services.validation import as_id


class Level(enum.StrEnum):
    SCHOOL = "school"
    MUNICIPALITY = "municipality"
    REGION = "region"  # its municipalities, then all their schools


@dataclass(frozen=True)
class ExportScope:
    level: Level
    id: int  # the school's or the municipality's
    name: str
    municipality_id: int
    school_ids: tuple[int, ...]
    school_names: dict[int, str]
    zones: dict[int, str]  # each school's IANA zone
    zone: str  # the school's, or the municipality's
    year: str  # the academic year, "2026/2027"
    starts: dt.datetime  # 1 September of the year, local midnight, in UTC
    ends: dt.datetime  # the next 1 September
    now: dt.datetime
    # A region's municipalities (municipality_id is then the first of them), and the
    # municipality of each of its schools.
    municipality_ids: tuple[int, ...] = ()
    municipality_names: dict[int, str] = field(default_factory=dict)
    school_municipality: dict[int, int] = field(default_factory=dict)

    @property
    def municipalities(self) -> tuple[int, ...]:
        return self.municipality_ids or (self.municipality_id,)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()


def _bounds(zone: str, now: dt.datetime) -> tuple[str, dt.datetime, dt.datetime]:
    tz = zoneinfo.ZoneInfo(zone)
    year, first, _ = academic_year(now.astimezone(tz).date())
    starts = dt.datetime.combine(first, dt.time(0, 0), tzinfo=tz).astimezone(dt.UTC)
    ends = dt.datetime.combine(
        first.replace(year=first.year + 1), dt.time(0, 0), tzinfo=tz
    ).astimezone(dt.UTC)
    return year, starts, ends


async def school(
    session: AsyncSession, actor: Actor, school_id: int, now: dt.datetime
) -> ExportScope:
    """A school: its curator, its municipality's coordinator, or an admin."""
    found = await school_in_scope(session, actor, school_id)
    year, starts, ends = _bounds(found.timezone, now)
    return ExportScope(
        level=Level.SCHOOL,
        id=found.id,
        name=found.name,
        municipality_id=found.municipality_id,
        school_ids=(found.id,),
        school_names={found.id: found.name},
        zones={found.id: found.timezone},
        zone=found.timezone,
        year=year,
        starts=starts,
        ends=ends,
        now=now,
    )


async def municipality(
    session: AsyncSession, actor: Actor, municipality_id: int, now: dt.datetime
) -> ExportScope:
    """A municipality with all its schools: its coordinator, an admin, or a coordinator
    of its region (who reads it: the region's digest goes through here)."""
    await municipality_in_view(session, actor, municipality_id)
    found = await session.get(Municipality, municipality_id)
    if found is None:
        raise NotFound()
    rows = (
        await session.execute(
            select(School.id, School.name, School.timezone)
            .where(School.municipality_id == municipality_id)
            .order_by(School.name, School.id)
        )
    ).all()
    year, starts, ends = _bounds(found.timezone, now)
    return ExportScope(
        level=Level.MUNICIPALITY,
        id=found.id,
        name=found.name,
        municipality_id=found.id,
        school_ids=tuple(r[0] for r in rows),
        school_names={r[0]: r[1] for r in rows},
        zones={r[0]: r[2] for r in rows},
        zone=found.timezone,
        year=year,
        starts=starts,
        ends=ends,
        now=now,
    )


async def region(
    session: AsyncSession, actor: Actor, region_id: int, now: dt.datetime
) -> ExportScope:
    """A region with all its municipalities' schools: its regional coordinator or an
    admin. The year and the zone are the first municipality's."""
    require_region(actor, region_id)
    found = await session.get(Region, region_id)
    if found is None:
        raise NotFound()
    municipalities = (
        await session.execute(
            select(Municipality.id, Municipality.name, Municipality.timezone)
            .where(Municipality.region_id == region_id)
            .order_by(Municipality.name, Municipality.id)
        )
    ).all()
    if not municipalities:
        raise DomainError("region.error.empty", name=found.name)
    rows = (
        await session.execute(
            select(School.id, School.name, School.timezone, School.municipality_id)
            .join(Municipality, Municipality.id == School.municipality_id)
            .where(Municipality.region_id == region_id)
            .order_by(Municipality.name, Municipality.id, School.name, School.id)
        )
    ).all()
    zone = municipalities[0][2]
    year, starts, ends = _bounds(zone, now)
    return ExportScope(
        level=Level.REGION,
        id=found.id,
        name=found.name,
        municipality_id=municipalities[0][0],
        school_ids=tuple(r[0] for r in rows),
        school_names={r[0]: r[1] for r in rows},
        zones={r[0]: r[2] for r in rows},
        zone=zone,
        year=year,
        starts=starts,
        ends=ends,
        now=now,
        municipality_ids=tuple(m[0] for m in municipalities),
        municipality_names={m[0]: m[1] for m in municipalities},
        school_municipality={r[0]: r[3] for r in rows},
    )


async def of_level(
    session: AsyncSession, actor: Actor, level: Level, scope_id: int, now: dt.datetime
) -> ExportScope:
    """A school, a municipality or a region chosen by id (a button, the panel's address),
    each checked as above."""
    if level == Level.SCHOOL:
        return await school(session, actor, scope_id, now)
    if level == Level.MUNICIPALITY:
        return await municipality(session, actor, scope_id, now)
    return await region(session, actor, scope_id, now)


async def of_export(session: AsyncSession, actor: Actor, now: dt.datetime) -> ExportScope:
    """/export, /spravka and the panel: a regional coordinator's region, else what
    of_actor gives."""
    if actor.region_ids:
        return await region(session, actor, min(actor.region_ids), now)
    return await of_actor(session, actor, now)


async def of_actor(session: AsyncSession, actor: Actor, now: dt.datetime) -> ExportScope:
    """/export: a coordinator's municipality, else a curator's school; teachers are
    refused («error.staff_only»)."""
    where = await staff_scope.default_scope(session, actor)
    if where.municipality_id:
        return await municipality(session, actor, where.municipality_id, now)
    return await school(session, actor, where.school_id, now)


# --- the CLI: a school or a municipality by id or part of the name -------------------------


def _name_matches(column: InstrumentedAttribute[str], needle: str) -> ColumnElement[bool]:
    # autoescape: a typed "%" or "_" is a character; SQLite lowers only ASCII, hence
    # the capitalised and lowered variants.
    return (
        column.icontains(needle, autoescape=True)
        | column.contains(needle.lower(), autoescape=True)
        | column.contains(needle.capitalize(), autoescape=True)
    )


async def find(session: AsyncSession, needle: str, level: Level) -> list[tuple[int, str]]:
    """Schools (or municipalities) whose id is the needle or whose name contains it."""
    needle = needle.strip()
    ids, names = (
        (School.id, School.name) if level == Level.SCHOOL else (Municipality.id, Municipality.name)
    )
    needle_id = as_id(needle)
    if needle_id is not None:
        by_id = (await session.execute(select(ids, names).where(ids == needle_id))).first()
        if by_id is not None:
            return [(int(by_id[0]), str(by_id[1]))]
    rows = await session.execute(
        select(ids, names).where(_name_matches(names, needle)).order_by(names, ids).limit(20)
    )
    return [(int(i), str(n)) for i, n in rows]


def unique(found: list[tuple[int, str]], needle: str) -> int:
    if not found:
        raise DomainError("export.cli.not_found", needle=needle)
    if len(found) > 1:
        names = "; ".join(f"{i}: {n}" for i, n in found[:10])
        raise DomainError("export.cli.ambiguous", names=names)
    return found[0][0]


_UNSAFE = re.compile(r"[^\w№-]+", re.UNICODE)


def file_stem(scope: ExportScope, prefix: str) -> str:
    """«Наставничество_МБОУ_Средняя_школа_№_12_2026-11-23»: the scope and the date,
    never a person's name."""
    name = _UNSAFE.sub("_", scope.name).strip("_")[:60].rstrip("_")
    return f"{prefix}_{name}_{scope.today.isoformat()}"
