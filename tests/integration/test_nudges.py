"""Nudges planned with an injected clock, in three time zones (Moscow UTC+3, Novosibirsk
UTC+7, Yakutsk UTC+9): a silent pair is nudged at the right local morning when «now»
falls in quiet hours, on a weekend or in the school holidays; escalated to the curator a
week later; a stage stuck too long is reported; a paused pair waits; planning twice
writes nothing new."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Holiday,
    MeetingKind,
    MeetingStatus,
    Outbox,
    OutboxStatus,
    Pair,
    PairStatus,
)
from services import nudges
from services.clock import FixedClock
from services.outbox import Kind
from tests import arrange
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Deliver

ZONES = ("Europe/Moscow", "Asia/Novosibirsk", "Asia/Yakutsk")


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=dt.UTC)


def local(at: dt.datetime, zone: str) -> dt.datetime:
    return at.astimezone(zoneinfo.ZoneInfo(zone))


async def _rows(db: AsyncSession, kind: str | None = None) -> list[Outbox]:
    stmt = select(Outbox).order_by(Outbox.id).execution_options(populate_existing=True)
    if kind is not None:
        stmt = stmt.where(Outbox.kind == kind)
    return list(await db.scalars(stmt))


async def _three_silent_pairs(
    db: AsyncSession, formed_at: dt.datetime
) -> dict[str, arrange.Arranged]:
    """One silent pair per zone, each in its own municipality (holidays are per
    municipality); Telegram ids 300+, 400+, 500+."""
    return {
        zone: await arrange.school_with_pair(db, zone=zone, tg=300 + 100 * i, formed_at=formed_at)
        for i, zone in enumerate(ZONES)
    }


async def _due_by_zone(
    db: AsyncSession, arranged: dict[str, arrange.Arranged]
) -> dict[str, dt.datetime]:
    """The local due time of each pair's nudge to its mentor."""
    result = {}
    for zone, a in arranged.items():
        rows = [r for r in await _rows(db, Kind.PAIR_SILENT) if r.recipient_id == a.mentor.id]
        assert len(rows) == 1, zone
        result[zone] = local(rows[0].due_at, zone)
    return result


async def test_silent_pairs_in_three_zones_wait_for_their_local_morning(
    db: AsyncSession,
) -> None:
    # Tuesday 1 December, 14:00 UTC: 17:00 in Moscow, 21:00 in Novosibirsk (quiet hours
    # have just begun), 23:00 in Yakutsk.
    now = utc(2026, 12, 1, 14)
    arranged = await _three_silent_pairs(db, formed_at=now - dt.timedelta(days=30))
    added = await nudges.plan(db, now)
    assert added == 6  # the mentor and the mentee of each pair
    due = await _due_by_zone(db, arranged)
    assert due["Europe/Moscow"] == local(now, "Europe/Moscow")  # daytime: at once
    assert due["Asia/Novosibirsk"].replace(tzinfo=None) == dt.datetime(2026, 12, 2, 8, 0)
    assert due["Asia/Yakutsk"].replace(tzinfo=None) == dt.datetime(2026, 12, 2, 8, 0)
    mentees = {r.recipient_id for r in await _rows(db, Kind.PAIR_SILENT)}
    assert {a.mentee.id for a in arranged.values()} <= mentees
    assert await _rows(db, Kind.PAIR_SILENT_CURATOR) == []  # not yet


async def test_weekend_moves_the_nudge_to_monday_morning(db: AsyncSession) -> None:
    # Saturday 5 December, 07:00 UTC: daytime everywhere, but a rest day.
    now = utc(2026, 12, 5, 7)
    arranged = await _three_silent_pairs(db, formed_at=now - dt.timedelta(days=25))
    await nudges.plan(db, now)
    due = await _due_by_zone(db, arranged)
    for zone in ZONES:
        assert due[zone].replace(tzinfo=None) == dt.datetime(2026, 12, 7, 8, 0), zone


