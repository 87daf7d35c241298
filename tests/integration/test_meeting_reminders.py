"""Meeting reminders with an injected clock, in three time zones: a day and an hour
before the start and «Встреча состоялась?» an hour after it, each at the school's local
time; quiet hours move or drop a reminder; a moved meeting's old rows are cancelled."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingFormat, MeetingKind, Outbox, OutboxStatus, Role
from services import meetings
from services.clock import FixedClock
from services.outbox import Kind
from tests import arrange

ZONES = ("Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk")
DAY, HOUR, ASK = Kind.MEETING_REMIND_DAY, Kind.MEETING_REMIND_HOUR, Kind.MEETING_DID_IT_HAPPEN


def local(zone: str, day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    """A wall-clock moment in the zone, as the UTC instant stored in the database."""
    at = dt.datetime(2026, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))
    return at.astimezone(dt.UTC)


async def _rows(db: AsyncSession, meeting_id: int) -> list[Outbox]:
    result = await db.scalars(
        select(Outbox)
        .where(Outbox.meeting_id == meeting_id)
        .order_by(Outbox.id)
        .execution_options(populate_existing=True)
    )
    return list(result.all())


def _due(
    rows: list[Outbox], status: OutboxStatus = OutboxStatus.PENDING
) -> dict[tuple[str, int], dt.datetime]:
    return {(r.kind, r.recipient_id): r.due_at for r in rows if r.status == status}


async def _pair(db: AsyncSession, zone: str, n: int) -> tuple[int, int, int]:
    school = await arrange.school_in_zone(db, zone, f"Школа {n} ({zone})")
    mentor = await arrange.teacher(db, 900 + n * 10, "Петров Иван Сергеевич", Role.MENTOR, school)
    mentee = await arrange.teacher(db, 901 + n * 10, "Иванова Мария Петровна", Role.MENTEE, school)
    p = await arrange.pair(db, mentor, [mentee], formed_at=arrange.NOW - dt.timedelta(days=1))
    return p.id, mentor.id, mentee.id


async def _schedule(
    db: AsyncSession, clock: FixedClock, mentor_id: int, pair_id: int, starts_at: dt.datetime
) -> int:
    info = await meetings.schedule(
        db,
        clock,
        mentor_id,
        pair_id,
        kind=MeetingKind.INTRO,
        starts_at=starts_at,
        fmt=MeetingFormat.OFFLINE,
        place="кабинет 5",
    )
    return info.id


@pytest.mark.parametrize("zone", ZONES)
async def test_day_and_hour_reminders_and_the_question_at_local_times(
    db: AsyncSession, clock: FixedClock, zone: str
) -> None:
    pair_id, mentor, mentee = await _pair(db, zone, 1)
    # Wednesday 25.11 at 15:00 in the school's own zone.
    mid = await _schedule(db, clock, mentor, pair_id, local(zone, 25, 15))
    due = _due(await _rows(db, mid))
    for pid in (mentor, mentee):
        assert due[(DAY, pid)] == local(zone, 24, 15)
        assert due[(HOUR, pid)] == local(zone, 25, 14)
    assert due[(ASK, mentor)] == local(zone, 25, 16)
    assert (ASK, mentee) not in due
    assert due[(Kind.MEETING_PROPOSED, mentee)] == clock.now()


@pytest.mark.parametrize("zone", ZONES)
async def test_quiet_hours_move_or_drop_reminders_but_rest_days_do_not(
    db: AsyncSession, clock: FixedClock, zone: str
) -> None:
    # 08:00 on Monday 30.11: the hour reminder (07:00) would be pushed by quiet hours to
    # 08:00, the start itself, so it is not written; the day one goes on Sunday 08:00 —
    # a day off, but the meeting was set by the people themselves.
    pair_id, mentor, mentee = await _pair(db, zone, 1)
    mid = await _schedule(db, clock, mentor, pair_id, local(zone, 30, 8))
    due = _due(await _rows(db, mid))
    assert (HOUR, mentee) not in due and (HOUR, mentor) not in due
    assert due[(DAY, mentee)] == local(zone, 29, 8)

    # 08:30 on Thursday 26.11: the hour reminder moves from 07:30 to 08:00.
    pair_id, mentor, mentee = await _pair(db, zone, 2)
    mid = await _schedule(db, clock, mentor, pair_id, local(zone, 26, 8, 30))
    due = _due(await _rows(db, mid))
    assert due[(HOUR, mentee)] == local(zone, 26, 8)
    assert due[(DAY, mentee)] == local(zone, 25, 8, 30)

    # 09:00 on Tuesday 24.11, less than a day ahead: the day reminder's moment has
    # passed, so only the hour one (08:00) is written.
    pair_id, mentor, mentee = await _pair(db, zone, 3)
    mid = await _schedule(db, clock, mentor, pair_id, local(zone, 24, 9))
    due = _due(await _rows(db, mid))
    assert (DAY, mentee) not in due and (DAY, mentor) not in due
    assert due[(HOUR, mentee)] == local(zone, 24, 8)
    assert due[(ASK, mentor)] == local(zone, 24, 10)

    # 19:30 on Tuesday 24.11: «состоялась?» at 20:30, before quiet hours.
    pair_id, mentor, mentee = await _pair(db, zone, 4)
    mid = await _schedule(db, clock, mentor, pair_id, local(zone, 24, 19, 30))
    due = _due(await _rows(db, mid))
    assert due[(DAY, mentee)] == local(zone, 23, 19, 30)
    assert due[(ASK, mentor)] == local(zone, 24, 20, 30)


async def test_the_question_after_a_late_meeting_waits_for_the_morning(
    db: AsyncSession, clock: FixedClock
) -> None:
    zone = "Asia/Novosibirsk"
    pair_id, mentor, _ = await _pair(db, zone, 1)
    mid = await _schedule(db, clock, mentor, pair_id, local(zone, 25, 20, 30))
    due = _due(await _rows(db, mid))
    assert due[(ASK, mentor)] == local(zone, 26, 8)


@pytest.mark.parametrize("zone", ZONES)
async def test_a_moved_meetings_old_reminders_are_cancelled_and_new_ones_written(
    db: AsyncSession, clock: FixedClock, zone: str
) -> None:
    pair_id, mentor, mentee = await _pair(db, zone, 1)
    mid = await _schedule(db, clock, mentor, pair_id, local(zone, 25, 15))
    old = {r.id for r in await _rows(db, mid)}

    clock.advance(dt.timedelta(hours=2))
    await meetings.reschedule(db, clock, mentee, mid, local(zone, 27, 10))
    rows = await _rows(db, mid)
    assert all(r.status == OutboxStatus.CANCELLED for r in rows if r.id in old)
    new = _due([r for r in rows if r.id not in old])
    for pid in (mentor, mentee):
        assert new[(DAY, pid)] == local(zone, 26, 10)
        assert new[(HOUR, pid)] == local(zone, 27, 9)
    assert new[(ASK, mentor)] == local(zone, 27, 11)
    # The mover is not told about their own move; the other side is.
    assert (Kind.MEETING_MOVED, mentor) in new and (Kind.MEETING_MOVED, mentee) not in new
    assert len(new) == 6

    # Cancelling leaves only the cancellation notice pending.
    await meetings.cancel(db, clock, mentor, mid)
    pending = [r.kind for r in await _rows(db, mid) if r.status == OutboxStatus.PENDING]
    assert pending == [Kind.MEETING_CANCELLED]
