"""Survey rounds: a school's входная, промежуточная and итоговая for an academic year,
with dates. The school's order fixes the dates, so they are programme settings: rows
created with the defaults below when first needed, changed by the curator (in the bot)
or for many schools at once (CLI).

Default dates are our choice within what the seeds say: the entry round early in the
year (the seeds' «оценка… необходимая для будущего сравнения»), the intermediate one in
December (002: «Декабрь, июнь»), the final one from mid-May to the end of the programme
(002: completion «ежегодно до 20 мая», monitoring «Май – июнь»). The final round also
opens for a pair at its final meeting, whatever the date (services.surveys.planning).
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, School
from models.surveys import ROUND_ORDER, RoundKind, SurveyRound
from services.access import Actor, school_in_scope
from services.errors import DomainError, NotFound
from services.programmes import academic_year

# (month, day) of opening and closing; months from September belong to the first year.
DEFAULTS: dict[RoundKind, tuple[tuple[int, int], tuple[int, int]]] = {
    RoundKind.ENTRY: ((9, 15), (10, 15)),
    RoundKind.MIDTERM: ((12, 1), (12, 20)),
    RoundKind.FINAL: ((5, 15), (6, 30)),
}


class RoundState(enum.StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """The dates a round of the academic year may take: 1 September to 31 August."""
    first = int(year[:4])
    return dt.date(first, 9, 1), dt.date(first + 1, 8, 31)


def _on(year: str, month_day: tuple[int, int]) -> dt.date:
    first = int(year[:4])
    month, day = month_day
    return dt.date(first if month >= 9 else first + 1, month, day)


def default_dates(year: str, kind: RoundKind) -> tuple[dt.date, dt.date]:
    opens, closes = DEFAULTS[kind]
    return _on(year, opens), _on(year, closes)


def state(survey_round: SurveyRound, today: dt.date) -> RoundState:
    if today > survey_round.closes_on:
        return RoundState.CLOSED
    if today < survey_round.opens_on:
        return RoundState.UPCOMING
    return RoundState.OPEN


def local_today(now: dt.datetime, zone: str) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


async def ensure(session: AsyncSession, wanted: Iterable[tuple[int, str]]) -> None:
    """Create the default rounds of each (school, academic year) that has none yet, in
    one statement; a row someone created meanwhile is left as it is."""
    rows = [
        {
            "school_id": school_id,
            "academic_year": year,
            "kind": kind,
            "opens_on": default_dates(year, kind)[0],
            "closes_on": default_dates(year, kind)[1],
        }
        for school_id, year in sorted(set(wanted))
        for kind in ROUND_ORDER
    ]
    if not rows:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SurveyRound).values(rows)
    await session.execute(
        stmt.on_conflict_do_nothing(index_elements=["school_id", "academic_year", "kind"])
    )


async def of_school(session: AsyncSession, school_id: int, year: str) -> list[SurveyRound]:
    """The school's three rounds of the year, in order (created with defaults if none)."""
    await ensure(session, [(school_id, year)])
    rows = await session.scalars(
        select(SurveyRound)
        .where(SurveyRound.school_id == school_id, SurveyRound.academic_year == year)
        .execution_options(populate_existing=True)
    )
    by_kind = {r.kind: r for r in rows}
    return [by_kind[k] for k in ROUND_ORDER]


async def current_year_of_school(
    session: AsyncSession, school_id: int, now: dt.datetime
) -> tuple[School, str, dt.date]:
    school = await session.get(School, school_id)
    if school is None:
        raise NotFound()
    today = local_today(now, school.timezone)
    return school, academic_year(today)[0], today


def _check(year: str, opens: dt.date, closes: dt.date) -> None:
    first, last = year_bounds(year)
    if closes < opens:
        raise DomainError("surveys.rounds.bad_order")
    if opens < first or closes > last:
        raise DomainError(
            "surveys.rounds.outside_year",
            year=year,
            first=first.strftime("%d.%m.%Y"),
            last=last.strftime("%d.%m.%Y"),
        )


@dataclass(frozen=True)
class RoundDates:
    round_id: int
    school_id: int
    kind: RoundKind
    academic_year: str
    opens_on: dt.date
    closes_on: dt.date


async def round_in_scope(session: AsyncSession, actor: Actor, round_id: int) -> SurveyRound:
    """The round, if the actor oversees its school (a button's id is checked here)."""
    found = await session.get(SurveyRound, round_id)
    if found is None:
        raise NotFound()
    await school_in_scope(session, actor, found.school_id)
    return found


async def dates_of(session: AsyncSession, actor: Actor, round_id: int) -> RoundDates:
    """A round of a school the actor oversees, read for the dates dialog."""
    found = await round_in_scope(session, actor, round_id)
    dates = RoundDates(
        found.id,
        found.school_id,
        found.kind,
        found.academic_year,
        found.opens_on,
        found.closes_on,
    )
    await session.commit()  # a read: the connection goes back before the reply
    return dates


async def set_dates(
    session: AsyncSession,
    actor: Actor,
    round_id: int,
    opens: dt.date,
    closes: dt.date,
) -> RoundDates:
    """The curator (or a coordinator, an admin) moves a round of a school they oversee."""
    found = await round_in_scope(session, actor, round_id)
    _check(found.academic_year, opens, closes)
    found.opens_on, found.closes_on = opens, closes
    found.updated_by_id = actor.participant_id
    await session.commit()
    return RoundDates(found.id, found.school_id, found.kind, found.academic_year, opens, closes)


async def set_for_schools(
    session: AsyncSession,
    *,
    kind: RoundKind,
    year: str,
    opens: dt.date,
    closes: dt.date,
    school_id: int | None = None,
    municipality_id: int | None = None,
) -> int:
    """The CLI's change: one school's round, or the round of every school of a
    municipality. Returns how many rounds now have these dates."""
    _check(year, opens, closes)
    if school_id is not None:
        if await session.get(School, school_id) is None:
            raise NotFound()
        school_ids = [school_id]
    else:
        if municipality_id is None or await session.get(Municipality, municipality_id) is None:
            raise NotFound()
        school_ids = list(
            await session.scalars(
                select(School.id).where(School.municipality_id == municipality_id)
            )
        )
    await ensure(session, [(s, year) for s in school_ids])
    rows = list(
        await session.scalars(
            select(SurveyRound).where(
                SurveyRound.school_id.in_(school_ids),
                SurveyRound.academic_year == year,
                SurveyRound.kind == kind,
            )
        )
    )
    for row in rows:
        row.opens_on, row.closes_on = opens, closes
        row.updated_by_id = None
    await session.commit()
    return len(rows)