async def test_school_holidays_move_the_nudge_past_them(db: AsyncSession) -> None:
    # Tuesday 29 December, 05:00 UTC: 08:00 in Moscow, 12:00 and 14:00 further east, in
    # the winter holidays (28 December – 10 January); 11 January 2027 is a Monday.
    now = utc(2026, 12, 29, 5)
    arranged = await _three_silent_pairs(db, formed_at=now - dt.timedelta(days=40))
    for a in arranged.values():
        db.add(
            Holiday(
                municipality_id=a.municipality.id,
                title="Зимние каникулы",
                starts_on=dt.date(2026, 12, 28),
                ends_on=dt.date(2027, 1, 10),
            )
        )
    await db.commit()
    await nudges.plan(db, now)
    due = await _due_by_zone(db, arranged)
    for zone in ZONES:
        assert due[zone].replace(tzinfo=None) == dt.datetime(2027, 1, 11, 8, 0), zone


async def test_nudge_is_delivered_and_escalated_a_week_later(
    db: AsyncSession, clock: FixedClock, deliver: Deliver, fake_api: FakeBotAPI
) -> None:
    # Monday 23 November, 12:00 Moscow; the pair's last meeting was 22 days ago.
    a = await arrange.school_with_pair(db, formed_at=clock.now() - dt.timedelta(days=40))
    await arrange.meeting(
        db,
        a.pair,
        MeetingKind.INTRO,
        clock.now() - dt.timedelta(days=22),
        status=MeetingStatus.HELD,
    )
    assert await nudges.plan(db, clock.now()) == 2
    assert await deliver() == 2
    assert {r.status for r in await _rows(db, Kind.PAIR_SILENT)} == {OutboxStatus.SENT}
    a_text = fake_api.chat(302)[-1].text
    assert "Давно не было встреч" in a_text and "Назначьте встречу: /my" in a_text
    assert "Последняя встреча была 22 дня назад (01.11.2026)" in a_text
    assert "Наставляемый: Иванова Мария Петровна" in a_text

    clock.advance(dt.timedelta(days=6))
    assert await nudges.plan(db, clock.now()) == 0  # still a day to react
    clock.advance(dt.timedelta(days=1))
    assert await nudges.plan(db, clock.now()) == 1
    [escalation] = await _rows(db, Kind.PAIR_SILENT_CURATOR)
    assert a.curator is not None and escalation.recipient_id == a.curator.id
    assert escalation.due_at == clock.now()  # Monday 30 November, 12:00 Moscow
    assert await deliver() == 1
    curator_text = fake_api.chat(301)[-1].text
    assert "Пара без встреч" in curator_text
    assert "наставник Петров Иван Сергеевич — наставляемый Иванова Мария Петровна" in curator_text
    assert "Последняя встреча была 29 дней назад" in curator_text
    assert await nudges.plan(db, clock.now()) == 0


async def test_a_meeting_set_after_planning_drops_the_nudge(
    db: AsyncSession, clock: FixedClock, deliver: Deliver
) -> None:
    # Sunday evening in Moscow: the nudge waits for Monday 08:00.
    now = utc(2026, 11, 29, 18)
    clock.at = now
    a = await arrange.school_with_pair(
        db, formed_at=now - dt.timedelta(days=30), stage_since=now - dt.timedelta(days=30)
    )
    await nudges.plan(db, now)
    rows = await _rows(db, Kind.PAIR_SILENT)
    assert {local(r.due_at, "Europe/Moscow").replace(tzinfo=None) for r in rows} == {
        dt.datetime(2026, 11, 30, 8, 0)
    }
    # Meanwhile the mentor proposes a meeting: the nudge is pointless and not sent.
    await arrange.meeting(
        db, a.pair, MeetingKind.INTRO, now + dt.timedelta(days=3), status=MeetingStatus.PROPOSED
    )
    clock.at = utc(2026, 11, 30, 5)
    assert await deliver() == 0
    assert {r.status for r in await _rows(db, Kind.PAIR_SILENT)} == {OutboxStatus.CANCELLED}
    # No longer silent, so its 30 days at the first stage are reported instead.
    assert await nudges.plan(db, clock.now()) == 1
    assert [r.kind for r in await _rows(db, Kind.PAIR_STUCK_CURATOR)] == [Kind.PAIR_STUCK_CURATOR]


