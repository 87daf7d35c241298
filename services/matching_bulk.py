"""«Подобрать всем»: one proposal for every unmatched mentee of the curator's school (or
the coordinator's municipality), then the pairs formed one by one as /unmatched forms
them.

The proposal is an optimal assignment, not a greedy loop: every mentor is as many
"slots" as they have free places, and scipy's linear_sum_assignment (the Hungarian
method's modern form, LAPJV) picks mentee → slot. The objective is lexicographic:
first as many mentees as the places allow, then, among such proposals, the largest
total of the same match score /unmatched shows (services/matching.score). A pair is
acceptable when the one-by-one flow would offer it with a free place: a live mentor of
the mentee's municipality, not the mentee themself, with a free place; a mentor with
whom the mentee already ended a pair is left out (the one-by-one list only ranks them
last, a proposal for everyone should not bring them back unasked).

The proposal travels as ids only (the curator's FSM data); whatever comes back is
re-checked against the actor's scope, and the pairs are re-validated when formed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Pair, PairMember, PairStatus, Participant, Role, School
from services import catalogue, pairs
from services.access import Actor, managed_school_ids
from services.clock import Clock
from services.errors import DomainError
from services.matching import (
    DEFICITS_COVERED,
    ENDED_BEFORE,
    EXPERIENCE_MAX,
    FREE_PLACE,
    SAME_SCHOOL,
    SAME_SUBJECT,
    MenteeFacts,
    MentorFacts,
    Suggestion,
    current_mentees,
    facts_of_mentee,
    facts_of_mentor,
    live_filter,
    score,
    unmatched_filter,
)

PAGE_SIZE = 5  # pairs per screen: each has its reasons, a phone shows about this many
ALTERNATIVES = 5
LEFT_SHOWN = 10  # left-out mentees listed (and offered a mentor): a message stays short

# Why a mentee is left out of the proposal (locale keys bulk.left.<code>).
NO_MENTOR = "no_mentor"  # no acceptable mentor with a free place in the municipality
TAKEN = "taken"  # there were, but their places went to others (fewer places than mentees)
REMOVED = "removed"  # the curator took the pair out

# --- the pure part ---------------------------------------------------------------------


def _norm_subject(s: str | None) -> str:
    # The same normalisation as matching._same_subject (a test keeps them equal).
    return " ".join((s or "").lower().replace("ё", "е").split())


def score_matrix(
    mentees: Sequence[MenteeFacts], mentors: Sequence[MentorFacts]
) -> NDArray[np.int64]:
    """score(mentee, mentor).total for every pair at once, in numpy: 2,000 × 800 calls of
    the Python function take seconds, this takes milliseconds. Same terms, same
    rounding (numpy's rint and Python's round both round half to even);
    tests/unit/test_matching_bulk.py checks it against score() on random facts."""
    n, m = len(mentees), len(mentors)
    if not n or not m:
        return np.zeros((n, m), dtype=np.int64)
    school_a = np.array([-1 if x.school_id is None else x.school_id for x in mentees])
    school_b = np.array([-2 if x.school_id is None else x.school_id for x in mentors])
    total = np.where(school_a[:, None] == school_b[None, :], SAME_SCHOOL, 0).astype(np.int64)

    codes: dict[str, int] = {}
    subj_a = np.array(
        [
            codes.setdefault(s, len(codes)) if (s := _norm_subject(x.subject)) else -1
            for x in mentees
        ]
    )
    subj_b = np.array(
        [
            codes.setdefault(s, len(codes)) if (s := _norm_subject(x.subject)) else -2
            for x in mentors
        ]
    )
    total += np.where(subj_a[:, None] == subj_b[None, :], SAME_SUBJECT, 0)

    items = sorted({i for x in mentees for i in x.deficits})
    if items:
        col = {item: k for k, item in enumerate(items)}
        deficits = np.zeros((n, len(items)), dtype=np.int64)
        for r, x in enumerate(mentees):
            deficits[r, [col[i] for i in x.deficits]] = 1
        competencies = np.zeros((m, len(items)), dtype=np.int64)
        for r, y in enumerate(mentors):
            competencies[r, [col[i] for i in y.competencies if i in col]] = 1
        covered = deficits @ competencies.T
        wanted = np.maximum(deficits.sum(axis=1), 1)[:, None]
        points = np.rint(DEFICITS_COVERED * covered / wanted).astype(np.int64)
        total += np.where(covered > 0, points, 0)

    free = np.array([y.free_places for y in mentors])
    years = np.array([y.experience_years or 0 for y in mentors])
    per_mentor = np.where(free > 0, FREE_PLACE, 0) + np.where(
        years > 0, np.minimum(years // 2, EXPERIENCE_MAX), 0
    )
    per_mentor += np.array([ENDED_BEFORE if y.ended_with_mentee else 0 for y in mentors])
    total += per_mentor[None, :]
    return total


def optimal(
    scores: NDArray[np.int64], allowed: NDArray[np.bool_], free: NDArray[np.int64]
) -> list[int | None]:
    """For each mentee (row) the mentor (column) it gets, or None: as many mentees as
    the free places allow, and the largest total score among such assignments."""
    n = scores.shape[0]
    owner = np.repeat(np.arange(scores.shape[1]), np.maximum(free, 0))
    if not n or not owner.size or not allowed.any():
        return [None] * n
    # A pair is worth BIG plus its score, so one more pair always outweighs any
    # difference in scores; a forbidden one is worth 0 (the same as no pair).
    big = 2 * n * (int(np.abs(scores[allowed]).max()) + 1) + 1
    weights = np.where(allowed, scores + big, 0).astype(np.float64)[:, owner]
    rows, cols = linear_sum_assignment(weights, maximize=True)
    result: list[int | None] = [None] * n
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        j = int(owner[c])
        if allowed[r, j]:
            result[r] = j
    return result


def greedy(
    scores: NDArray[np.int64], allowed: NDArray[np.bool_], free: NDArray[np.int64]
) -> list[int | None]:
    """The baseline: mentees in list order, each given the best-ranked mentor who still
    has a place — what a curator gets taking the first suggestion of /unmatched for
    each mentee in turn. For the bench and the tests."""
    left = free.copy()
    result: list[int | None] = []
    for r in range(scores.shape[0]):
        ok = allowed[r] & (left > 0)
        if not ok.any():
            result.append(None)
            continue
        # Highest score, then the lowest index (rank() breaks ties by mentor id).
        j = int(np.argmax(np.where(ok, scores[r], np.iinfo(np.int64).min)))
        left[j] -= 1
        result.append(j)
    return result


def total_score(scores: NDArray[np.int64], assignment: Sequence[int | None]) -> int:
    return sum(int(scores[r, j]) for r, j in enumerate(assignment) if j is not None)


@dataclass(frozen=True)
class Proposal:
    """Ids only: what the curator's FSM data keeps between presses."""

    pairs: tuple[tuple[int, int], ...]  # (mentee_id, mentor_id)
    left: tuple[tuple[int, str], ...]  # (mentee_id, reason code)

    def as_data(self) -> dict[str, list[list[int | str]]]:
        return {"pairs": [list(p) for p in self.pairs], "left": [list(x) for x in self.left]}

    @classmethod
    def from_data(cls, data: object) -> Proposal | None:
        """Back from FSM data; None when it is missing or malformed."""
        if not isinstance(data, dict):
            return None
        try:
            got = tuple((int(a), int(b)) for a, b in data["pairs"])
            left = tuple((int(a), str(code)) for a, code in data["left"])
        except (KeyError, TypeError, ValueError):
            return None
        return cls(got, left)

    @property
    def mentee_ids(self) -> set[int]:
        return {a for a, _ in self.pairs} | {a for a, _ in self.left}

    def without(self, mentee_id: int) -> Proposal:
        """The curator took this mentee's pair out: they join the left-out list."""
        if mentee_id not in {a for a, _ in self.pairs}:
            raise DomainError("bulk.not_in_proposal")
        return Proposal(
            tuple(p for p in self.pairs if p[0] != mentee_id),
            (*((a, c) for a, c in self.left if a != mentee_id), (mentee_id, REMOVED)),
        )

    def with_mentor(self, mentee_id: int, mentor_id: int) -> Proposal:
        """This mentee gets this mentor instead (or at all, when left out)."""
        if mentee_id not in self.mentee_ids:
            raise DomainError("bulk.not_in_proposal")
        others = [p for p in self.pairs if p[0] != mentee_id]
        mine = next((i for i, p in enumerate(self.pairs) if p[0] == mentee_id), len(others))
        others.insert(mine, (mentee_id, mentor_id))
        return Proposal(tuple(others), tuple((a, c) for a, c in self.left if a != mentee_id))


