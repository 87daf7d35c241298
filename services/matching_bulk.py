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

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CatalogueKind,
    CatalogueMark,
    MentorProfile,
    Pair,
    PairMember,
    PairProposal,
    PairStatus,
    Participant,
    ProposalStatus,
    Role,
    School,
)
from services import catalogue
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
    waiting_for_mentee,
    waiting_proposals,
)
from services.pairs import proposals

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
    """Ids only: what the curator's FSM data keeps between presses. ``order``: one
    order (приказ) for every pair of it, its number and ISO date, once typed."""

    pairs: tuple[tuple[int, int], ...]  # (mentee_id, mentor_id)
    left: tuple[tuple[int, str], ...]  # (mentee_id, reason code)
    order: tuple[str, str] | None = None

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "pairs": [list(p) for p in self.pairs],
            "left": [list(x) for x in self.left],
        }
        if self.order is not None:
            data["order"] = list(self.order)
        return data

    @classmethod
    def from_data(cls, data: object) -> Proposal | None:
        """Back from FSM data; None when it is missing or malformed."""
        if not isinstance(data, dict):
            return None
        try:
            got = tuple((int(a), int(b)) for a, b in data["pairs"])
            left = tuple((int(a), str(code)) for a, code in data["left"])
            order = None
            if data.get("order") is not None:
                number, day = data["order"]
                order = (str(number), dt.date.fromisoformat(str(day)).isoformat())
        except (KeyError, TypeError, ValueError):
            return None
        return cls(got, left, order)

    @property
    def mentee_ids(self) -> set[int]:
        return {a for a, _ in self.pairs} | {a for a, _ in self.left}

    @property
    def order_number(self) -> str | None:
        return self.order[0] if self.order else None

    @property
    def order_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.order[1]) if self.order else None

    def with_order(self, number: str, day: dt.date) -> Proposal:
        """One order for all the pairs: the school's «приказ о назначении наставников»
        (as the roadmaps call it) usually names every pair of the year at once."""
        return dataclasses.replace(self, order=(number, day.isoformat()))

    def without(self, mentee_id: int) -> Proposal:
        """The curator took this mentee's pair out: they join the left-out list."""
        if mentee_id not in {a for a, _ in self.pairs}:
            raise DomainError("bulk.not_in_proposal")
        return dataclasses.replace(
            self,
            pairs=tuple(p for p in self.pairs if p[0] != mentee_id),
            left=(*((a, c) for a, c in self.left if a != mentee_id), (mentee_id, REMOVED)),
        )

    def with_mentor(self, mentee_id: int, mentor_id: int) -> Proposal:
        """This mentee gets this mentor instead (or at all, when left out)."""
        if mentee_id not in self.mentee_ids:
            raise DomainError("bulk.not_in_proposal")
        others = [p for p in self.pairs if p[0] != mentee_id]
        mine = next((i for i, p in enumerate(self.pairs) if p[0] == mentee_id), len(others))
        others.insert(mine, (mentee_id, mentor_id))
        return dataclasses.replace(
            self,
            pairs=tuple(others),
            left=tuple((a, c) for a, c in self.left if a != mentee_id),
        )


# --- gathering the facts ---------------------------------------------------------------
# Plain columns, not Participant objects: a municipality's 2,000 mentees and 800 mentors
# load in a fraction of a second this way (the ORM with its eager loads took seconds).
# Full records are loaded only for the few people a screen shows.


@dataclass
class _Pool:
    mentees: list[MenteeFacts]  # in /unmatched's order
    mentors: list[MentorFacts]  # with their current mentees; ended_with_mentee unused
    ended: set[tuple[int, int]]  # (mentee_id, mentor_id) of ended pairs
    municipality: dict[int, int]  # school id → municipality id

    def allowed(self) -> NDArray[np.bool_]:
        """Which mentee (row) may have which mentor (column), places aside: the same
        municipality, not themself, no ended pair between them."""
        home = np.array([self.municipality.get(a.school_id or 0, -1) for a in self.mentees])
        work = np.array([self.municipality.get(b.school_id or 0, -2) for b in self.mentors])
        ok: NDArray[np.bool_] = np.asarray(home[:, None] == work[None, :], dtype=bool)
        if not ok.size:
            return ok
        ok &= (
            np.array([a.participant_id for a in self.mentees])[:, None]
            != np.array([b.participant_id for b in self.mentors])[None, :]
        )
        rows = {a.participant_id: r for r, a in enumerate(self.mentees)}
        cols = {b.participant_id: c for c, b in enumerate(self.mentors)}
        for a_id, b_id in self.ended:
            if a_id in rows and b_id in cols:
                ok[rows[a_id], cols[b_id]] = False
        return ok

    def free(self) -> NDArray[np.int64]:
        return np.array([b.free_places for b in self.mentors], dtype=np.int64)


