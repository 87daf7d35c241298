"""Benchmark: weekly digests for 1,000 curators.

A PostgreSQL database of its own holds `--curators` schools in ten municipalities, a
curator each; every other school is small (2 pairs, 10 meetings), the others large
(`--large-pairs` pairs of one mentor and two mentees, 10 meetings a pair), with feedback,
plans and headcounts. Measured, on a fixed Monday 08:30 in Moscow:

1. the digest tick (services.digest.planning.plan): who is due, and one outbox row
   each, written in one statement — the time to build all rows;
2. the content of each digest as the sender renders it (services.digest.content.gather
   for the curator's school, indicators included), with every SQL statement counted:
   the queries per digest, for a small school and a large one (the claim: the same
   number), and the median time;
3. the chart (bot.ui.digest.chart.render) of a large school's digest, `--charts` times
   after a warm-up: the median of the CPU time it takes (process time: on a shared
   machine the wall time also counts waiting for a core; both are printed).

The last line printed is the headline:

    digests: 1000 curators in 0.9 s, 31 queries each; chart p50 31 ms

Run: ``uv run python -m bench.digest [--curators 1000] [--large-pairs 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import time
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.export import _insert
from models import (
    AgeGroup,
    Consent,
    Feedback,
    FeedbackStatus,
    GoalStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Municipality,
    Outbox,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Role,
    RoleGrant,
    School,
)
from models.surveys import Headcount

DB_NAME = f"nastavnik_bench_digest_{os.getpid()}"
NOW = dt.datetime(2026, 11, 23, 5, 30, tzinfo=dt.UTC)  # Monday 08:30 in Moscow
START = dt.datetime(2026, 9, 7, 6, 0, tzinfo=dt.UTC)


def _people(school_id: int, n: int, role: Role) -> list[dict[str, Any]]:
    return [
        {
            "full_name": f"Участник-{school_id}-{i} Имя Отчество",
            "status": ParticipantStatus.ACTIVE,
            "school_id": school_id,
            "position": "учитель",
            "subject": "математика",
            "experience_years": 2 if role == Role.MENTEE else 15,
            "age_group": AgeGroup.UNDER_35,
            "blocked_bot": False,
            "registered_at": START,
        }
        for i in range(n)
    ]


async def arrange(engine: AsyncEngine, curators: int, large_pairs: int) -> dict[str, int]:
    """Returns a small school's id and a large one's (and their curators')."""
    muns = await _insert(
        engine,
        Municipality,
        [{"name": f"Муниципалитет {m + 1}", "timezone": "Europe/Moscow"} for m in range(10)],
    )
    schools = await _insert(
        engine,
        School,
        [
            {
                "municipality_id": muns[i % 10],
                "name": f"МБОУ «Средняя общеобразовательная школа № {i + 1}»",
                "timezone": "Europe/Moscow",
            }
            for i in range(curators)
        ],
    )
    tg = iter(range(700_000_000, 800_000_000))
    staff_rows = [
        {
            "telegram_id": next(tg),
            "full_name": f"Куратор-{i} Имя Отчество",
            "status": ParticipantStatus.ACTIVE,
            "school_id": s,
            "position": "заместитель директора",
            "blocked_bot": False,
            "registered_at": START,
        }
        for i, s in enumerate(schools)
    ]
    staff = await _insert(engine, Participant, staff_rows)
    grants = [
        {"participant_id": p, "role": Role.CURATOR, "school_id": s}
        for p, s in zip(staff, schools, strict=True)
    ]
    consents = [
        {
            "participant_id": p,
            "telegram_id": r["telegram_id"],
            "text_version": "1",
            "text_sha256": "0" * 64,
            "given_at": START,
        }
        for p, r in zip(staff, staff_rows, strict=True)
    ]
    mentor_rows, mentee_rows, sizes = [], [], []
    for i, s in enumerate(schools):
        pairs = 2 if i % 2 == 0 else large_pairs
        sizes.append(pairs)
        mentor_rows += _people(s, pairs, Role.MENTOR)
        mentee_rows += _people(s, pairs * 2 + 1, Role.MENTEE)  # one without a mentor
    for row in (*mentor_rows, *mentee_rows):
        row["telegram_id"] = next(tg)
    mentors = await _insert(engine, Participant, mentor_rows)
    mentees = await _insert(engine, Participant, mentee_rows)
    grants += [
        {"participant_id": p, "role": Role.MENTOR, "school_id": r["school_id"]}
        for p, r in zip(mentors, mentor_rows, strict=True)
    ]
    grants += [
        {"participant_id": p, "role": Role.MENTEE, "school_id": r["school_id"]}
        for p, r in zip(mentees, mentee_rows, strict=True)
    ]
    await _insert(engine, RoleGrant, grants)
    await _insert(engine, Consent, consents)
    pair_rows, members = [], []
    m_at = e_at = 0
    for i, s in enumerate(schools):
        for k in range(sizes[i]):
            pair_rows.append(
                {
                    "school_id": s,
                    "mentor_id": mentors[m_at],
                    "status": PairStatus.ACTIVE,
                    "next_kind": MeetingKind.REGULAR,
                    "stage_since": START + dt.timedelta(days=30),
                    "order_number": f"{k + 1}-од" if k % 3 else None,
                    "order_date": dt.date(2026, 9, 10) if k % 3 else None,
                    "formed_at": START,
                }
            )
            members.append(mentees[e_at : e_at + 2])
            m_at += 1
            e_at += 2
        e_at += 1  # the school's mentee without a mentor
    pair_ids = await _insert(engine, Pair, pair_rows)
    await _insert(
        engine,
        PairMember,
        [
            {"pair_id": p, "mentee_id": m, "joined_at": START}
            for p, group in zip(pair_ids, members, strict=True)
            for m in group
        ],
    )
    await _insert(
        engine,
        PlanGoal,
        [
            {
                "pair_id": p,
                "mentee_id": group[0],
                "title": "Освоить приёмы дифференцированного обучения",
                "target_month": dt.date(2027, 2, 1),
                "status": GoalStatus.IN_PROGRESS,
                "created_at": START,
                "updated_at": START,
            }
            for n, (p, group) in enumerate(zip(pair_ids, members, strict=True))
            if n % 4
        ],
    )
    meetings: list[dict[str, Any]] = []
    owners: list[int] = []
    for n, p in enumerate(pair_ids):
        for k in range(10):
            at = NOW - dt.timedelta(days=7 * k + n % 7 + 1)
            meetings.append(
                {
                    "pair_id": p,
                    "kind": MeetingKind.REGULAR,
                    "status": MeetingStatus.HELD,
                    "starts_at": at,
                    "duration_min": 45,
                    "created_by_id": pair_rows[n]["mentor_id"],
                    "logged_at": at,
                    "created_at": at,
                }
            )
            owners.append(n)
    meeting_ids = await _insert(engine, Meeting, meetings)
    starts: list[dt.datetime] = [m["starts_at"] for m in meetings]  # for the feedback
    await _insert(
        engine,
        Feedback,
        [
            {
                "meeting_id": m,
                "participant_id": members[owners[j]][0],
                "status": FeedbackStatus.GIVEN,
                "rating": 1 + j % 5,
                "shared": False,
                "requested_at": starts[j],
                "due_at": starts[j] + dt.timedelta(hours=48),
                "given_at": starts[j] + dt.timedelta(hours=2),
            }
            for j, m in enumerate(meeting_ids)
        ],
    )
    await _insert(
        engine,
        Headcount,
        [
            {
                "school_id": s,
                "academic_year": "2026/2027",
                "teachers": 60,
                "under_35": 20,
                "young_specialists": 10,
                "source": "cli",
                "entered_at": START,
            }
            for i, s in enumerate(schools)
            if i % 5
        ],
    )
    async with engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")
    return {
        "small": staff[0],
        "large": staff[1],
        "participants": len(staff_rows) + len(mentor_rows) + len(mentee_rows),
        "meetings": len(meeting_ids),
    }


class Counter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.n = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, *args: Any) -> None:
        self.n += 1