# --- gathering the facts ---------------------------------------------------------------


@dataclass
class _Pool:
    mentees: list[Participant]
    mentors: list[Participant]
    counts: dict[int, int]
    ended: set[tuple[int, int]]  # (mentee_id, mentor_id) of ended pairs
    municipality: dict[int, int]  # school id → municipality id

    def mentor_facts(self) -> list[MentorFacts]:
        return [facts_of_mentor(m, self.counts.get(m.id, 0), False) for m in self.mentors]

    def allowed(self) -> NDArray[np.bool_]:
        """Which mentee (row) may have which mentor (column), places aside: the same
        municipality, not themself, no ended pair between them."""
        home = np.array([self.municipality.get(a.school_id or 0, -1) for a in self.mentees])
        work = np.array([self.municipality.get(b.school_id or 0, -2) for b in self.mentors])
        ok: NDArray[np.bool_] = np.asarray(home[:, None] == work[None, :], dtype=bool)
        if not ok.size:
            return ok
        ok &= (
            np.array([a.id for a in self.mentees])[:, None]
            != np.array([b.id for b in self.mentors])[None, :]
        )
        rows = {a.id: r for r, a in enumerate(self.mentees)}
        cols = {b.id: c for c, b in enumerate(self.mentors)}
        for a_id, b_id in self.ended:
            if a_id in rows and b_id in cols:
                ok[rows[a_id], cols[b_id]] = False
        return ok


