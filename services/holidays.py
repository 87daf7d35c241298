"""School holidays (каникулы) of a municipality: no reminder or nudge is sent on their
dates (services.programmes.send_rules). Its curators and coordinators see the academic
year's list (/holidays); its coordinators and admins add and remove them in the bot,
and the server's administrator from the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Holiday, Municipality, School
from services import audit, staff_scope
from services.access import Actor, require_municipality
from services.clock import local_today
from services.errors import DomainError, NotFound
from services.programmes import academic_year

# Longer than a summer (about 92 days) is a slip of the finger, not a holiday.
MAX_DAYS = 100
TITLE_CHARS = 100  # the column's length


@dataclass(frozen=True)
class HolidayItem:
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class YearHolidays:
    municipality_id: int
    municipality_name: str
    year: str
    items: list[HolidayItem]
    may_edit: bool  # the municipality's coordinator, or an admin


def may_edit(actor: Actor, municipality_id: int) -> bool:
    return actor.is_admin or municipality_id in actor.coordinator_municipality_ids


async def municipality_of(session: AsyncSession, actor: Actor) -> int:
    """The municipality whose holidays the person's /holidays opens: a coordinator's, a
    curator's school's (an admin without a role: the first one). Others are refused."""
    where = await staff_scope.default_scope(session, actor)
    if where.municipality_id:
        return where.municipality_id
    found = await session.scalar(select(School.municipality_id).where(School.id == where.school_id))
    if found is None:
        raise NotFound()
    return int(found)


async def today_in(session: AsyncSession, municipality_id: int, now: dt.datetime) -> dt.date:
    """The municipality's date now (its time zone)."""
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    return local_today(now, municipality.timezone)


async def of_year(
    session: AsyncSession, actor: Actor, municipality_id: int, now: dt.datetime
) -> YearHolidays:
    """The academic year's holidays (any that touch 1 September – 31 August), oldest
    first. The caller checked that the municipality is the person's own."""
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    year, first, _ = academic_year(local_today(now, municipality.timezone))
    last = first.replace(year=first.year + 1) - dt.timedelta(days=1)
    rows = await session.scalars(
        select(Holiday)
        .where(
            Holiday.municipality_id == municipality_id,
            Holiday.ends_on >= first,
            Holiday.starts_on <= last,
        )
        .order_by(Holiday.starts_on, Holiday.id)
    )
    items = [HolidayItem(h.id, h.title, h.starts_on, h.ends_on) for h in rows]
    found = YearHolidays(
        municipality_id, municipality.name, year, items, may_edit(actor, municipality_id)
    )
    await session.commit()  # a read: the connection goes back before the reply
    return found


def check_period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise DomainError("holidays.error.order")
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise DomainError("holidays.error.too_long", days=MAX_DAYS)


async def add(
    session: AsyncSession,
    municipality_id: int,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    now: dt.datetime,
    *,
    actor: Actor | None = None,
) -> HolidayItem:
    """Add a holiday (``actor``: a person in the bot, checked; None: the server's CLI)."""
    if actor is not None:
        require_municipality(actor, municipality_id)
    if await session.get(Municipality, municipality_id) is None:
        raise NotFound()
    check_period(starts_on, ends_on)
    holiday = Holiday(
        municipality_id=municipality_id,
        title=title.strip()[:TITLE_CHARS] or "Каникулы",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(holiday)
    await session.flush()
    audit.record(
        session,
        now,
        "holidays.add",
        actor_id=actor.participant_id if actor else None,
        object_type="holiday",
        object_id=holiday.id,
    )
    await session.commit()
    return HolidayItem(holiday.id, holiday.title, holiday.starts_on, holiday.ends_on)


async def find(session: AsyncSession, actor: Actor, holiday_id: int) -> HolidayItem | None:
    """A holiday the person may remove; None when it is gone already (a second press)."""
    holiday = await session.get(Holiday, holiday_id)
    if holiday is None:
        return None
    require_municipality(actor, holiday.municipality_id)
    return HolidayItem(holiday.id, holiday.title, holiday.starts_on, holiday.ends_on)


async def remove(
    session: AsyncSession, actor: Actor, holiday_id: int, now: dt.datetime
) -> HolidayItem | None:
    """Remove a holiday of the person's municipality; None if it was removed already."""
    holiday = await session.get(Holiday, holiday_id)
    if holiday is None:
        return None
    require_municipality(actor, holiday.municipality_id)
    item = HolidayItem(holiday.id, holiday.title, holiday.starts_on, holiday.ends_on)
    await session.delete(holiday)
    audit.record(
        session,
        now,
        "holidays.remove",
        actor_id=actor.participant_id,
        object_type="holiday",
        object_id=holiday_id,
    )
    await session.commit()
    return item
