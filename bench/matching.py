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
import random
import time

import numpy as np

from services.matching import MenteeFacts, MentorFacts, score
from services.matching_bulk import greedy, optimal, score_matrix, total_score

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=800)
    parser.add_argument("--seed", type=int, default=12)
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
    print(
        f"matching: {len(mentees)} mentees in {done - started:.1f} s; score {ratio:.2f} of greedy"
    )


if __name__ == "__main__":
    main()