async def _pool(session: AsyncSession, actor: Actor, mentee_ids: list[int] | None) -> _Pool:
    """The actor's unmatched mentees (all, or those of ``mentee_ids`` still unmatched and
    in scope) and the live mentors of their municipalities."""
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    school_ids = await managed_school_ids(session, actor)
    query = (
        select(Participant)
        .where(*unmatched_filter(school_ids))
        .order_by(Participant.registered_at, Participant.id)
    )
    if mentee_ids is not None:
        query = query.where(Participant.id.in_(mentee_ids))
    mentees = list(await session.scalars(query))
    municipality = {
        s.id: s.municipality_id
        for s in await session.scalars(
            select(School).where(School.id.in_({m.school_id for m in mentees if m.school_id}))
        )
    }
    mentors: list[Participant] = []
    if mentees:
        mentors = list(
            await session.scalars(
                select(Participant)
                .join(School, School.id == Participant.school_id)
                .where(
                    *live_filter(Role.MENTOR),
                    School.municipality_id.in_(set(municipality.values())),
                )
                .order_by(Participant.id)
            )
        )
        for m in mentors:
            if m.school is not None:
                municipality[m.school.id] = m.school.municipality_id
    counts = await current_mentees(session, [m.id for m in mentors])
    ended: set[tuple[int, int]] = set()
    if mentees:
        rows = await session.execute(
            select(PairMember.mentee_id, Pair.mentor_id)
            .join(Pair, Pair.id == PairMember.pair_id)
            .where(
                PairMember.mentee_id.in_([m.id for m in mentees]),
                Pair.status == PairStatus.ENDED,
            )
        )
        ended = {(int(a), int(b)) for a, b in rows}
    return _Pool(mentees, mentors, counts, ended, municipality)


async def propose(session: AsyncSession, actor: Actor) -> Proposal:
    """The optimal proposal for every unmatched mentee the actor oversees."""
    pool = await _pool(session, actor, None)
    mentor_facts = pool.mentor_facts()
    scores = score_matrix([facts_of_mentee(m) for m in pool.mentees], mentor_facts)
    allowed = pool.allowed()
    free = np.array([f.free_places for f in mentor_facts], dtype=np.int64)
    allowed &= free[None, :] > 0
    got = optimal(scores, allowed, free)
    matched: list[tuple[int, int]] = []
    left: list[tuple[int, str]] = []
    for r, j in enumerate(got):
        mentee_id = pool.mentees[r].id
        if j is None:
            left.append((mentee_id, TAKEN if allowed[r].any() else NO_MENTOR))
        else:
            matched.append((mentee_id, pool.mentors[j].id))
    return Proposal(tuple(matched), tuple(left))


