"""Every indicator formula against a municipality counted by hand (PostgreSQL): three
schools, pairs that worked this academic year and one that ended last year, finished
and unfinished responses in several rounds, headcounts for two schools of three,
meetings with and without feedback from both sides.

School A (headcount 40 / 12 under 35 / 4 young specialists):
  pair 1 (active, formed 01.10.2026): mentor P1 (under 35) + mentees m1 (1 year, under
    35), m2 (2 years, under 35); meetings 10.10 (feedback from all three) and 01.11 (m2's
    missing), a confirmed one on 25.11;
  pair 2 (completed 10.11.2026): mentor P2 (35+) + mentee m3 (5 years, 35+); the final
    meeting held 10.11 with feedback from both;
  an old pair (formed 10.01.2026, ended 01.06.2026): P2 + m5 — not this year;
  m4 (0 years) is in no pair.
  Answers: m1 midterm 9; m2 midterm 6 (and an unfinished final 10); m3 midterm 5 then
  final 8 with «стало легче» / «без изменений»; m4 (no pair) 10; P1 8.
School B (no headcount): pair 3 (formed 01.10.2025, completed 20.11.2026): mentor Q1 +
  n1, n2, n3 (young, under 35); final answers n1 9 closed+unchanged, n2 7
  unchanged+unchanged, n3 8 easier; Q1 10. Final meeting 20.11 with only Q1's feedback.
School C (headcount 30 / 10 / 3): nobody yet.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgeGroup,
    FeedbackStatus,
    MeetingKind,
    MeetingStatus,
    PairStatus,
    Participant,
    Role,
    School,
)
from models.surveys import DeficitChange, RoundKind
from services import indicators
from services.access import Actor
from services.errors import AccessDenied
from services.indicators import Report, Value
from tests import arrange
from tests.arrange import surveys as sv

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
ADMIN = Actor(telegram_id=0, is_admin=True)
D, P = "psy_discipline", "comm_parents"


def day(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 9, 0, tzinfo=dt.UTC)


async def _teacher(
    db: AsyncSession,
    tg: int,
    name: str,
    role: Role,
    school: School,
    *,
    years: int = 1,
    young: bool = True,
) -> Participant:
    p = await arrange.teacher(db, tg, name, role, school)
    p.experience_years = years
    p.age_group = AgeGroup.UNDER_35 if young else AgeGroup.FROM_35
    await db.commit()
    return p


async def _world(db: AsyncSession) -> tuple[int, School, School, School]:
    mun, (a, b, c) = await arrange.municipality_with_schools(db)
    p1 = await _teacher(db, 1001, "Петров Иван Сергеевич", Role.MENTOR, a, years=8)
    p2 = await _teacher(db, 1002, "Сидорова Елена Павловна", Role.MENTOR, a, years=20, young=False)
    m1 = await _teacher(db, 1011, "Иванова Мария Петровна", Role.MENTEE, a, years=1)
    m2 = await _teacher(db, 1012, "Смирнова Анна Олеговна", Role.MENTEE, a, years=2)
    m3 = await _teacher(db, 1013, "Кузнецов Павел Андреевич", Role.MENTEE, a, years=5, young=False)
    m4 = await _teacher(db, 1014, "Зайцева Ольга Игоревна", Role.MENTEE, a, years=0)
    m5 = await _teacher(db, 1015, "Белов Сергей Андреевич", Role.MENTEE, a, years=3)
    pair1 = await arrange.pair(db, p1, [m1, m2], formed_at=day(2026, 10, 1))
    pair2 = await arrange.pair(
        db,
        p2,
        [m3],
        formed_at=day(2026, 10, 1),
        next_kind=None,
        status=PairStatus.COMPLETED,
        stage_since=day(2026, 11, 10),
    )
    old = await arrange.pair(db, p2, [m5], formed_at=day(2026, 1, 10), status=PairStatus.ENDED)
    old.ended_at = day(2026, 6, 1)
    await db.commit()
    held = await arrange.meeting(
        db, pair1, MeetingKind.INTRO, day(2026, 10, 10), status=MeetingStatus.HELD
    )
    for who in (p1, m1, m2):
        await arrange.feedback(db, held, who, rating=5)
    held = await arrange.meeting(
        db, pair1, MeetingKind.TRIAL, day(2026, 11, 1), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, held, p1, rating=4)
    await arrange.feedback(db, held, m1, rating=4)
    await arrange.feedback(db, held, m2, status=FeedbackStatus.MISSING)
    await arrange.meeting(
        db, pair1, MeetingKind.PLANNING, day(2026, 11, 25), status=MeetingStatus.CONFIRMED
    )
    held = await arrange.meeting(
        db, pair2, MeetingKind.FINAL, day(2026, 11, 10), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, held, p2, rating=5)
    await arrange.feedback(db, held, m3, rating=5)
    last_year = await arrange.meeting(
        db, old, MeetingKind.INTRO, day(2026, 5, 10), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, last_year, p2, rating=5)

    q1 = await _teacher(db, 2001, "Орлов Пётр Ильич", Role.MENTOR, b, years=12, young=False)
    ns = [
        await _teacher(db, 2010 + i, name, Role.MENTEE, b, years=years)
        for i, (name, years) in enumerate(
            [
                ("Волкова Нина Сергеевна", 1),
                ("Лебедев Олег Петрович", 1),
                ("Соколова Ира Ивановна", 2),
            ]
        )
    ]
    pair3 = await arrange.pair(
        db,
        q1,
        ns,
        formed_at=day(2025, 10, 1),
        next_kind=None,
        status=PairStatus.COMPLETED,
        stage_since=day(2026, 11, 20),
    )
    held = await arrange.meeting(
        db, pair3, MeetingKind.FINAL, day(2026, 11, 20), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, held, q1, rating=5)
    for n in ns:
        await arrange.feedback(db, held, n)

    await sv.headcount(db, a, 40, 12, 4)
    await sv.headcount(db, c, 30, 10, 3)

    mid_a = await sv.round_of(db, a, RoundKind.MIDTERM)
    final_a = await sv.round_of(db, a, RoundKind.FINAL)
    await sv.response(db, mid_a, m1.id, Role.MENTEE, satisfaction=9)
    await sv.response(db, mid_a, m2.id, Role.MENTEE, satisfaction=6)
    await sv.response(db, final_a, m2.id, Role.MENTEE, satisfaction=10, finished=False)
    await sv.response(db, mid_a, m3.id, Role.MENTEE, satisfaction=5, at=day(2026, 11, 1))
    await sv.response(
        db,
        final_a,
        m3.id,
        Role.MENTEE,
        satisfaction=8,
        changes={D: DeficitChange.EASIER, P: DeficitChange.UNCHANGED},
        at=day(2026, 11, 11),
    )
    await sv.response(db, mid_a, m4.id, Role.MENTEE, satisfaction=10)
    await sv.response(db, mid_a, p1.id, Role.MENTOR, satisfaction=8)
    final_b = await sv.round_of(db, b, RoundKind.FINAL)
    for n, score, changes in zip(
        ns,
        (9, 7, 8),
        (
            {D: DeficitChange.CLOSED, P: DeficitChange.UNCHANGED},
            {D: DeficitChange.UNCHANGED, P: DeficitChange.UNCHANGED},
            {D: DeficitChange.EASIER},
        ),
        strict=True,
    ):
        await sv.response(db, final_b, n.id, Role.MENTEE, satisfaction=score, changes=changes)
    await sv.response(db, final_b, q1.id, Role.MENTOR, satisfaction=10)
    return mun.id, a, b, c


def _by_code(values: list[Value]) -> dict[str, Value]:
    return {v.code: v for v in values}


def _figures(v: Value) -> tuple[int | None, int | None, int | None, int | None]:
    return (v.a, v.b, v.answered, v.target)


async def test_school_indicators_counted_by_hand(db: AsyncSession) -> None:
    _, a, b, _ = await _world(db)
    report = await indicators.for_school(db, ADMIN, a.id, NOW)
    assert report.year == "2026/2027"
    assert report.year_index == 2  # its first pair was formed in 2025/2026
    assert report.satisfied_from == 8
    v = _by_code(report.values)
    assert list(v) == [
        "coverage_young",
        "growth",
        "satisfaction_mentees",
        "satisfaction_mentors",
        "contest_participation",
    ]
    # m1 and m2 (0–3 years, in a pair) of the 4 young specialists the school reported.
    assert _figures(v["coverage_young"]) == (2, 4, None, 100)
    assert v["coverage_young"].percent == 50 and v["coverage_young"].met is False
    # m3 completed and improved: one answer only, so hidden.
    assert _figures(v["growth"]) == (None, 1, 1, 100) and v["growth"].hidden
    # m1 9 and m3 8 (his final, not his midterm 5) of m1, m2, m3; m4 is in no pair,
    # m2's unfinished 10 does not count. Year 2: target 75.
    assert _figures(v["satisfaction_mentees"]) == (2, 3, 3, 75)
    assert round(v["satisfaction_mentees"].percent or 0) == 67
    assert v["satisfaction_mentees"].met is False
    # P1 answered, P2 did not: one answer of two, hidden.
    assert _figures(v["satisfaction_mentors"]) == (None, 2, 1, 75)
    h = _by_code(report.health)
    assert (h["health_feedback"].a, h["health_feedback"].b) == (2, 3)  # last year's not counted
    assert (h["health_on_schedule"].a, h["health_on_schedule"].b) == (1, 1)  # confirmed ahead

    report = await indicators.for_school(db, ADMIN, b.id, NOW)
    v = _by_code(report.values)
    assert v["coverage_young"].b is None and v["coverage_young"].a is None  # «нет данных»
    assert _figures(v["growth"]) == (2, 3, 3, 100)  # n1 closed, n3 easier; n2 unchanged
    assert _figures(v["satisfaction_mentees"]) == (2, 3, 3, 75)
    assert _figures(v["satisfaction_mentors"]) == (None, 1, 1, 75)
    h = _by_code(report.health)
    assert (h["health_feedback"].a, h["health_feedback"].b) == (0, 1)
    assert (h["health_on_schedule"].a, h["health_on_schedule"].b) == (0, 0)


async def test_municipality_indicators_are_the_schools_summed(db: AsyncSession) -> None:
    mun_id, _a, _b, _c = await _world(db)
    report = await indicators.for_municipality(db, ADMIN, mun_id, NOW)
    v = _by_code(report.values)
    assert list(v) == [
        "under35_involved",
        "schools_running",
        "beneficiaries_satisfied",
        "young_in_events",
        "schools_in_events",
        "young_in_contests",
        "young_publications",
        "coverage_young",
        "growth",
        "satisfaction_mentees",
        "satisfaction_mentors",
        "contest_participation",
    ]
    # Under 35 in a pair at A and C (the schools with a headcount): P1, m1, m2.
    u = v["under35_involved"]
    assert _figures(u) == (3, 22, None, 70) and (u.known, u.schools) == (2, 3)
    assert _figures(v["schools_running"]) == (2, 3, None, 60)
    # Satisfied: A m1, m3, P1; B n1, n3, Q1 — of everyone who took part: 5 at A, 4 at B.
    # But the mentors' two answers (P1, Q1: one a school) are hidden in their own line,
    # and «all participants minus mentees» would give them back (6 − 4 = both
    # satisfied): the sum leaves both mentors out and says so for the two schools.
    ben = v["beneficiaries_satisfied"]
    assert _figures(ben) == (4, 6, 6, 90) and ben.left_out == 2
    assert _figures(v["coverage_young"]) == (2, 7, None, 100)
    # Growth: A's one completed mentee (m3) answered alone, hidden at A; B's three shown.
    # The sum leaves A out, or the total minus B would be m3's answer.
    assert _figures(v["growth"]) == (2, 3, 3, 100) and v["growth"].left_out == 1
    assert _figures(v["satisfaction_mentees"]) == (4, 6, 6, 75)
    assert _figures(v["satisfaction_mentors"]) == (None, 3, 2, 75)
    assert [s.name for s in report.schools] == [
        "МБОУ «Гимназия № 3»",
        "МБОУ «Лицей»",
        "МБОУ «Средняя школа № 12»",
    ]
    lyceum = _by_code(report.schools[1].values)
    assert lyceum["coverage_young"].b == 3 and lyceum["coverage_young"].a == 0
    assert lyceum["satisfaction_mentees"].b == 0
    h = _by_code(report.health)
    assert (h["health_feedback"].a, h["health_feedback"].b) == (2, 4)


async def test_targets_set_for_a_school_or_the_municipality_win_over_the_defaults(
    db: AsyncSession,
) -> None:
    mun_id, a, _, _ = await _world(db)
    await indicators.set_target(
        db, code="satisfaction_mentees", value=60, year="2026/2027", municipality_id=mun_id
    )
    await indicators.set_target(
        db,
        code="satisfaction_mentees",
        value=70,
        year="2026/2027",
        municipality_id=mun_id,
        school_id=a.id,
    )
    v = _by_code((await indicators.for_school(db, ADMIN, a.id, NOW)).values)
    assert v["satisfaction_mentees"].target == 70
    m = _by_code((await indicators.for_municipality(db, ADMIN, mun_id, NOW)).values)
    assert m["satisfaction_mentees"].target == 60
    assert m["satisfaction_mentees"].met is True  # 67 % ≥ 60 %


async def test_a_curator_sees_only_their_school(db: AsyncSession) -> None:
    mun_id, a, b, _ = await _world(db)
    curator = Actor(telegram_id=1, participant_id=1, curator_school_ids=frozenset({a.id}))
    report: Report = await indicators.for_school(db, curator, a.id, NOW)
    assert report.name == a.name
    with pytest.raises(AccessDenied):
        await indicators.for_school(db, curator, b.id, NOW)
    with pytest.raises(AccessDenied):
        await indicators.for_municipality(db, curator, mun_id, NOW)
