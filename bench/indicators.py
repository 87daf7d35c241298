"""Benchmark: /indicators for a municipality of 200 schools and 20,000 participants on
PostgreSQL.

The data is a year of a large programme: per school 30 mentors and 70 mentees (20,000
people with their role grants), pairs of a mentor and two mentees (a tenth completed
with their final meeting, the rest active), three held meetings a pair with feedback
from each side (a few missing), a confirmed meeting ahead for half of the pairs, the
entry and midterm rounds answered by most people (the satisfaction item and four more
1–10 items each), the final round by the completed mentees (with their deficits'
change), and headcounts entered by 180 schools of 200. Loaded with bulk inserts, then
ANALYZE.

Timed: `services.indicators.for_municipality` (what /indicators runs for a
coordinator: every official indicator and health figure, for the municipality and for
each school) and, for scale, `for_school`. The baseline, in the same run: a plain
`SELECT count(*) FROM participants`. Medians of `--repeat` runs each, taking turns.
Queries are counted on the engine (every statement the call sends). The last line:

    indicators: 200 schools, 20000 participants in 0.42 s, 14 queries; 73.0× a COUNT(*)
    over participants (5.8 ms)    [one line]

Run: ``uv run python -m bench.indicators [--schools 200] [--per-school 100] [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import statistics
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.sender import DEFAULT_ADMIN_URL, drop_database, fresh_database
from models import (
    Achievement,
    AchievementKind,
    AgeGroup,
    CatalogueItem,
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Municipality,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from models.db import create_engine, create_sessionmaker
from models.surveys import (
    DeficitChange,
    Headcount,
    ItemKind,
    RoundKind,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveyRound,
)
from services import indicators
from services.access import Actor
from services.surveys import instrument, rounds

DB_NAME = f"nastavnik_bench_indicators_{os.getpid()}"
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
YEAR = "2026/2027"
MENTORS_SHARE = 0.3
CHUNK = 5_000
ADMIN = Actor(telegram_id=0, is_admin=True)


def at(days: int) -> dt.datetime:
    """A moment of the academic year: days after 1 September 2026."""
    return dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(days=days)


async def _bulk(engine: AsyncEngine, table: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        async with engine.begin() as conn:
            ids += list(
                await conn.scalars(insert(table).returning(table.id), rows[start : start + CHUNK])
            )
    return ids


async def _plain(engine: AsyncEngine, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        async with engine.begin() as conn:
            await conn.execute(insert(table), rows[start : start + CHUNK])


async def load(engine: AsyncEngine, schools: int, per_school: int) -> int:
    """The data set; returns the municipality's id."""
    async with engine.begin() as conn:
        mun_id = await conn.scalar(
            insert(Municipality)
            .values(name="Большой муниципалитет", timezone="Europe/Moscow")
            .returning(Municipality.id)
        )
    assert mun_id is not None
    school_ids = await _bulk(
        engine,
        School,
        [
            {"municipality_id": mun_id, "name": f"Школа № {n:03d}", "timezone": "Europe/Moscow"}
            for n in range(1, schools + 1)
        ],
    )
    mentors_per = int(per_school * MENTORS_SHARE)
    people: list[dict[str, Any]] = []
    for s_index, school_id in enumerate(school_ids):
        for n in range(per_school):
            mentor = n < mentors_per
            people.append(
                {
                    "telegram_id": 700_000_000 + s_index * per_school + n,
                    "full_name": f"Участник {s_index}-{n}",
                    "status": ParticipantStatus.ACTIVE,
                    "school_id": school_id,
                    "experience_years": (10 + n % 20) if mentor else n % 6,
                    "age_group": AgeGroup.UNDER_35 if n % 3 else AgeGroup.FROM_35,
                    "registered_at": at(0),
                }
            )
    person_ids = await _bulk(engine, Participant, people)
    await _plain(
        engine,
        RoleGrant,
        [
            {
                "participant_id": pid,
                "role": Role.MENTOR if (i % per_school) < mentors_per else Role.MENTEE,
                "school_id": people[i]["school_id"],
            }
            for i, pid in enumerate(person_ids)
        ],
    )
    # Pairs: each mentor with two mentees of the school; a tenth completed.
    pair_rows, members = [], []
    for s_index, school_id in enumerate(school_ids):
        base = s_index * per_school
        mentees = person_ids[base + mentors_per : base + per_school]
        for m in range(mentors_per):
            if 2 * m + 1 >= len(mentees):
                break
            completed = m % 10 == 0
            pair_rows.append(
                {
                    "school_id": school_id,
                    "mentor_id": person_ids[base + m],
                    "status": PairStatus.COMPLETED if completed else PairStatus.ACTIVE,
                    "next_kind": None if completed else MeetingKind.REGULAR,
                    "stage_since": at(150) if completed else at(60),
                    "formed_at": at(20),
                }
            )
            members.append((mentees[2 * m], mentees[2 * m + 1]))
    pair_ids = await _bulk(engine, Pair, pair_rows)
    await _plain(
        engine,
        PairMember,
        [
            {"pair_id": pid, "mentee_id": mentee, "joined_at": at(20)}
            for pid, two in zip(pair_ids, members, strict=True)
            for mentee in two
        ],
    )
    meetings: list[dict[str, Any]] = []
    for pid, row in zip(pair_ids, pair_rows, strict=True):
        kinds = [MeetingKind.INTRO, MeetingKind.TRIAL, MeetingKind.PLANNING]
        if row["status"] == PairStatus.COMPLETED:
            kinds.append(MeetingKind.FINAL)
        for k, kind in enumerate(kinds):
            meetings.append(
                {
                    "pair_id": pid,
                    "kind": kind,
                    "status": MeetingStatus.HELD,
                    "starts_at": at(30 + 30 * k),
                }
            )
        if row["status"] == PairStatus.ACTIVE and pid % 2:
            meetings.append(
                {
                    "pair_id": pid,
                    "kind": MeetingKind.REGULAR,
                    "status": MeetingStatus.CONFIRMED,
                    "starts_at": NOW + dt.timedelta(days=3),
                }
            )
    meeting_ids = await _bulk(engine, Meeting, meetings)
    by_pair = dict(zip(pair_ids, zip(pair_rows, members, strict=True), strict=True))
    feedback = []
    for mid, meeting in zip(meeting_ids, meetings, strict=True):
        if meeting["status"] != MeetingStatus.HELD:
            continue
        row, two = by_pair[meeting["pair_id"]]
        for j, who in enumerate((row["mentor_id"], *two)):
            given = (mid + j) % 7 != 0
            feedback.append(
                {
                    "meeting_id": mid,
                    "participant_id": who,
                    "status": FeedbackStatus.GIVEN if given else FeedbackStatus.MISSING,
                    "rating": 4 if given else None,
                    "requested_at": meeting["starts_at"],
                    "due_at": meeting["starts_at"] + dt.timedelta(hours=48),
                }
            )
    await _plain(engine, Feedback, feedback)
    await _plain(
        engine,
        Headcount,
        [
            {
                "school_id": school_id,
                "academic_year": YEAR,
                "teachers": 150,
                "under_35": 80,
                "young_specialists": 50,
                "source": "cli",
                "entered_at": at(10),
            }
            for school_id in school_ids[: schools * 9 // 10]
        ],
    )
    # «Мои достижения»: a contest for every second person, a publication for every
    # third; one in four dated in the academic year before.
    await _plain(
        engine,
        Achievement,
        [
            {
                "participant_id": pid,
                "kind": kind,
                "title": "Конкурс «Дебют»",
                "on_date": (at(40) if i % 4 else at(-100)).date(),
                "created_at": at(0),
            }
            for i, pid in enumerate(person_ids)
            for kind, every in ((AchievementKind.CONTEST, 2), (AchievementKind.PUBLICATION, 3))
            if i % every == 0
        ],
    )
    await _surveys(
        engine, mun_id, school_ids, person_ids, per_school, mentors_per, pair_rows, members
    )
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    return int(mun_id)


async def _surveys(
    engine: AsyncEngine,
    mun_id: int,
    school_ids: list[int],
    person_ids: list[int],
    per_school: int,
    mentors_per: int,
    pair_rows: list[dict[str, Any]],
    members: list[tuple[int, int]],
) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        used = await instrument.in_force(session, mun_id, NOW)
        await rounds.ensure(session, [(s, YEAR) for s in school_ids])
        await session.commit()
        items = list(
            await session.scalars(select(SurveyItem).where(SurveyItem.instrument_id == used.id))
        )
        round_of = {
            (r.school_id, r.kind): r.id
            for r in await session.scalars(
                select(SurveyRound).where(SurveyRound.academic_year == YEAR)
            )
        }
        deficits = list(await session.scalars(select(CatalogueItem.id).limit(2)))
    scales = {
        (role, kind): [
            i.id for i in items if i.role == role and i.in_round(kind) and i.kind == ItemKind.SCALE
        ]
        for role in (Role.MENTEE, Role.MENTOR)
        for kind in (RoundKind.ENTRY, RoundKind.MIDTERM, RoundKind.FINAL)
    }
    change_item = next(i.id for i in items if i.kind == ItemKind.DEFICIT_CHANGE)
    responses: list[dict[str, Any]] = []
    plan: list[tuple[list[int], int, bool]] = []  # scale items, a seed, a final mentee?
    completed = {
        m
        for row, two in zip(pair_rows, members, strict=True)
        if row["status"] == PairStatus.COMPLETED
        for m in two
    }
    for i, pid in enumerate(person_ids):
        school_id = school_ids[i // per_school]
        role = Role.MENTOR if (i % per_school) < mentors_per else Role.MENTEE
        kinds = [RoundKind.ENTRY, RoundKind.MIDTERM] if i % 5 else [RoundKind.ENTRY]
        if pid in completed:
            kinds.append(RoundKind.FINAL)
        for kind in kinds:
            finished = (i + len(kind.value)) % 9 != 0
            responses.append(
                {
                    "round_id": round_of[(school_id, kind)],
                    "participant_id": pid,
                    "role": role,
                    "instrument_id": used.id,
                    "invited_at": at(15),
                    "started_at": at(16),
                    "finished_at": at(17) if finished else None,
                }
            )
            plan.append(
                (scales[(role, kind)][:5], i, kind == RoundKind.FINAL and role == Role.MENTEE)
            )
    response_ids = await _bulk(engine, SurveyResponse, responses)
    answers = []
    for rid, (scale_items, seed, final_mentee) in zip(response_ids, plan, strict=True):
        for k, item_id in enumerate(scale_items):
            answers.append(
                {
                    "response_id": rid,
                    "item_id": item_id,
                    "sub": 0,
                    "value": 3 + (seed + k) % 8,
                    "answered_at": at(16),
                }
            )
        if final_mentee:
            for d, sub in enumerate(deficits):
                answers.append(
                    {
                        "response_id": rid,
                        "item_id": change_item,
                        "sub": sub,
                        "value": int(
                            DeficitChange.UNCHANGED
                            if (seed // 100) % 3 == 0  # a third of the schools
                            else list(DeficitChange)[(seed + d) % 3]
                        ),
                        "answered_at": at(16),
                    }
                )
    await _plain(engine, SurveyAnswer, answers)


class Counter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.n = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, *_: Any) -> None:
        self.n += 1


async def run(schools: int, per_school: int, repeat: int) -> str:
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    url = await fresh_database(admin_url, DB_NAME)
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        mun_id = await load(engine, schools, per_school)
        async with engine.connect() as conn:
            sizes = {
                name: await conn.scalar(text(f"SELECT count(*) FROM {name}"))
                for name in (
                    "participants",
                    "pairs",
                    "meetings",
                    "feedback",
                    "survey_responses",
                    "survey_answers",
                )
            }
        print(
            f"loaded in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{k} {v}" for k, v in sizes.items()),
            flush=True,
        )
        sessionmaker = create_sessionmaker(engine)
        counter = Counter(engine)
        first_school = await _first_school(engine, mun_id)

        plans = {False: [0, 0], True: [0, 0]}  # forced? → [generic, custom] plans used

        async def plans_so_far(session: AsyncSession) -> tuple[int, int]:
            # The connection's prepared statements and the plans each has run on
            # (PostgreSQL 14+), this query itself left out.
            row = (
                await session.execute(
                    text(
                        "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
                        " FROM pg_prepared_statements"
                        " WHERE statement NOT LIKE '%pg_prepared_statements%'"
                    )
                )
            ).one()
            return int(row[0]), int(row[1])

        async def municipality() -> tuple[float, int]:
            async with sessionmaker() as session:
                g0, c0 = await plans_so_far(session)
                await session.commit()
                before = counter.n
                t0 = time.perf_counter()
                report = await indicators.for_municipality(session, ADMIN, mun_id, NOW)
                elapsed = time.perf_counter() - t0
                queries = counter.n - before
                assert len(report.schools) == schools
                g1, c1 = await plans_so_far(session)
                await session.commit()
                used = plans[indicators.FORCE_CUSTOM_PLANS]
                used[0] += g1 - g0
                used[1] += c1 - c0
                return elapsed, queries

        async def school() -> float:
            async with sessionmaker() as session:
                t0 = time.perf_counter()
                await indicators.for_school(session, ADMIN, first_school, NOW)
                return time.perf_counter() - t0

        async def baseline() -> float:
            async with sessionmaker() as session:
                t0 = time.perf_counter()
                n = await session.scalar(select(func.count()).select_from(Participant))
                elapsed = time.perf_counter() - t0
                assert n == schools * per_school
                return elapsed

        await municipality()  # warm up: connections, caches
        await school()
        await baseline()
        mun_times, school_times, base_times, queries = [], [], [], 0
        # Taking turns with the same calls where PostgreSQL may switch a prepared
        # statement to its generic plan (after five runs on a connection): what the
        # SET LOCAL plan_cache_mode = force_custom_plan of services/indicators.py saves.
        generic_times: list[float] = []
        for n in range(repeat):
            # Which mode goes first alternates, so neither profits from the other's
            # warm caches.
            for custom in (False, True) if n % 2 == 0 else (True, False):
                indicators.FORCE_CUSTOM_PLANS = custom
                elapsed, count = await municipality()
                if custom:
                    mun_times.append(elapsed)
                    queries = count
                else:
                    generic_times.append(elapsed)
            indicators.FORCE_CUSTOM_PLANS = True
            school_times.append(await school())
            base_times.append(await baseline())
        mun_s = statistics.median(mun_times)
        base_s = statistics.median(base_times)
        print(
            "municipality, plans as PostgreSQL chooses (generic after five runs): median "
            f"{statistics.median(generic_times):.2f} s, runs "
            + ", ".join(f"{x:.2f}" for x in generic_times)
        )
        print(
            f"municipality, custom plans forced: median {mun_s:.2f} s, runs "
            + ", ".join(f"{x:.2f}" for x in mun_times)
        )
        for forced, (n_generic, n_custom) in plans.items():
            label = "custom plans forced" if forced else "plans as PostgreSQL chooses"
            print(f"  {label}: statements ran on {n_generic} generic and {n_custom} custom plans")
        print(f"one school: {statistics.median(school_times) * 1000:.0f} ms")
        print("each aggregate query alone, over the 200 schools (median):")
        for name, ms in (await _sources(sessionmaker, mun_id, repeat)).items():
            print(f"  {name}: {ms:.0f} ms")
        async with sessionmaker() as session:
            report = await indicators.for_municipality(session, ADMIN, mun_id, NOW)
        for v in report.values:
            print(f"  {v.code}: A={v.a} B={v.b} answered={v.answered} target={v.target}")
        return (
            f"indicators: {schools} schools, {schools * per_school} participants in {mun_s:.2f} s, "
            f"{queries} queries; {mun_s / base_s:.1f}× a COUNT(*) over participants "
            f"({base_s * 1000:.1f} ms)"
        )
    finally:
        await engine.dispose()
        await drop_database(admin_url, DB_NAME)


async def _sources(
    sessionmaker: async_sessionmaker[AsyncSession], mun_id: int, repeat: int
) -> dict[str, float]:
    """Where the time goes: each Source the indicators use, run alone."""
    sources = {
        c.source.name: c.source
        for i in (*indicators.INDICATORS, *indicators.HEALTH)
        for c in (*i.a, *i.b, *i.answered)
    }
    times: dict[str, list[float]] = {name: [] for name in sources}
    async with sessionmaker() as session:
        ids = list(await session.scalars(select(School.id).where(School.municipality_id == mun_id)))
        scope = indicators.year_scope(mun_id, ids, "Europe/Moscow", NOW)
        for _ in range(repeat):
            for name, source in sources.items():
                t0 = time.perf_counter()
                (await session.execute(await source.build(session, scope))).all()
                times[name].append((time.perf_counter() - t0) * 1000)
    return {name: statistics.median(v) for name, v in times.items()}


async def _first_school(engine: AsyncEngine, mun_id: int) -> int:
    async with engine.connect() as conn:
        found = await conn.scalar(
            select(School.id).where(School.municipality_id == mun_id).order_by(School.id).limit(1)
        )
    assert found is not None
    return int(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--per-school", type=int, default=100, help="participants a school")
    parser.add_argument("--repeat", type=int, default=7, help="runs measured (median)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(asyncio.run(run(args.schools, args.per_school, args.repeat)))


if __name__ == "__main__":
    main()
