"""Benchmark: «Подобрать всем» for 2,000 mentees and 800 mentors of one municipality.

Synthetic people (a fixed seed): 40 schools, 12 subjects, 16 deficits/competencies in
the catalogue, each mentee with 1–4 deficits, each mentor with 2–7 competencies, 0–40
years of experience and a capacity of 1–3 (nobody paired yet). Timed: what
services.matching_bulk.propose does once the people are loaded — the score matrix
(score_matrix: the same terms as services.matching.score, checked against it on a
sample here) and the optimal assignment over capacity slots (optimal: scipy's
linear_sum_assignment). The baseline, on the same matrix: greedy — mentees in list
order, each given the best-ranked mentor with a place left, which is what the
one-by-one /unmatched gives a curator who takes the first suggestion each time.

The last line printed is the headline:

    matching: 2000 mentees in 0.8 s; score 1.07 of greedy

Run: ``uv run python -m bench.matching [--mentees 2000] [--mentors 800] [--seed 12]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import time
from typing import Any

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.sender import DEFAULT_ADMIN_URL, drop_database, fresh_database
from models import (
    CatalogueItem,
    CatalogueKind,
    CatalogueMark,
    MentorProfile,
    Municipality,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from models.db import create_engine, create_sessionmaker
from services.access import Actor
from services.matching import MenteeFacts, MentorFacts, score
from services.matching_bulk import greedy, optimal, propose, score_matrix, total_score

DB_NAME = f"nastavnik_bench_matching_{os.getpid()}"
CHUNK = 5_000

SUBJECTS = [
    "математика",
    "русский язык",
    "литература",
    "физика",
    "химия",
    "биология",
    "история",
    "обществознание",
    "английский язык",
    "информатика",
    "география",
    "начальные классы",
]
ITEMS = list(range(1, 17))
SCHOOLS = list(range(1, 41))


def people(
    n_mentees: int, n_mentors: int, seed: int
) -> tuple[list[MenteeFacts], list[MentorFacts]]:
    rnd = random.Random(seed)
    mentees = [
        MenteeFacts(
            participant_id=i + 1,
            school_id=rnd.choice(SCHOOLS),
            subject=rnd.choice(SUBJECTS),
            deficits=frozenset(rnd.sample(ITEMS, rnd.randint(1, 4))),
        )
        for i in range(n_mentees)
    ]
    mentors = [
        MentorFacts(
            participant_id=100_000 + i,
            school_id=rnd.choice(SCHOOLS),
            subject=rnd.choice(SUBJECTS),
            competencies=frozenset(rnd.sample(ITEMS, rnd.randint(2, 7))),
            capacity=rnd.randint(1, 3),
            current_mentees=0,
            experience_years=rnd.randint(0, 40),
        )
        for i in range(n_mentors)
    ]
    return mentees, mentors


async def _rows(engine: AsyncEngine, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert in chunks; the new ids when the table has an ``id``."""
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        async with engine.begin() as conn:
            chunk = rows[start : start + CHUNK]
            if "id" in table.c:
                ids += list(await conn.scalars(insert(table).returning(table.c.id), chunk))
            else:
                await conn.execute(insert(table), chunk)
    return ids


