"""Each school's programme for the academic year (created with defaults when first
needed), or the municipality's own when the coordinator runs one for all schools."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Holiday, Programme, School
from models.db import read_memo
from services.clock import SendRules, parse_rest_days
from services.errors import NotFound


def academic_year(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """Russian schools run September to June; the summer belongs to the year before."""
    start_year = day.year if day.month >= 9 else day.year - 1
    return (
        f"{start_year}/{start_year + 1}",
        dt.date(start_year, 9, 1),
        dt.date(start_year + 1, 6, 30),
    )


def with_defaults(municipality_id: int, day: dt.date, *, school_id: int | None) -> Programme:
    """A new programme of the academic year that holds `day`, with the project's
    defaults: a meeting every two weeks, feedback within 48 hours, silence after three
    weeks, a stage stuck after a month, quiet 21:00–08:00, Saturday and Sunday off.
    A school's own (school_id) or the municipality's (None)."""
    year, starts, ends = academic_year(day)
    return Programme(
        school_id=school_id,
        municipality_id=municipality_id,
        academic_year=year,
        starts_on=starts,
        ends_on=ends,
        meeting_interval_days=14,
        feedback_deadline_hours=48,
        silent_after_days=21,
        stage_stuck_days=30,
        quiet_from=dt.time(21, 0),
        quiet_to=dt.time(8, 0),
        rest_days="6,7",
    )


async def for_school(session: AsyncSession, school_id: int, today: dt.date) -> Programme:
    """The programme in force for the school today; a default one is created if none.
    Asked twice by one use case (its deadlines and the send rules): read once until the
    session writes."""
    year = academic_year(today)[0]
    memo = read_memo(session)
    key = ("programme", school_id, year)
    if key not in memo:
        memo[key] = await _for_school(session, school_id, today, year)
    programme: Programme = memo[key]
    return programme


async def _for_school(
    session: AsyncSession, school_id: int, today: dt.date, year: str
) -> Programme:
    school = await session.get(School, school_id)
    if school is None:
        raise NotFound()
    own = await session.scalar(
        select(Programme).where(Programme.school_id == school_id, Programme.academic_year == year)
    )
    if own is not None:
        return own
    shared = await session.scalar(
        select(Programme).where(
            Programme.school_id.is_(None),
            Programme.municipality_id == school.municipality_id,
            Programme.academic_year == year,
        )
    )
    if shared is not None:
        return shared
    programme = with_defaults(school.municipality_id, today, school_id=school_id)
    # Two first actions in a new school at once would both create it: the loser of the
    # unique constraint takes the winner's row instead of failing its use case.
    try:
        async with session.begin_nested():
            session.add(programme)
            await session.flush()
    except IntegrityError:
        created = await session.scalar(
            select(Programme).where(
                Programme.school_id == school_id, Programme.academic_year == year
            )
        )
        if created is None:
            raise
        return created
    return programme


async def send_rules(session: AsyncSession, school_id: int, today: dt.date) -> SendRules:
    school = await session.get(School, school_id)
    if school is None:
        raise NotFound()
    programme = await for_school(session, school_id, today)
    holidays = await session.scalars(
        select(Holiday).where(
            Holiday.municipality_id == school.municipality_id,
            Holiday.ends_on >= today,
        )
    )
    return SendRules(
        zone=school.timezone,
        quiet_from=programme.quiet_from,
        quiet_to=programme.quiet_to,
        rest_days=parse_rest_days(programme.rest_days),
        holidays=tuple((h.starts_on, h.ends_on) for h in holidays),
    )
