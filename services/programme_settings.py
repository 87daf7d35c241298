"""Changing a programme's rhythm and thresholds (used by the CLI; the defaults come from
services.programmes; school holidays: services.holidays)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Programme, School
from services.clock import parse_rest_days
from services.errors import DomainError, NotFound
from services.programmes import academic_year, for_school, with_defaults


@dataclass(frozen=True)
class Changes:
    meeting_interval_days: int | None = None
    feedback_deadline_hours: int | None = None
    silent_after_days: int | None = None
    stage_stuck_days: int | None = None
    quiet_from: dt.time | None = None
    quiet_to: dt.time | None = None
    rest_days: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


def parse_quiet(text: str) -> tuple[dt.time, dt.time]:
    """«21:00-08:00» → (21:00, 08:00)."""
    try:
        start, end = (dt.time.fromisoformat(p.strip()) for p in text.replace("–", "-").split("-"))
    except ValueError as exc:
        raise DomainError("programme.bad_quiet", value=text) from exc
    return start, end


def _apply(programme: Programme, changes: Changes) -> None:
    for name, value in vars(changes).items():
        if value is None:
            continue
        if name == "rest_days":
            days = parse_rest_days(value)
            if not days <= set(range(1, 8)):
                raise DomainError("programme.bad_rest_days", value=value)
            value = ",".join(str(d) for d in sorted(days))
        if isinstance(value, int) and not 1 <= value <= 366:
            raise DomainError("programme.bad_number", name=name, value=value)
        setattr(programme, name, value)
    if programme.starts_on >= programme.ends_on:
        raise DomainError("programme.bad_dates")


async def set_for_school(
    session: AsyncSession, school_id: int, changes: Changes, today: dt.date
) -> Programme:
    programme = await for_school(session, school_id, today)
    if programme.school_id is None:
        # The school followed the municipality's programme: it gets its own copy now.
        shared = programme
        programme = Programme(
            school_id=school_id,
            municipality_id=shared.municipality_id,
            academic_year=shared.academic_year,
            starts_on=shared.starts_on,
            ends_on=shared.ends_on,
            meeting_interval_days=shared.meeting_interval_days,
            feedback_deadline_hours=shared.feedback_deadline_hours,
            silent_after_days=shared.silent_after_days,
            stage_stuck_days=shared.stage_stuck_days,
            quiet_from=shared.quiet_from,
            quiet_to=shared.quiet_to,
            rest_days=shared.rest_days,
        )
        session.add(programme)
    _apply(programme, changes)
    await session.commit()
    return programme


async def set_for_municipality(
    session: AsyncSession, municipality_id: int, changes: Changes, today: dt.date
) -> tuple[Programme, int]:
    """One programme for every school of the municipality this year. Schools' own
    programmes for the year are replaced; returns how many were."""
    if await session.get(Municipality, municipality_id) is None:
        raise NotFound()
    year = academic_year(today)[0]
    programme = await session.scalar(
        select(Programme).where(
            Programme.school_id.is_(None),
            Programme.municipality_id == municipality_id,
            Programme.academic_year == year,
        )
    )
    if programme is None:
        programme = with_defaults(municipality_id, today, school_id=None)
        session.add(programme)
    _apply(programme, changes)
    school_ids = select(School.id).where(School.municipality_id == municipality_id)
    replaced = await session.execute(
        delete(Programme).where(
            Programme.school_id.in_(school_ids), Programme.academic_year == year
        )
    )
    await session.commit()
    return programme, int(replaced.rowcount or 0)  # type: ignore[attr-defined]
