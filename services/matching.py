"""Suggesting a mentor for a mentee: a pure score with its reasons, and the queries that
feed it (unmatched mentees, candidate mentors with their free places).

The score is additive so the reasons shown to the curator are exactly what was counted;
weights are constants here, documented in docs/pair-status.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Exists, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import (
    LIVE_PAIR,
    CatalogueKind,
    Pair,
    PairMember,
    PairProposal,
    PairStatus,
    Participant,
    ParticipantStatus,
    ProposalStatus,
    Role,
    RoleGrant,
    School,
)
from services import catalogue
from services.access import Actor, managed_school_ids, school_in_scope
from services.errors import DomainError, NotFound

SAME_SCHOOL = 30
SAME_SUBJECT = 25
DEFICITS_COVERED = 40  # all of the mentee's deficits covered; a share of it for some
FREE_PLACE = 10
EXPERIENCE_MAX = 10  # one point per two years, up to twenty years
ENDED_BEFORE = -50  # this mentor's pair with this mentee was ended: rarely wanted again

PAGE_SIZE = 8
SUGGESTIONS_PAGE = 5

# --- the pure part ---------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeFacts:
    participant_id: int
    school_id: int | None
    subject: str | None
    deficits: frozenset[int]


@dataclass(frozen=True)
class MentorFacts:
    participant_id: int
    school_id: int | None
    subject: str | None
    competencies: frozenset[int]
    capacity: int
    current_mentees: int
    experience_years: int | None
    ended_with_mentee: bool = False

    @property
    def free_places(self) -> int:
        return self.capacity - self.current_mentees


@dataclass(frozen=True)
class Reason:
    """Why a mentor scored what they did: a locale key under ``matching.reason.`` and
    its parameters (catalogue ids are turned into titles by the caller)."""

    code: str
    points: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    mentor_id: int
    total: int
    has_place: bool
    reasons: tuple[Reason, ...]
    covered: tuple[int, ...]  # the mentee's deficits this mentor has as competencies


def _same_subject(a: str | None, b: str | None) -> bool:
    def norm(s: str | None) -> str:
        return " ".join((s or "").lower().replace("ё", "е").split())

    return bool(norm(a)) and norm(a) == norm(b)


def score(mentee: MenteeFacts, mentor: MentorFacts) -> Score:
    reasons: list[Reason] = []
    if mentee.school_id is not None and mentee.school_id == mentor.school_id:
        reasons.append(Reason("same_school", SAME_SCHOOL))
    if _same_subject(mentee.subject, mentor.subject):
        reasons.append(Reason("same_subject", SAME_SUBJECT, {"subject": mentor.subject or ""}))
    covered = tuple(sorted(mentee.deficits & mentor.competencies))
    if covered:
        points = round(DEFICITS_COVERED * len(covered) / len(mentee.deficits))
        reasons.append(
            Reason("covers", points, {"covered": len(covered), "total": len(mentee.deficits)})
        )
    free = mentor.free_places
    if free > 0:
        reasons.append(Reason("free", FREE_PLACE, {"free": free, "capacity": mentor.capacity}))
    else:
        reasons.append(Reason("full", 0, {"capacity": mentor.capacity}))
    years = mentor.experience_years or 0
    if years > 0:
        reasons.append(Reason("experience", min(years // 2, EXPERIENCE_MAX), {"years": years}))
    if mentor.ended_with_mentee:
        reasons.append(Reason("ended_before", ENDED_BEFORE))
    return Score(
        mentor_id=mentor.participant_id,
        total=sum(r.points for r in reasons),
        has_place=free > 0,
        reasons=tuple(reasons),
        covered=covered,
    )


def rank(mentee: MenteeFacts, mentors: list[MentorFacts]) -> list[Score]:
    """Best first; mentors with no free place go last whatever their score."""
    scores = [score(mentee, m) for m in mentors if m.participant_id != mentee.participant_id]
    return sorted(scores, key=lambda s: (not s.has_place, -s.total, s.mentor_id))


# --- queries ---------------------------------------------------------------------------


def _in_live_pair(
    participant_id_col: ColumnElement[int] | InstrumentedAttribute[int] | int,
) -> Exists:
    return exists(
        select(PairMember.id)
        .join(Pair, Pair.id == PairMember.pair_id)
        .where(
            PairMember.mentee_id == participant_id_col,
            PairMember.left_at.is_(None),
            Pair.status.in_(LIVE_PAIR),
        )
    )


def waiting_for_mentee(
    participant_id_col: ColumnElement[int] | InstrumentedAttribute[int] | int,
) -> Exists:
    """A proposal to a mentor waits for an answer (services.pairs.proposals)."""
    return exists(
        select(PairProposal.id).where(
            PairProposal.mentee_id == participant_id_col,
            PairProposal.status == ProposalStatus.WAITING,
        )
    )


def _has_role(role: Role) -> Exists:
    return exists(
        select(RoleGrant.id).where(
            RoleGrant.participant_id == Participant.id, RoleGrant.role == role
        )
    )


def _live(role: Role) -> list[ColumnElement[bool]]:
    return [
        Participant.status == ParticipantStatus.ACTIVE,
        Participant.telegram_id.is_not(None),
        _has_role(role),
    ]


@dataclass(frozen=True)
class UnmatchedItem:
    participant_id: int
    full_name: str
    school_name: str
    subject: str | None
    experience_years: int | None
    deficits: list[str]
    blocked_bot: bool


@dataclass(frozen=True)
class UnmatchedPage:
    items: list[UnmatchedItem]
    page: int
    pages: int
    total: int
    many_schools: bool


async def unmatched(session: AsyncSession, actor: Actor, page: int) -> UnmatchedPage:
    """Active mentees with no current pair and no proposal waiting for a mentor's answer,
    within the actor's schools."""
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    school_ids = await managed_school_ids(session, actor)
    where = [
        *_live(Role.MENTEE),
        ~_in_live_pair(Participant.id),
        ~waiting_for_mentee(Participant.id),
    ]
    if school_ids is not None:
        where.append(Participant.school_id.in_(school_ids))
    else:
        where.append(Participant.school_id.is_not(None))
    total = await session.scalar(select(func.count()).select_from(Participant).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = await session.scalars(
        select(Participant)
        .where(*where)
        .order_by(Participant.registered_at, Participant.id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    items = []
    for p in rows:
        items.append(
            UnmatchedItem(
                participant_id=p.id,
                full_name=p.full_name or "",
                school_name=p.school.name if p.school else "",
                subject=p.subject,
                experience_years=p.experience_years,
                deficits=await catalogue.titles(session, p.marks(CatalogueKind.DEFICIT)),
                blocked_bot=p.blocked_bot,
            )
        )
    many = school_ids is None or len(school_ids) > 1
    return UnmatchedPage(items, page, pages, total, many)


async def mentee_in_scope(session: AsyncSession, actor: Actor, mentee_id: int) -> Participant:
    """A live mentee whose school the actor oversees (the id came from a button)."""
    p = await session.get(Participant, mentee_id)
    if p is None or p.school_id is None:
        raise NotFound()
    await school_in_scope(session, actor, p.school_id)
    if p.status != ParticipantStatus.ACTIVE or p.telegram_id is None or not p.has_role(Role.MENTEE):
        raise DomainError("matching.mentee_gone")
    return p


async def is_unmatched(session: AsyncSession, mentee_id: int) -> bool:
    found = await session.scalar(select(_in_live_pair(mentee_id)))
    return not found


async def current_mentees(session: AsyncSession, mentor_ids: list[int]) -> dict[int, int]:
    """How many mentees each mentor leads now (in active or paused pairs)."""
    if not mentor_ids:
        return {}
    rows = await session.execute(
        select(Pair.mentor_id, func.count(PairMember.id))
        .join(PairMember, PairMember.pair_id == Pair.id)
        .where(
            Pair.mentor_id.in_(mentor_ids),
            Pair.status.in_(LIVE_PAIR),
            PairMember.left_at.is_(None),
        )
        .group_by(Pair.mentor_id)
    )
    return {mentor_id: int(n) for mentor_id, n in rows}


async def waiting_proposals(session: AsyncSession, mentor_ids: list[int]) -> dict[int, int]:
    """How many proposals wait for each mentor's answer (services.pairs.proposals)."""
    if not mentor_ids:
        return {}
    rows = await session.execute(
        select(PairProposal.mentor_id, func.count(PairProposal.id))
        .where(
            PairProposal.mentor_id.in_(mentor_ids),
            PairProposal.status == ProposalStatus.WAITING,
        )
        .group_by(PairProposal.mentor_id)
    )
    return {mentor_id: int(n) for mentor_id, n in rows}


def facts_of_mentee(p: Participant) -> MenteeFacts:
    return MenteeFacts(
        participant_id=p.id,
        school_id=p.school_id,
        subject=p.subject,
        deficits=frozenset(p.marks(CatalogueKind.DEFICIT)),
    )


def facts_of_mentor(p: Participant, current: int, ended_with_mentee: bool) -> MentorFacts:
    return MentorFacts(
        participant_id=p.id,
        school_id=p.school_id,
        subject=p.subject,
        competencies=frozenset(p.marks(CatalogueKind.COMPETENCY)),
        capacity=p.mentor_profile.capacity if p.mentor_profile else 1,
        current_mentees=current,
        experience_years=p.experience_years,
        ended_with_mentee=ended_with_mentee,
    )


@dataclass(frozen=True)
class Suggestion:
    mentor_id: int
    full_name: str
    school_name: str
    subject: str | None
    score: Score
    covered_titles: list[str]
    blocked_bot: bool


@dataclass(frozen=True)
class Suggestions:
    mentee: UnmatchedItem
    request_text: str | None
    items: list[Suggestion]
    page: int
    pages: int
    total: int


async def suggest(session: AsyncSession, actor: Actor, mentee_id: int, page: int) -> Suggestions:
    """Mentors of the mentee's municipality, ranked, one page of them. A mentor who
    declined a proposal for this mentee is not suggested again."""
    mentee = await mentee_in_scope(session, actor, mentee_id)
    if not await is_unmatched(session, mentee.id):
        raise DomainError("matching.already_paired")
    school = mentee.school
    assert school is not None
    mentors = list(
        await session.scalars(
            select(Participant)
            .join(School, School.id == Participant.school_id)
            .where(*_live(Role.MENTOR), School.municipality_id == school.municipality_id)
            .where(Participant.id != mentee.id)
            .where(
                Participant.id.not_in(
                    select(PairProposal.mentor_id).where(
                        PairProposal.mentee_id == mentee.id,
                        PairProposal.status == ProposalStatus.DECLINED,
                    )
                )
            )
        )
    )
    counts = await current_mentees(session, [m.id for m in mentors])
    ended_before = set(
        await session.scalars(
            select(Pair.mentor_id)
            .join(PairMember, PairMember.pair_id == Pair.id)
            .where(PairMember.mentee_id == mentee.id, Pair.status == PairStatus.ENDED)
        )
    )
    by_id = {m.id: m for m in mentors}
    ranked = rank(
        facts_of_mentee(mentee),
        [facts_of_mentor(m, counts.get(m.id, 0), m.id in ended_before) for m in mentors],
    )
    pages = max(1, -(-len(ranked) // SUGGESTIONS_PAGE))
    page = min(max(page, 0), pages - 1)
    items = []
    for s in ranked[page * SUGGESTIONS_PAGE : (page + 1) * SUGGESTIONS_PAGE]:
        m = by_id[s.mentor_id]
        items.append(
            Suggestion(
                mentor_id=m.id,
                full_name=m.full_name or "",
                school_name=m.school.name if m.school else "",
                subject=m.subject,
                score=s,
                covered_titles=await catalogue.titles(session, list(s.covered)),
                blocked_bot=m.blocked_bot,
            )
        )
    deficits = await catalogue.titles(session, mentee.marks(CatalogueKind.DEFICIT))
    head = UnmatchedItem(
        participant_id=mentee.id,
        full_name=mentee.full_name or "",
        school_name=school.name,
        subject=mentee.subject,
        experience_years=mentee.experience_years,
        deficits=deficits,
        blocked_bot=mentee.blocked_bot,
    )
    request = mentee.mentee_profile.request_text if mentee.mentee_profile else None
    return Suggestions(head, request, items, page, pages, len(ranked))


def live_filter(role: Role) -> list[ColumnElement[bool]]:
    """Active people with the role who can be reached (services/matching_bulk)."""
    return _live(role)


def unmatched_filter(school_ids: list[int] | None) -> list[ColumnElement[bool]]:
    """The mentees /unmatched lists, all of them (services/matching_bulk); None: every
    school."""
    where = [*_live(Role.MENTEE), ~_in_live_pair(Participant.id)]
    if school_ids is not None:
        where.append(Participant.school_id.in_(school_ids))
    else:
        where.append(Participant.school_id.is_not(None))
    return where
