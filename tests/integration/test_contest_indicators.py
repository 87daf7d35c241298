"""The indicators «Мои достижения» feed, against a municipality counted by hand
(PostgreSQL): 002's contest participation (school) and 000's coverage by contests and
publication activity (municipality). Academic year 2026/2027 (now: 23.11.2026).

School A (headcount: 4 young specialists):
  y1 (1 year): a contest on 15.10.2026 and a publication on 01.11.2026 — counts in all;
  y2 (2 years): a contest on 20.04.2026 — last academic year — and an open lesson on
    12.11.2026 (neither a contest nor a publication): counts nowhere;
  y3 (0 years): a publication on 10.10.2026 only — publications, not contests;
  y4 (1 year): a contest on 05.11.2026, then withdraws — counted before, not after;
  y5 (2 years): no entry, marked at the club's «конкурс» on 20.11.2026 — 000's coverage
    only (a master class attended by y3 counts nowhere);
  mentor (15 years): a contest on 10.10.2026 — not a young specialist.
School B (headcount: 2): y6 (3 years): a contest on 01.09.2026, the year's first day.
School C (no headcount): y7 (1 year) with a contest — «нет данных», left out of sums.
Another municipality: a young specialist with a contest — never in these figures.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Achievement,
    AchievementKind,
    ClubAttendance,
    ClubEventKind,
    Participant,
    School,
)
from services import indicators
from services.access import Actor
from services.erasure import erase_person
from services.errors import DomainError
from services.indicators import Value
from tests import arrange
from tests.arrange import surveys as sv
from tests.arrange.club import club_event
from tests.arrange.people import mentee, mentor

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
ADMIN = Actor(telegram_id=0, is_admin=True)
CONTEST, PUBLICATION = AchievementKind.CONTEST, AchievementKind.PUBLICATION


async def _young(db: AsyncSession, tg: int, name: str, school: School, years: int) -> Participant:
    p = await mentee(db, tg, name, school)
    p.experience_years = years
    await db.commit()
    return p


def _entry(db: AsyncSession, p: Participant, kind: AchievementKind, on: dt.date) -> None:
    db.add(
        Achievement(
            participant_id=p.id,
            kind=kind,
            title="Конкурс «Дебют»" if kind == CONTEST else "Статья в сборнике",
            level="municipal" if kind == CONTEST else None,
            result="participant" if kind == CONTEST else None,
            on_date=on,
            created_at=NOW,
        )
    )


async def _world(db: AsyncSession) -> tuple[int, School, School, School, Participant]:
    mun, (a, b, c) = await arrange.municipality_with_schools(db)
    y1 = await _young(db, 3001, "Иванова Мария Петровна", a, 1)
    y2 = await _young(db, 3002, "Смирнова Анна Олеговна", a, 2)
    y3 = await _young(db, 3003, "Зайцева Ольга Игоревна", a, 0)
    y4 = await _young(db, 3004, "Орлова Вера Ивановна", a, 1)
    y5 = await _young(db, 3005, "Белова Нина Петровна", a, 2)
    old = await mentor(db, 3006, "Петров Иван Сергеевич", a, years=15)
    y6 = await _young(db, 3007, "Кузнецова Анна Сергеевна", b, 3)
    y7 = await _young(db, 3008, "Попова Елена Игоревна", c, 1)
    other = await arrange.municipality_other(db)
    far = await db.scalar(select(School).where(School.municipality_id == other.id))
    assert far is not None
    stranger = await _young(db, 3009, "Лебедева Ольга Андреевна", far, 1)
    _entry(db, stranger, CONTEST, dt.date(2026, 10, 1))
    _entry(db, y1, CONTEST, dt.date(2026, 10, 15))
    _entry(db, y1, PUBLICATION, dt.date(2026, 11, 1))
    _entry(db, y2, CONTEST, dt.date(2026, 4, 20))
    _entry(db, y2, AchievementKind.OPEN_LESSON, dt.date(2026, 11, 12))
    _entry(db, y3, PUBLICATION, dt.date(2026, 10, 10))
    _entry(db, y4, CONTEST, dt.date(2026, 11, 5))
    _entry(db, old, CONTEST, dt.date(2026, 10, 10))
    _entry(db, y6, CONTEST, dt.date(2026, 9, 1))
    _entry(db, y7, CONTEST, dt.date(2026, 10, 1))
    await db.commit()
    contest = await club_event(db, mun, starts_at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    contest.kind = ClubEventKind.CONTEST
    master_class = await club_event(db, mun, starts_at=dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC))
    db.add(ClubAttendance(event_id=contest.id, participant_id=y5.id, marked_at=NOW))
    db.add(ClubAttendance(event_id=master_class.id, participant_id=y3.id, marked_at=NOW))
    await db.commit()
    await sv.headcount(db, a, 40, 12, 4)
    await sv.headcount(db, b, 20, 6, 2)
    return mun.id, a, b, c, y4


def _by_code(values: list[Value]) -> dict[str, Value]:
    return {v.code: v for v in values}


def _figures(v: Value) -> tuple[int | None, int | None, int | None]:
    return v.a, v.b, v.target


async def test_achievements_feed_the_indicators(db: AsyncSession) -> None:
    mun_id, a, b, c, y4 = await _world(db)

    v = _by_code((await indicators.for_school(db, ADMIN, a.id, NOW)).values)
    # y1 and y4 this year; y2's is last year's, the mentor is not young. Year 1: 50 %.
    assert _figures(v["contest_participation"]) == (2, 4, 50)
    assert "young_in_contests" not in v  # municipal only
    v = _by_code((await indicators.for_school(db, ADMIN, b.id, NOW)).values)
    assert _figures(v["contest_participation"]) == (1, 2, 50)
    v = _by_code((await indicators.for_school(db, ADMIN, c.id, NOW)).values)
    assert (v["contest_participation"].a, v["contest_participation"].b) == (None, None)

    report = await indicators.for_municipality(db, ADMIN, mun_id, NOW)
    v = _by_code(report.values)
    # Summed over A and B, the schools with a headcount; C has no data.
    assert _figures(v["contest_participation"]) == (3, 6, 50)
    assert (v["contest_participation"].known, v["contest_participation"].schools) == (2, 3)
    # y1, y4, y5 (the club's contest) at A; y6 at B. No target in the seeds.
    assert _figures(v["young_in_contests"]) == (4, 6, None)
    # y1 and y3: a publication counts only here.
    assert _figures(v["young_publications"]) == (2, 6, None)

    # y4 withdraws: the entry is erased with the person, who counts no longer; B (the
    # headcount) does not change.
    await erase_person(db, y4, NOW)
    await db.commit()
    v = _by_code((await indicators.for_municipality(db, ADMIN, mun_id, NOW)).values)
    assert _figures(v["contest_participation"]) == (2, 6, 50)
    assert _figures(v["young_in_contests"]) == (3, 6, None)
    assert _figures(v["young_publications"]) == (2, 6, None)


async def test_a_target_can_be_set_for_a_criterion_without_a_default(db: AsyncSession) -> None:
    mun_id, *_ = await _world(db)
    await indicators.set_target(
        db, code="young_publications", value=30, year="2026/2027", municipality_id=mun_id
    )
    v = _by_code((await indicators.for_municipality(db, ADMIN, mun_id, NOW)).values)
    assert _figures(v["young_publications"]) == (2, 6, 30)
    with pytest.raises(DomainError):  # the bot's own health figures take no target
        await indicators.set_target(
            db, code="health_feedback", value=30, year="2026/2027", municipality_id=mun_id
        )