async def on_postgres(
    mentees: list[MenteeFacts], mentors: list[MentorFacts], scores: np.ndarray
) -> tuple[float, int, int]:
    """The same people in a PostgreSQL database of the bench's own, and
    services.matching_bulk.propose for the municipality's coordinator, timed whole
    (loading included). Returns the time, the pairs proposed and their total score."""
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    url = await fresh_database(admin_url, DB_NAME)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            items = list(await conn.scalars(select(CatalogueItem.id).order_by(CatalogueItem.id)))
        (mun_id,) = await _rows(
            engine, Municipality.__table__, [{"name": "Бенчмарк", "timezone": "Europe/Moscow"}]
        )
        school_ids = await _rows(
            engine,
            School.__table__,
            [
                {"municipality_id": mun_id, "name": f"Школа № {n}", "timezone": "Europe/Moscow"}
                for n in SCHOOLS
            ],
        )
        school_of = dict(zip(SCHOOLS, school_ids, strict=True))
        now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
        people: list[MenteeFacts | MentorFacts] = [*mentees, *mentors]
        ids = await _rows(
            engine,
            Participant.__table__,
            [
                {
                    "telegram_id": 10**9 + n,
                    "full_name": f"Участник {n}",
                    "status": ParticipantStatus.ACTIVE,
                    "school_id": school_of[p.school_id or SCHOOLS[0]],
                    "subject": p.subject,
                    "experience_years": getattr(p, "experience_years", 1),
                    "registered_at": now,
                }
                for n, p in enumerate(people)
            ],
        )
        role = [Role.MENTEE] * len(mentees) + [Role.MENTOR] * len(mentors)
        await _rows(
            engine,
            RoleGrant.__table__,
            [
                {"participant_id": i, "role": r, "school_id": school_of[p.school_id or 1]}
                for i, r, p in zip(ids, role, people, strict=True)
            ],
        )
        mentor_ids = ids[len(mentees) :]
        await _rows(
            engine,
            MentorProfile.__table__,
            [
                {"participant_id": i, "capacity": m.capacity}
                for i, m in zip(mentor_ids, mentors, strict=True)
            ],
        )
        marks = [
            {"participant_id": i, "kind": CatalogueKind.DEFICIT, "item_id": items[d - 1]}
            for i, m in zip(ids, mentees, strict=False)
            for d in m.deficits
        ] + [
            {"participant_id": i, "kind": CatalogueKind.COMPETENCY, "item_id": items[c - 1]}
            for i, m in zip(mentor_ids, mentors, strict=True)
            for c in m.competencies
        ]
        await _rows(engine, CatalogueMark.__table__, marks)

        coordinator = Actor(telegram_id=1, coordinator_municipality_ids=frozenset({mun_id}))
        sessionmaker = create_sessionmaker(engine)
        async with sessionmaker() as session:
            started = time.perf_counter()
            proposal = await propose(session, coordinator)
            took = time.perf_counter() - started
        row = {i: r for r, i in enumerate(ids[: len(mentees)])}
        col = {i: c for c, i in enumerate(mentor_ids)}
        total = sum(int(scores[row[a], col[b]]) for a, b in proposal.pairs)
        return took, len(proposal.pairs), total
    finally:
        await engine.dispose()
        await drop_database(admin_url, DB_NAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=800)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--no-database",
        action="store_true",
        help="skip the whole propose() on PostgreSQL (loading the people included)",
    )
    args = parser.parse_args()

    mentees, mentors = people(args.mentees, args.mentors, args.seed)
    free = np.array([m.free_places for m in mentors], dtype=np.int64)

    started = time.perf_counter()
    scores = score_matrix(mentees, mentors)
    built = time.perf_counter()
    allowed = np.ones(scores.shape, dtype=bool)  # one municipality, nobody paired before
    best = optimal(scores, allowed, free)
    done = time.perf_counter()
    base = greedy(scores, allowed, free)

    rnd = random.Random(args.seed + 1)
    for _ in range(2000):  # the matrix is the scoring function (a sample)
        r, c = rnd.randrange(len(mentees)), rnd.randrange(len(mentors))
        assert scores[r, c] == score(mentees[r], mentors[c]).total
    for j, cap in enumerate(free.tolist()):
        assert sum(1 for x in best if x == j) <= cap

    places = int(free.sum())
    matched = sum(x is not None for x in best)
    ratio = total_score(scores, best) / total_score(scores, greedy(scores, allowed, free))
    print(f"people: {len(mentees)} mentees, {len(mentors)} mentors, {places} places")
    print(f"score matrix: {built - started:.2f} s; assignment: {done - built:.2f} s")
    print(
        f"optimal: {matched} matched, total {total_score(scores, best)}, "
        f"mean {total_score(scores, best) / max(matched, 1):.1f}"
    )
    print(
        f"greedy: {sum(x is not None for x in base)} matched, "
        f"total {total_score(scores, base)}, "
        f"mean {total_score(scores, base) / max(1, sum(x is not None for x in base)):.1f}"
    )
    if not args.no_database:
        took, pairs, total = asyncio.run(on_postgres(mentees, mentors, scores))
        assert total == total_score(scores, best), "the service found another optimum total"
        print(f"propose() on PostgreSQL, loading included: {took:.2f} s, {pairs} pairs")
    print(
        f"matching: {len(mentees)} mentees in {done - started:.1f} s; score {ratio:.2f} of greedy"
    )


if __name__ == "__main__":
    main()
