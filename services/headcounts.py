"""Schools' real headcounts per academic year: «численность педагогических работников»,
«из них до 35 лет», «из них молодых специалистов (стаж 0–3 года)». They are the B of
the coverage indicators — never the bot's own registrations. Entered by the curator in
the bot (/headcount), by the CLI, or (for many schools at once) by a file import.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, School
from models.surveys import Headcount
from services.access import Actor, require_municipality, school_in_scope
from services.errors import NotFound
from services.programmes import academic_year
from services.validation import FieldError

MAX_COUNT = 10_000
FIELDS = ("teachers", "under_35", "young_specialists")


def parse_count(text: str | None) -> int:
    """A typed number of people: digits only, 0 to MAX_COUNT."""
    value = (text or "").strip().replace(" ", "")
    if not re.fullmatch(r"\d{1,6}", value):
        raise FieldError("headcount.error.not_a_number")
    number = int(value)
    if number > MAX_COUNT:
        raise FieldError("headcount.error.too_big", limit=MAX_COUNT)
    return number


@dataclass(frozen=True)
class Counts:
    teachers: int
    under_35: int
    young_specialists: int

    def check(self) -> None:
        for name in FIELDS:
            if not 0 <= getattr(self, name) <= MAX_COUNT:
                raise FieldError("headcount.error.too_big", limit=MAX_COUNT)
        if self.under_35 > self.teachers:
            raise FieldError("headcount.error.under_35_above", teachers=self.teachers)
        if self.young_specialists > self.teachers:
            raise FieldError("headcount.error.young_above", teachers=self.teachers)


def check_part(field: str, value: int, teachers: int | None) -> None:
    """One answer of the in-bot form, checked against the number already given."""
    if field == "under_35" and teachers is not None and value > teachers:
        raise FieldError("headcount.error.under_35_above", teachers=teachers)
    if field == "young_specialists" and teachers is not None and value > teachers:
        raise FieldError("headcount.error.young_above", teachers=teachers)


@dataclass(frozen=True)
class SchoolHeadcount:
    school_id: int
    school_name: str
    year: str
    counts: Counts | None
    entered_at: dt.datetime | None
    source: str | None


async def _save(
    session: AsyncSession,
    school_id: int,
    year: str,
    counts: Counts,
    *,
    source: str,
    now: dt.datetime,
    entered_by_id: int | None,
) -> None:
    counts.check()
    values = {
        "school_id": school_id,
        "academic_year": year,
        "teachers": counts.teachers,
        "under_35": counts.under_35,
        "young_specialists": counts.young_specialists,
        "source": source,
        "entered_by_id": entered_by_id,
        "entered_at": now,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Headcount).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["school_id", "academic_year"],
            set_={k: stmt.excluded[k] for k in values if k not in ("school_id", "academic_year")},
        )
    )


async def of_school(
    session: AsyncSession, actor: Actor, school_id: int, year: str
) -> SchoolHeadcount:
    school = await school_in_scope(session, actor, school_id)
    row = await session.scalar(
        select(Headcount)
        .where(Headcount.school_id == school_id, Headcount.academic_year == year)
        .execution_options(populate_existing=True)
    )
    return SchoolHeadcount(
        school.id,
        school.name,
        year,
        Counts(row.teachers, row.under_35, row.young_specialists) if row else None,
        row.entered_at if row else None,
        row.source if row else None,
    )


async def enter(
    session: AsyncSession,
    actor: Actor,
    school_id: int,
    year: str,
    counts: Counts,
    now: dt.datetime,
) -> SchoolHeadcount:
    """The curator's (or a coordinator's) numbers for a school they oversee. Commits."""
    await school_in_scope(session, actor, school_id)
    await _save(
        session,
        school_id,
        year,
        counts,
        source="bot",
        now=now,
        entered_by_id=actor.participant_id,
    )
    await session.commit()
    return await of_school(session, actor, school_id, year)


async def set_by_cli(
    session: AsyncSession, school_id: int, year: str, counts: Counts, now: dt.datetime
) -> None:
    if await session.get(School, school_id) is None:
        raise NotFound()
    await _save(session, school_id, year, counts, source="cli", now=now, entered_by_id=None)
    await session.commit()


async def save_imported(
    session: AsyncSession,
    rows: Iterable[tuple[int, str, Counts]],
    *,
    now: dt.datetime,
    entered_by_id: int | None,
) -> None:
    """Rows of a headcount file (services.imports.headcount_file checked the schools,
    the scope and the numbers): saved with source «import». Does not commit."""
    for school_id, year, counts in rows:
        await _save(
            session, school_id, year, counts, source="import", now=now, entered_by_id=entered_by_id
        )


async def of_schools(session: AsyncSession, school_ids: list[int], year: str) -> dict[int, Counts]:
    rows = await session.scalars(
        select(Headcount).where(
            Headcount.school_id.in_(school_ids), Headcount.academic_year == year
        )
    )
    return {r.school_id: Counts(r.teachers, r.under_35, r.young_specialists) for r in rows}


def _year(zone: str, now: dt.datetime) -> str:
    return academic_year(now.astimezone(zoneinfo.ZoneInfo(zone)).date())[0]


async def current(
    session: AsyncSession, actor: Actor, school_id: int, now: dt.datetime
) -> SchoolHeadcount:
    """The school's headcount for the academic year running in its time zone."""
    school = await school_in_scope(session, actor, school_id)
    found = await of_school(session, actor, school.id, _year(school.timezone, now))
    await session.commit()  # a read: the connection goes back before the reply
    return found


@dataclass(frozen=True)
class MunicipalityHeadcounts:
    municipality_id: int
    name: str
    year: str
    rows: list[tuple[int, str, Counts | None]]  # school id, name, counts


async def for_municipality(
    session: AsyncSession, actor: Actor, municipality_id: int, now: dt.datetime
) -> MunicipalityHeadcounts:
    require_municipality(actor, municipality_id)
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    year = _year(municipality.timezone, now)
    schools = (
        await session.execute(
            select(School.id, School.name)
            .where(School.municipality_id == municipality_id)
            .order_by(School.name, School.id)
        )
    ).all()
    counts = await of_schools(session, [s for s, _ in schools], year)
    await session.commit()
    return MunicipalityHeadcounts(
        municipality_id,
        municipality.name,
        year,
        [(s, name, counts.get(s)) for s, name in schools],
    )