# --- what the screens show -------------------------------------------------------------


@dataclass(frozen=True)
class ProposedPair:
    mentee_id: int
    mentee_name: str
    mentee_school: str
    mentor: Suggestion  # the mentor with the score and reasons, as /unmatched shows them


@dataclass(frozen=True)
class LeftOut:
    mentee_id: int
    mentee_name: str
    reason: str


@dataclass(frozen=True)
class ProposalPage:
    items: list[ProposedPair]
    left: list[LeftOut]  # on the last page only, the first LEFT_SHOWN of them
    left_more: int  # how many more are left out than listed
    page: int
    pages: int
    total: int  # pairs in the proposal
    total_score: int
    many_schools: bool


async def _suggestion(
    session: AsyncSession, mentee: Participant, mentor: Participant, current: int, ended: bool
) -> Suggestion:
    s = score(facts_of_mentee(mentee), facts_of_mentor(mentor, current, ended))
    return Suggestion(
        mentor_id=mentor.id,
        full_name=mentor.full_name or "",
        school_name=mentor.school.name if mentor.school else "",
        subject=mentor.subject,
        score=s,
        covered_titles=await catalogue.titles(session, list(s.covered)),
        blocked_bot=mentor.blocked_bot,
    )


def _in_pool(pool: _Pool, proposal: Proposal) -> Proposal:
    """The proposal without the mentees no longer unmatched or out of the actor's scope,
    and without pairs whose mentor is no longer acceptable."""
    mentees = {m.id: r for r, m in enumerate(pool.mentees)}
    mentors = {m.id: c for c, m in enumerate(pool.mentors)}
    allowed = pool.allowed()
    kept = tuple(
        (a, b)
        for a, b in proposal.pairs
        if a in mentees and b in mentors and allowed[mentees[a], mentors[b]]
    )
    kept_ids = {a for a, _ in kept}
    left = tuple((a, c) for a, c in proposal.left if a in mentees and a not in kept_ids) + tuple(
        (a, REMOVED) for a, _ in proposal.pairs if a in mentees and a not in kept_ids
    )
    return Proposal(kept, left)


