"""A staff member's digest settings: weekday, time (from a fixed list: picked with
buttons, never typed), on/off, the export with every digest. Values come from buttons,
so each is checked here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import DigestSetting
from models.digest import DEFAULT_TIME, DEFAULT_WEEKDAY
from services.access import Actor
from services.errors import DomainError

TIMES = (
    dt.time(7, 30),
    dt.time(8, 0),
    dt.time(8, 30),
    dt.time(9, 0),
    dt.time(10, 0),
    dt.time(12, 0),
    dt.time(14, 0),
    dt.time(16, 0),
    dt.time(18, 0),
)


@dataclass(frozen=True)
class Prefs:
    weekday: int = DEFAULT_WEEKDAY  # ISO, 1 = Monday
    at: dt.time = DEFAULT_TIME
    enabled: bool = True
    with_export: bool = False


def _staff(actor: Actor) -> int:
    if actor.participant_id is None or not (
        actor.curator_school_ids or actor.coordinator_municipality_ids or actor.region_ids
    ):
        raise DomainError("error.staff_only")
    return actor.participant_id


def of_row(row: DigestSetting | None) -> Prefs:
    if row is None:
        return Prefs()
    return Prefs(row.weekday, row.at, row.enabled, row.with_export)


async def prefs(session: AsyncSession, actor: Actor) -> Prefs:
    return of_row(await session.get(DigestSetting, _staff(actor)))


async def change(
    session: AsyncSession,
    actor: Actor,
    now: dt.datetime,
    *,
    weekday: int | None = None,
    minutes: int | None = None,
    enabled: bool | None = None,
    with_export: bool | None = None,
) -> Prefs:
    """Change what was given; the time as minutes after midnight (from a button)."""
    pid = _staff(actor)
    if weekday is not None and not 1 <= weekday <= 7:
        raise DomainError("digest.error.bad_value")
    at = None
    if minutes is not None:
        at = next((x for x in TIMES if x.hour * 60 + x.minute == minutes), None)
        if at is None:
            raise DomainError("digest.error.bad_value")
    row = await session.get(DigestSetting, pid)
    if row is None:
        row = DigestSetting(
            participant_id=pid,
            weekday=DEFAULT_WEEKDAY,
            at=DEFAULT_TIME,
            enabled=True,
            with_export=False,
            updated_at=now,
        )
        session.add(row)
    if weekday is not None:
        row.weekday = weekday
    if at is not None:
        row.at = at
    if enabled is not None:
        row.enabled = enabled
    if with_export is not None:
        row.with_export = with_export
    row.updated_at = now
    result = of_row(row)
    await session.commit()
    return result
