"""School holidays (каникулы) of a municipality: no reminder or nudge is sent on their
dates (services.programmes.send_rules). Its curators and coordinators, and the regional
coordinators of its region, see the academic year's list (/holidays; a person with
several such municipalities picks one); its coordinators and admins add and remove them
in the bot, and the server's administrator from the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Holiday, Municipality, School
from services import audit
from services.access import Actor, require_municipality
from services.clock import local_today
from services.errors import AccessDenied, DomainError, NotFound
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
    municipality_id: int


@dataclass(frozen=True)
class YearHolidays:
    municipality_id: int
    municipality_name: str
    year: str
    items: list[HolidayItem]
    may_edit: bool  # the municipality's coordinator, or an admin


def may_edit(actor: Actor, municipality_id: int) -> bool:
    return actor.is_admin or municipality_id in actor.coordinator_municipality_ids


# An inline keyboard holds at most 100 buttons: an admin of a larger installation
# picks among the first ones by name (no region has come close).
PICK_LIMIT = 90


def _in_view(actor: Actor) -> list[ColumnElement[bool]]:
    """Which municipalities' holidays the person may read, as conditions on Municipality:
    those they coordinate, their schools', their regions'. None: no such role."""
    where: list[ColumnElement[bool]] = []
    if actor.coordinator_municipality_ids:
        where.append(Municipality.id.in_(actor.coordinator_municipality_ids))
    if actor.curator_school_ids:
        schools = select(School.municipality_id).where(School.id.in_(actor.curator_school_ids))
        where.append(Municipality.id.in_(schools))
    if actor.region_ids:
        where.append(Municipality.region_id.in_(actor.region_ids))
    return where


async def municipalities(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """The municipalities the person's /holidays may open, by name: one opens at once,
    several are a choice. An admin without such a role: every municipality. Teachers
    are refused."""
    where = _in_view(actor)
    if not where:
        if not actor.is_admin:
            raise DomainError("error.staff_only")
        where = [true()]
    rows = await session.execute(
        select(Municipality.id, Municipality.name)
        .where(or_(*where))
        .order_by(Municipality.name, Municipality.id)
        .limit(PICK_LIMIT)
    )
    found = [(int(i), str(n)) for i, n in rows]
    await session.commit()  # a read: the connection goes back before the reply
    if not found:
        raise NotFound()
    return found


async def _require_in_view(session: AsyncSession, actor: Actor, municipality_id: int) -> None:
    if actor.is_admin:
        return
    where = _in_view(actor)
    if not where:
        raise AccessDenied()
    visible = await session.scalar(
        select(Municipality.id).where(Municipality.id == municipality_id, or_(*where))
    )
    if visible is None:
        raise AccessDenied()


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
    first, of a municipality the person may read (the id may come from a button)."""
    await _require_in_view(session, actor, municipality_id)
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
    items = [_item(h) for h in rows]
    found = YearHolidays(
        municipality_id, municipality.name, year, items, may_edit(actor, municipality_id)
    )
    await session.commit()  # a read: the connection goes back before the reply
    return found


def _item(holiday: Holiday) -> HolidayItem:
    return HolidayItem(
        holiday.id, holiday.title, holiday.starts_on, holiday.ends_on, holiday.municipality_id
    )


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
    return _item(holiday)


async def find(session: AsyncSession, actor: Actor, holiday_id: int) -> HolidayItem | None:
    """A holiday the person may remove; None when it is gone already (a second press)."""
    holiday = await session.get(Holiday, holiday_id)
    if holiday is None:
        return None
    require_municipality(actor, holiday.municipality_id)
    return _item(holiday)


async def remove(
    session: AsyncSession, actor: Actor, holiday_id: int, now: dt.datetime
) -> HolidayItem | None:
    """Remove a holiday of the person's municipality; None if it was removed already."""
    holiday = await session.get(Holiday, holiday_id)
    if holiday is None:
        return None
    require_municipality(actor, holiday.municipality_id)
    item = _item(holiday)
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