async def show(
    session: AsyncSession, actor: Actor, proposal: Proposal, page: int
) -> tuple[Proposal, ProposalPage]:
    """One page of the proposal, re-checked: what is no longer true drops out (and the
    cleaned proposal is returned for the caller to keep)."""
    pool = await _pool(session, actor, sorted(proposal.mentee_ids))
    proposal = _in_pool(pool, proposal)
    by_id = {m.id: m for m in [*pool.mentees, *pool.mentors]}
    pages = max(1, -(-len(proposal.pairs) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    items = []
    total = 0
    for n, (a, b) in enumerate(proposal.pairs):
        mentee, mentor = by_id[a], by_id[b]
        facts = facts_of_mentor(mentor, pool.counts.get(b, 0), False)
        total += score(facts_of_mentee(mentee), facts).total
        if page * PAGE_SIZE <= n < (page + 1) * PAGE_SIZE:
            # The reasons (and the catalogue titles) only for the pairs on this page.
            suggestion = await _suggestion(session, mentee, mentor, pool.counts.get(b, 0), False)
            school = mentee.school.name if mentee.school else ""
            items.append(ProposedPair(a, mentee.full_name or "", school, suggestion))
    left = []
    if page == pages - 1:
        left = [
            LeftOut(a, by_id[a].full_name or "", code) for a, code in proposal.left[:LEFT_SHOWN]
        ]
    schools = {m.school_id for m in pool.mentees}
    page_data = ProposalPage(
        items,
        left,
        len(proposal.left) - len(left) if page == pages - 1 else 0,
        page,
        pages,
        len(proposal.pairs),
        total,
        len(schools) > 1,
    )
    return proposal, page_data


@dataclass(frozen=True)
class Alternatives:
    mentee_id: int
    mentee_name: str
    current_mentor_id: int  # 0: left out
    items: list[Suggestion]


def _places_left(pool: _Pool, proposal: Proposal, mentee_id: int) -> dict[int, int]:
    """Each mentor's free places minus those the rest of the proposal already uses."""
    left = {m.id: f.free_places for m, f in zip(pool.mentors, pool.mentor_facts(), strict=True)}
    for a, b in proposal.pairs:
        if a != mentee_id and b in left:
            left[b] -= 1
    return left


async def _acceptable(
    session: AsyncSession, actor: Actor, proposal: Proposal, mentee_id: int
) -> tuple[_Pool, Participant, list[Suggestion]]:
    if mentee_id not in proposal.mentee_ids:
        raise DomainError("bulk.not_in_proposal")
    pool = await _pool(session, actor, [mentee_id])
    if not pool.mentees:
        raise DomainError("matching.already_paired")
    mentee = pool.mentees[0]
    places = _places_left(pool, proposal, mentee_id)
    allowed = pool.allowed()
    found = [
        await _suggestion(session, mentee, m, pool.counts.get(m.id, 0), False)
        for c, m in enumerate(pool.mentors)
        if allowed[0, c] and places[m.id] > 0
    ]
    found.sort(key=lambda s: (-s.score.total, s.mentor_id))
    return pool, mentee, found


async def alternatives(
    session: AsyncSession, actor: Actor, proposal: Proposal, mentee_id: int
) -> Alternatives:
    """Other mentors this mentee could have, with a place the proposal leaves free."""
    _, mentee, found = await _acceptable(session, actor, proposal, mentee_id)
    current = next((b for a, b in proposal.pairs if a == mentee_id), 0)
    items = [s for s in found if s.mentor_id != current][:ALTERNATIVES]
    return Alternatives(mentee.id, mentee.full_name or "", current, items)


async def swap(
    session: AsyncSession, actor: Actor, proposal: Proposal, mentee_id: int, mentor_id: int
) -> Proposal:
    """Give the mentee this mentor instead, if acceptable and with a place left."""
    _, _, found = await _acceptable(session, actor, proposal, mentee_id)
    if mentor_id not in {s.mentor_id for s in found}:
        raise DomainError("bulk.mentor_not_available")
    return proposal.with_mentor(mentee_id, mentor_id)


# --- forming ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NotFormed:
    mentee_name: str
    mentor_name: str
    code: str  # a locale key: why


@dataclass(frozen=True)
class Confirmed:
    formed: list[pairs.Formed]
    not_formed: list[NotFormed]


async def confirm(
    session: AsyncSession, actor: Actor, proposal: Proposal, clock: Clock
) -> Confirmed:
    """Form every pair of the proposal through pairs.form, one transaction each, so one
    that is no longer possible (the mentee was paired meanwhile, the mentor is full or
    gone) is reported and the rest are formed."""
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    ids = {i for p in proposal.pairs for i in p}
    names = {
        p.id: p.full_name or ""
        for p in await session.scalars(select(Participant).where(Participant.id.in_(ids)))
    }
    formed: list[pairs.Formed] = []
    not_formed: list[NotFormed] = []
    for mentee_id, mentor_id in proposal.pairs:
        try:
            # The mentor's row locked until pairs.form commits: two proposals confirmed
            # at once cannot both take a mentor's last place.
            await session.execute(
                select(Participant.id).where(Participant.id == mentor_id).with_for_update()
            )
            mentor = await session.get(Participant, mentor_id, populate_existing=True)
            if mentor is None:
                raise DomainError("matching.mentor_gone")
            capacity = mentor.mentor_profile.capacity if mentor.mentor_profile else 1
            current = (await current_mentees(session, [mentor_id])).get(mentor_id, 0)
            if current >= capacity:
                raise DomainError("bulk.mentor_full")
            formed.append(
                await pairs.form(
                    session,
                    actor,
                    mentee_id=mentee_id,
                    mentor_id=mentor_id,
                    group_pair_id=None,
                    order_number=None,
                    order_date=None,
                    clock=clock,
                )
            )
        except DomainError as err:
            await session.rollback()
            not_formed.append(
                NotFormed(names.get(mentee_id, ""), names.get(mentor_id, ""), err.code)
            )
    return Confirmed(formed, not_formed)