async def _marks(
    session: AsyncSession, kind: CatalogueKind, who: Select[int]
) -> dict[int, frozenset[int]]:
    rows = await session.execute(
        select(CatalogueMark.participant_id, CatalogueMark.item_id).where(
            CatalogueMark.kind == kind, CatalogueMark.participant_id.in_(who.scalar_subquery())
        )
    )
    found: dict[int, set[int]] = {}
    for participant_id, item_id in rows:
        found.setdefault(participant_id, set()).add(item_id)
    return {k: frozenset(v) for k, v in found.items()}


async def _pool(session: AsyncSession, actor: Actor, mentee_ids: list[int] | None) -> _Pool:
    """The actor's unmatched mentees (all, or those of ``mentee_ids`` still unmatched and
    in scope) and the live mentors of their municipalities."""
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    school_ids = await managed_school_ids(session, actor)
    # A mentee whose proposal waits for the mentor's answer is not offered again.
    where = [*unmatched_filter(school_ids), ~waiting_for_mentee(Participant.id)]
    if mentee_ids is not None:
        where.append(Participant.id.in_(mentee_ids))
    deficits = await _marks(session, CatalogueKind.DEFICIT, select(Participant.id).where(*where))
    mentees = [
        MenteeFacts(i, school_id, subject, deficits.get(i, frozenset()))
        for i, school_id, subject in await session.execute(
            select(Participant.id, Participant.school_id, Participant.subject)
            .where(*where)
            .order_by(Participant.registered_at, Participant.id)
        )
    ]
    municipality: dict[int, int] = {}
    if mentees:
        municipality = {
            int(i): int(m)
            for i, m in await session.execute(
                select(School.id, School.municipality_id).where(
                    School.id.in_({m.school_id for m in mentees if m.school_id})
                )
            )
        }
    mentor_where = [
        *live_filter(Role.MENTOR),
        School.municipality_id.in_(set(municipality.values())),
    ]
    in_area = select(Participant.id).join(School, School.id == Participant.school_id)
    rows = (
        list(
            await session.execute(
                select(
                    Participant.id,
                    Participant.school_id,
                    School.municipality_id,
                    Participant.subject,
                    Participant.experience_years,
                    MentorProfile.capacity,
                )
                .join(School, School.id == Participant.school_id)
                .outerjoin(MentorProfile, MentorProfile.participant_id == Participant.id)
                .where(*mentor_where)
                .order_by(Participant.id)
            )
        )
        if mentees
        else []
    )
    competencies = (
        await _marks(session, CatalogueKind.COMPETENCY, in_area.where(*mentor_where))
        if rows
        else {}
    )
    counts = await current_mentees(session, [r[0] for r in rows])
    for mentor_id, n in (await waiting_proposals(session, [r[0] for r in rows])).items():
        counts[mentor_id] = counts.get(mentor_id, 0) + n  # a place held for the answer
    mentors = []
    for i, school_id, area, subject, years, capacity in rows:
        if school_id is not None:  # always: joined to its school
            municipality[school_id] = area
        mentors.append(
            MentorFacts(
                participant_id=i,
                school_id=school_id,
                subject=subject,
                competencies=competencies.get(i, frozenset()),
                capacity=1 if capacity is None else capacity,  # as facts_of_mentor
                current_mentees=counts.get(i, 0),
                experience_years=years,
            )
        )
    ended: set[tuple[int, int]] = set()
    if mentees and mentors:
        ended = {
            (int(a), int(b))
            for a, b in await session.execute(
                select(PairMember.mentee_id, Pair.mentor_id)
                .join(Pair, Pair.id == PairMember.pair_id)
                .where(
                    PairMember.mentee_id.in_(
                        select(Participant.id).where(*where).scalar_subquery()
                    ),
                    Pair.status == PairStatus.ENDED,
                )
            )
        }
        # A mentor who said «Не могу» to this mentee is never proposed her again.
        ended |= {
            (int(a), int(b))
            for a, b in await session.execute(
                select(PairProposal.mentee_id, PairProposal.mentor_id).where(
                    PairProposal.mentee_id.in_(
                        select(Participant.id).where(*where).scalar_subquery()
                    ),
                    PairProposal.status == ProposalStatus.DECLINED,
                )
            )
        }
    return _Pool(mentees, mentors, ended, municipality)