async def test_stuck_stage_is_reported_to_the_curator(
    db: AsyncSession, clock: FixedClock, deliver: Deliver, fake_api: FakeBotAPI
) -> None:
    now = clock.now()  # Monday 23 November, 12:00 Moscow
    a = await arrange.school_with_pair(
        db,
        next_kind=MeetingKind.TRIAL,
        formed_at=now - dt.timedelta(days=40),
        stage_since=now - dt.timedelta(days=31),
    )
    # The pair met 5 days ago (not silent) but the trial meeting has waited 31 days.
    await arrange.meeting(
        db, a.pair, MeetingKind.INTRO, now - dt.timedelta(days=5), status=MeetingStatus.HELD
    )
    assert await nudges.plan(db, now) == 1
    [row] = await _rows(db)
    assert row.kind == Kind.PAIR_STUCK_CURATOR and a.curator is not None
    assert row.recipient_id == a.curator.id
    assert await deliver() == 1
    text = fake_api.chat(301)[-1].text
    assert "Пара задержалась на этапе" in text
    assert "Следующий этап — пробная рабочая встреча — ждёт уже 31 день (с 23.10.2026)" in text


async def test_regular_meetings_keep_the_stage_moving(db: AsyncSession, clock: FixedClock) -> None:
    now = clock.now()
    a = await arrange.school_with_pair(
        db,
        next_kind=MeetingKind.REGULAR,
        formed_at=now - dt.timedelta(days=120),
        stage_since=now - dt.timedelta(days=90),
    )
    await arrange.meeting(
        db, a.pair, MeetingKind.REGULAR, now - dt.timedelta(days=10), status=MeetingStatus.HELD
    )
    assert await nudges.plan(db, now) == 0


async def test_paused_pair_is_not_nudged_and_resumes_after_the_pause(
    db: AsyncSession, clock: FixedClock
) -> None:
    now = clock.now()  # Monday 23 November 2026
    a = await arrange.school_with_pair(
        db,
        formed_at=now - dt.timedelta(days=60),
        status=PairStatus.PAUSED,
        paused_until=dt.date(2026, 12, 7),
    )
    pair_id = a.pair.id
    assert await nudges.plan(db, now) == 0
    clock.advance(dt.timedelta(days=13))  # Sunday 6 December: still paused
    assert await nudges.plan(db, clock.now()) == 0
    pair = await db.scalar(
        select(Pair).where(Pair.id == pair_id).execution_options(populate_existing=True)
    )
    assert pair is not None and pair.status == PairStatus.PAUSED

    clock.advance(dt.timedelta(days=1))  # Monday 7 December: the pause is over
    assert await nudges.plan(db, clock.now()) == 0  # silence counts from the pause's end
    pair = await db.scalar(
        select(Pair).where(Pair.id == pair_id).execution_options(populate_existing=True)
    )
    assert pair is not None and pair.status == PairStatus.ACTIVE
    clock.advance(dt.timedelta(days=21))
    assert await nudges.plan(db, clock.now()) == 2


@pytest.mark.parametrize("later", [dt.timedelta(0), dt.timedelta(hours=5)])
async def test_planning_twice_writes_nothing_new(
    db: AsyncSession, clock: FixedClock, later: dt.timedelta
) -> None:
    now = clock.now()
    await _three_silent_pairs(db, formed_at=now - dt.timedelta(days=45))
    # A fourth pair meets, but has been at its stage too long: the curator hears of it.
    stuck = await arrange.school_with_pair(db, tg=700, stage_since=now - dt.timedelta(days=45))
    await arrange.meeting(
        db, stuck.pair, MeetingKind.INTRO, now - dt.timedelta(days=3), status=MeetingStatus.HELD
    )
    first = await nudges.plan(db, now)
    assert first == 7  # 3 silent pairs × (mentor, mentee) + 1 «stuck» to the curator
    rows = [(r.id, r.dedupe_key, r.due_at) for r in await _rows(db)]
    assert await nudges.plan(db, now + later) == 0
    assert [(r.id, r.dedupe_key, r.due_at) for r in await _rows(db)] == rows