async def run(args: argparse.Namespace) -> str:
    from bench.sender import DEFAULT_ADMIN_URL, drop_database, fresh_database
    from bot.i18n import create_i18n
    from bot.ui.digest import chart
    from models.db import create_engine, create_sessionmaker
    from services.access import Actor
    from services.digest import content, planning
    from services.export import scope as export_scope

    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    url = await fresh_database(admin_url, DB_NAME)
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        made = await arrange(engine, args.curators, args.large_pairs)
        print(
            f"arranged {args.curators} schools, {made['participants']} people, "
            f"{made['meetings']} meetings in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        sessionmaker = create_sessionmaker(engine)
        counter = Counter(engine)
        async with sessionmaker() as session:
            started = time.perf_counter()
            rows = await planning.plan(session, NOW)
            tick = time.perf_counter() - started
        async with sessionmaker() as session:
            written = await session.scalar(select(func.count()).select_from(Outbox))
        print(f"tick: {rows} rows ({written} in the outbox) in {tick:.2f} s", flush=True)

        queries: dict[str, int] = {}
        times: list[float] = []
        sample: Any = None
        with create_i18n().context():
            recipients = await _staff(sessionmaker)
            # A warm-up, not counted: the first digest creates the default survey
            # instrument once for the whole database.
            async with sessionmaker() as session:
                person = await session.get(Participant, recipients[-1][0])
                assert person is not None
                actor = Actor.of(person.telegram_id or 0, person, is_admin=False)
                scope = await export_scope.school(session, actor, recipients[-1][1], NOW)
                await content.gather(session, actor, scope)
            for n, (pid, school_id) in enumerate(recipients):
                async with sessionmaker() as session:
                    person = await session.get(Participant, pid)
                    assert person is not None
                    actor = Actor.of(person.telegram_id or 0, person, is_admin=False)
                    before = counter.n
                    t0 = time.perf_counter()
                    scope = await export_scope.school(session, actor, school_id, NOW)
                    digest = await content.gather(session, actor, scope)
                    times.append(time.perf_counter() - t0)
                    used = counter.n - before
                if pid == made["small"]:
                    queries["small"] = used
                if pid == made["large"]:
                    queries["large"] = used
                    sample = digest
                queries.setdefault("min", used)
                queries["min"] = min(queries["min"], used)
                queries["max"] = max(queries.get("max", used), used)
                if n + 1 == args.gather:
                    break
            print(
                f"content: {len(times)} digests, p50 {statistics.median(times) * 1000:.0f} ms, "
                f"queries small school {queries['small']}, large {queries['large']}, "
                f"min {queries['min']}, max {queries['max']}",
                flush=True,
            )
            assert sample is not None
            chart.render(sample)
            charts, walls = [], []
            for _ in range(args.charts):
                t0, c0 = time.perf_counter(), time.process_time()
                chart.render(sample)
                charts.append(time.process_time() - c0)
                walls.append(time.perf_counter() - t0)
        p50 = statistics.median(charts) * 1000
        print(
            f"chart: p50 {p50:.0f} ms of CPU, {statistics.median(walls) * 1000:.0f} ms of wall "
            f"time on this machine; p90 CPU "
            f"{statistics.quantiles(charts, n=10)[-1] * 1000:.0f} ms",
            flush=True,
        )
        each = (
            f"{queries['max']}"
            if queries["min"] == queries["max"]
            else f"{queries['min']}–{queries['max']}"
        )
        return (
            f"digests: {rows} curators in {tick:.1f} s, {each} queries each; chart p50 {p50:.0f} ms"
        )
    finally:
        await engine.dispose()
        await drop_database(admin_url, DB_NAME)


async def _staff(sessionmaker: Any) -> list[tuple[int, int]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(RoleGrant.participant_id, RoleGrant.school_id)
            .where(RoleGrant.role == Role.CURATOR)
            .order_by(RoleGrant.participant_id)
        )
        return [(int(p), int(s)) for p, s in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--curators", type=int, default=1000)
    parser.add_argument("--large-pairs", type=int, default=20)
    parser.add_argument("--gather", type=int, default=1000, help="digests whose content is built")
    parser.add_argument("--charts", type=int, default=30)
    print(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
