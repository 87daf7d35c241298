"""Changing a programme's rhythm and thresholds: from the CLI, and in the bot
(/programme: a curator their school's, a coordinator the municipality's). The defaults
come from services.programmes; school holidays: services.holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Programme, School
from services import audit, staff_scope
from services.access import Actor, require_municipality, school_in_scope
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
    programme = await _shared(session, municipality_id, today)
    _apply(programme, changes)
    school_ids = select(School.id).where(School.municipality_id == municipality_id)
    replaced = await session.execute(
        delete(Programme).where(
            Programme.school_id.in_(school_ids), Programme.academic_year == year
        )
    )
    await session.commit()
    return programme, int(replaced.rowcount or 0)  # type: ignore[attr-defined]


# --- in the bot: /programme --------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """A programme as /programme shows it: a school's (its own, or the municipality's it
    follows) or a municipality's."""

    level: str  # "school" | "municipality"
    scope_id: int
    name: str
    year: str
    starts_on: dt.date
    ends_on: dt.date
    meeting_interval_days: int
    feedback_deadline_hours: int
    silent_after_days: int
    stage_stuck_days: int
    quiet_from: dt.time
    quiet_to: dt.time
    rest_days: frozenset[int]
    schools: int = 1  # a municipality's: how many schools a change reaches


def _rules(level: str, scope_id: int, name: str, p: Programme, schools: int = 1) -> Rules:
    return Rules(
        level,
        scope_id,
        name,
        p.academic_year,
        p.starts_on,
        p.ends_on,
        p.meeting_interval_days,
        p.feedback_deadline_hours,
        p.silent_after_days,
        p.stage_stuck_days,
        p.quiet_from,
        p.quiet_to,
        frozenset(parse_rest_days(p.rest_days)),
        schools,
    )


async def _shared(session: AsyncSession, municipality_id: int, today: dt.date) -> Programme:
    """The municipality's programme of the year, made with the defaults if it has none."""
    year = academic_year(today)[0]
    found = await session.scalar(
        select(Programme).where(
            Programme.school_id.is_(None),
            Programme.municipality_id == municipality_id,
            Programme.academic_year == year,
        )
    )
    if found is None:
        found = with_defaults(municipality_id, today, school_id=None)
        session.add(found)
    return found


async def default_scope(session: AsyncSession, actor: Actor) -> tuple[str, int]:
    """What /programme opens: a coordinator's municipality, else a curator's school."""
    where = await staff_scope.default_scope(session, actor)
    if where.municipality_id:
        return "municipality", where.municipality_id
    return "school", where.school_id


async def rules(
    session: AsyncSession, actor: Actor, level: str, scope_id: int, today: dt.date
) -> Rules:
    if level == "school":
        school = await school_in_scope(session, actor, scope_id)
        programme = await for_school(session, scope_id, today)
        found = _rules(level, scope_id, school.name, programme)
    else:
        require_municipality(actor, scope_id)
        municipality = await session.get(Municipality, scope_id)
        if municipality is None:
            raise NotFound()
        count = await session.scalar(
            select(func.count()).select_from(School).where(School.municipality_id == scope_id)
        )
        found = _rules(
            level, scope_id, municipality.name, await _shared(session, scope_id, today), count or 0
        )
    await session.commit()  # the defaults made on first sight are kept
    return found


def check_in_year(day: dt.date, today: dt.date) -> None:
    """A programme's day lies within the academic year of ``today``: 1 September to
    31 August (the programme is that year's)."""
    year, first, _ = academic_year(today)
    last = first.replace(year=first.year + 1) - dt.timedelta(days=1)
    if not first <= day <= last:
        raise DomainError(
            "programme.period_outside_year",
            year=year,
            first=f"{first:%d.%m.%Y}",
            last=f"{last:%d.%m.%Y}",
        )


async def may_change(session: AsyncSession, actor: Actor, level: str, scope_id: int) -> None:
    """Whether the actor may change this programme (AccessDenied, NotFound otherwise): a
    school's by its curator, its coordinator or an admin; a municipality's by its
    coordinator or an admin."""
    if level == "school":
        await school_in_scope(session, actor, scope_id)
    elif level == "municipality":
        require_municipality(actor, scope_id)
        if await session.get(Municipality, scope_id) is None:
            raise NotFound()
    else:
        raise NotFound()


def _audit_change(
    session: AsyncSession, actor: Actor, level: str, scope_id: int, now: dt.datetime
) -> None:
    audit.record(
        session,
        now,
        "programme.change",
        actor_id=actor.participant_id,
        object_type=level,
        object_id=scope_id,
    )


async def change(
    session: AsyncSession,
    actor: Actor,
    level: str,
    scope_id: int,
    changes: Changes,
    today: dt.date,
    now: dt.datetime,
) -> Rules:
    """A school's programme (its curator, its municipality's coordinator, an admin; a
    regional coordinator watches and does not change): its own copy from now on. Or a
    municipality's: the change goes into its programme and into every school's own
    programme of the year, each school keeping its other settings. A new period must
    lie within the academic year of ``today`` (the programme is that year's)."""
    await may_change(session, actor, level, scope_id)
    for day in (changes.starts_on, changes.ends_on):
        if day is not None:
            check_in_year(day, today)
    _audit_change(session, actor, level, scope_id, now)
    if level == "school":
        await set_for_school(session, scope_id, changes, today)  # commits
    else:
        _apply(await _shared(session, scope_id, today), changes)
        year = academic_year(today)[0]
        for own in await session.scalars(
            select(Programme).where(
                Programme.school_id.in_(
                    select(School.id).where(School.municipality_id == scope_id)
                ),
                Programme.academic_year == year,
            )
        ):
            _apply(own, changes)
        await session.commit()
    return await rules(session, actor, level, scope_id, today)