async def propose(session: AsyncSession, actor: Actor) -> Proposal:
    """The optimal proposal for every unmatched mentee the actor oversees."""
    pool = await _pool(session, actor, None)
    scores = score_matrix(pool.mentees, pool.mentors)
    free = pool.free()
    allowed = pool.allowed() & (free[None, :] > 0)
    got = optimal(scores, allowed, free)
    matched: list[tuple[int, int]] = []
    left: list[tuple[int, str]] = []
    for r, j in enumerate(got):
        mentee_id = pool.mentees[r].participant_id
        if j is None:
            left.append((mentee_id, TAKEN if allowed[r].any() else NO_MENTOR))
        else:
            matched.append((mentee_id, pool.mentors[j].participant_id))
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
    order_number: str | None = None  # the one order for all the pairs, once typed
    order_date: dt.date | None = None


async def _people(session: AsyncSession, ids: set[int]) -> dict[int, Participant]:
    if not ids:
        return {}
    return {
        p.id: p for p in await session.scalars(select(Participant).where(Participant.id.in_(ids)))
    }


async def _suggestion(
    session: AsyncSession, mentee: Participant, mentor: Participant, current: int
) -> Suggestion:
    # The same facts and score() as /unmatched's suggestions, for the reasons in words.
    s = score(facts_of_mentee(mentee), facts_of_mentor(mentor, current, False))
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
    mentees = {m.participant_id: r for r, m in enumerate(pool.mentees)}
    mentors = {m.participant_id: c for c, m in enumerate(pool.mentors)}
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
    return dataclasses.replace(proposal, pairs=kept, left=left)


async def show(
    session: AsyncSession, actor: Actor, proposal: Proposal, page: int
) -> tuple[Proposal, ProposalPage]:
    """One page of the proposal, re-checked: what is no longer true drops out (and the
    cleaned proposal is returned for the caller to keep)."""
    pool = await _pool(session, actor, sorted(proposal.mentee_ids))
    proposal = _in_pool(pool, proposal)
    mentee_facts = {m.participant_id: m for m in pool.mentees}
    mentor_facts = {m.participant_id: m for m in pool.mentors}
    total = sum(score(mentee_facts[a], mentor_facts[b]).total for a, b in proposal.pairs)
    pages = max(1, -(-len(proposal.pairs) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = proposal.pairs[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    left = proposal.left[:LEFT_SHOWN] if page == pages - 1 else ()
    people = await _people(session, {i for p in shown for i in p} | {a for a, _ in left})
    items = []
    for a, b in shown:
        mentee = people[a]
        suggestion = await _suggestion(session, mentee, people[b], mentor_facts[b].current_mentees)
        school = mentee.school.name if mentee.school else ""
        items.append(ProposedPair(a, mentee.full_name or "", school, suggestion))
    page_data = ProposalPage(
        items,
        [LeftOut(a, people[a].full_name or "", code) for a, code in left],
        len(proposal.left) - len(left) if page == pages - 1 else 0,
        page,
        pages,
        len(proposal.pairs),
        total,
        len({m.school_id for m in pool.mentees}) > 1,
        proposal.order_number,
        proposal.order_date,
    )
    return proposal, page_data


@dataclass(frozen=True)
class Alternatives:
    mentee_id: int
    mentee_name: str
    current_mentor_id: int  # 0: left out
    items: list[Suggestion]


async def _acceptable(
    session: AsyncSession, actor: Actor, proposal: Proposal, mentee_id: int
) -> list[MentorFacts]:
    """The mentors this mentee may have with a place the rest of the proposal leaves
    free, best first."""
    if mentee_id not in proposal.mentee_ids:
        raise DomainError("bulk.not_in_proposal")
    pool = await _pool(session, actor, [mentee_id])
    if not pool.mentees:
        raise DomainError("matching.already_paired")
    places = {m.participant_id: m.free_places for m in pool.mentors}
    for a, b in proposal.pairs:
        if a != mentee_id and b in places:
            places[b] -= 1
    allowed = pool.allowed()
    mentee = pool.mentees[0]
    found = [
        m for c, m in enumerate(pool.mentors) if allowed[0, c] and places[m.participant_id] > 0
    ]
    found.sort(key=lambda m: (-score(mentee, m).total, m.participant_id))
    return found


async def alternatives(
    session: AsyncSession, actor: Actor, proposal: Proposal, mentee_id: int
) -> Alternatives:
    """Other mentors this mentee could have, with a place the proposal leaves free."""
    found = await _acceptable(session, actor, proposal, mentee_id)
    current = next((b for a, b in proposal.pairs if a == mentee_id), 0)
    best = [m for m in found if m.participant_id != current][:ALTERNATIVES]
    people = await _people(session, {mentee_id} | {m.participant_id for m in best})
    mentee = people[mentee_id]
    items = [
        await _suggestion(session, mentee, people[m.participant_id], m.current_mentees)
        for m in best
    ]
    return Alternatives(mentee.id, mentee.full_name or "", current, items)


async def swap(
    session: AsyncSession, actor: Actor, proposal: Proposal, mentee_id: int, mentor_id: int
) -> Proposal:
    """Give the mentee this mentor instead, if acceptable and with a place left."""
    found = await _acceptable(session, actor, proposal, mentee_id)
    if mentor_id not in {m.participant_id for m in found}:
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
    proposed: list[proposals.Proposed]  # sent to the mentors; pairs form on «Беру»
    not_formed: list[NotFormed]
    order_number: str | None = None  # the order every proposal carries, if one was typed
    order_date: dt.date | None = None


async def confirm(
    session: AsyncSession, actor: Actor, proposal: Proposal, clock: Clock
) -> Confirmed:
    """Send every pair of the proposal to its mentor through proposals.propose (art.
    351.8 ТК РФ: the mentor agrees first; the pair is formed on «Беру»), one
    transaction each, so one that is no longer possible (the mentee was paired or
    proposed meanwhile, the mentor is full, gone or said «Не могу» to her) is reported
    and the rest are sent."""
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    ids = {i for p in proposal.pairs for i in p}
    names = {
        p.id: p.full_name or ""
        for p in await session.scalars(select(Participant).where(Participant.id.in_(ids)))
    }
    sent: list[proposals.Proposed] = []
    not_formed: list[NotFormed] = []
    for mentee_id, mentor_id in proposal.pairs:
        try:
            # The mentor's row locked until propose commits: two proposals confirmed at
            # once cannot both take a mentor's last place.
            locked = await session.execute(
                select(Participant.id, MentorProfile.capacity)
                .outerjoin(MentorProfile, MentorProfile.participant_id == Participant.id)
                .where(Participant.id == mentor_id)
                .with_for_update(of=Participant)
            )
            row = locked.first()
            if row is None:
                raise DomainError("matching.mentor_gone")
            capacity = 1 if row.capacity is None else row.capacity  # as facts_of_mentor
            taken = (await current_mentees(session, [mentor_id])).get(mentor_id, 0)
            taken += (await waiting_proposals(session, [mentor_id])).get(mentor_id, 0)
            if taken >= capacity:
                raise DomainError("bulk.mentor_full")
            sent.append(
                await proposals.propose(
                    session,
                    actor,
                    mentee_id=mentee_id,
                    mentor_id=mentor_id,
                    group_pair_id=None,
                    order_number=proposal.order_number,
                    order_date=proposal.order_date,
                    clock=clock,
                )
            )
        except DomainError as err:
            await session.rollback()
            not_formed.append(
                NotFormed(names.get(mentee_id, ""), names.get(mentor_id, ""), err.code)
            )
    return Confirmed(sent, not_formed, proposal.order_number, proposal.order_date)
