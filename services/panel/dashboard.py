"""What the panel shows for one scope (a school, or a coordinator's municipality), read
only, from the services the chat uses: the pairs with the status of
docs/pair-status.md, their stage, last meeting and ratings; the digest's twelve weeks of
meetings, indicators against targets and lines per school; the survey response rates;
the mentees still without a mentor. The scope is checked against the actor by
services.export.scope, exactly as /export and /digest do.

The club's coming events are the digest's (services.club.digest: published events of
the municipality's club and of the scope's schools in the next two weeks, with how many
said they would come).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingKind,
    Pair,
    PairMember,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from models.surveys import ROUND_ORDER, RoundKind
from services.access import Actor, managed_school_ids
from services.clock import local_today
from services.club.digest import ComingEvent
from services.digest import content
from services.digest.content import RoundNote, SchoolLine
from services.errors import AccessDenied
from services.export import scope as export_scope
from services.export.scope import ExportScope, Level
from services.indicators import Value
from services.pairs.facts import gather_facts, rules_for
from services.pairs.loading import load_pairs
from services.pairs.people import shown_members
from services.pairs.status import Flag, health
from services.pairs.status import Level as PairLevel
from services.surveys import results

UNMATCHED_SHOWN = 200  # the oldest first; the count says how many there are in all


@dataclass(frozen=True)
class Ratings:
    """Average 1–5 ratings of the pair's meetings, by the mentor and by the mentees."""

    mentor: float | None = None
    mentor_n: int = 0
    mentees: float | None = None
    mentees_n: int = 0


@dataclass(frozen=True)
class PairRow:
    pair_id: int
    school_id: int
    school_name: str
    zone: str
    mentor: str | None  # None: the person withdrew consent and was erased
    mentees: list[str | None]
    level: PairLevel
    flags: tuple[Flag, ...]
    stage: MeetingKind | None  # the next meeting's kind; None: the cycle is done
    last_held_at: dt.datetime | None
    next_at: dt.datetime | None  # the next confirmed meeting
    paused_until: dt.date | None
    ratings: Ratings


@dataclass(frozen=True)
class Waiting:
    participant_id: int
    full_name: str
    school_name: str
    subject: str | None
    registered_at: dt.datetime | None
    blocked_bot: bool


@dataclass(frozen=True)
class RoundRate:
    kind: RoundKind
    invited: int
    finished: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.finished / self.invited) if self.invited else None


@dataclass(frozen=True)
class Option:
    """A scope the person may open: a school, or their municipality (school_id 0)."""

    school_id: int
    municipality_id: int
    name: str


@dataclass
class Dashboard:
    level: Level
    scope_id: int
    name: str
    year: str
    today: dt.date
    zone: str
    options: list[Option]
    pairs: list[PairRow]
    weekly: list[tuple[dt.date, int]]
    indicators: list[Value]
    health: list[Value]
    schools: list[SchoolLine]  # a municipality: a line per school, worst first
    pair_counts: dict[int, dict[PairLevel, int]]  # school → level → pairs
    surveys: list[RoundRate]
    survey_now: RoundNote | None
    unmatched: list[Waiting]
    unmatched_total: int
    events: list[ComingEvent] = field(default_factory=list)


async def scope_for(
    session: AsyncSession, actor: Actor, now: dt.datetime, school_id: int | None
) -> ExportScope:
    """The school asked for (if the actor oversees it), else the person's own scope:
    a coordinator's municipality, a curator's school. Refusals: DomainError."""
    if school_id:
        return await export_scope.school(session, actor, school_id, now)
    if actor.region_ids and not (
        actor.is_admin or actor.coordinator_municipality_ids or actor.curator_school_ids
    ):
        # The panel has no region level yet: a regional coordinator only is refused
        # (403) rather than shown a municipality's page.
        raise AccessDenied()
    return await export_scope.of_actor(session, actor, now)


async def options(session: AsyncSession, actor: Actor, scope: ExportScope) -> list[Option]:
    ids = await managed_school_ids(session, actor)
    where = (
        School.id.in_(ids) if ids is not None else School.municipality_id == scope.municipality_id
    )
    rows = await session.execute(
        select(School.id, School.municipality_id, School.name)
        .where(where)
        .order_by(School.name, School.id)
    )
    found = [Option(int(i), int(m), str(n)) for i, m, n in rows]
    if actor.is_admin or scope.municipality_id in actor.coordinator_municipality_ids:
        found.insert(0, Option(0, scope.municipality_id, ""))
    return found


async def gather(
    session: AsyncSession, actor: Actor, now: dt.datetime, school_id: int | None = None
) -> Dashboard:
    scope = await scope_for(session, actor, now, school_id)
    digest = await content.gather(session, actor, scope)
    pairs = await _pairs(session, scope, now)
    counts: dict[int, dict[PairLevel, int]] = {
        s: dict.fromkeys(PairLevel, 0) for s in scope.school_ids
    }
    for row in pairs:
        counts[row.school_id][row.level] += 1
    rates = await results.rates(session, list(scope.school_ids), scope.year)
    surveys = []
    for kind in ROUND_ORDER:
        total = results.total(rates, kind)
        surveys.append(RoundRate(kind, total.invited, total.finished))
    waiting = await _unmatched(session, scope)
    report = digest.report
    dashboard = Dashboard(
        level=scope.level,
        scope_id=scope.id,
        name=scope.name,
        year=scope.year,
        today=scope.today,
        zone=scope.zone,
        options=await options(session, actor, scope),
        pairs=pairs,
        weekly=digest.weekly,
        indicators=report.values if report else [],
        health=report.health if report else [],
        schools=digest.schools,
        pair_counts=counts,
        surveys=surveys,
        survey_now=digest.survey,
        unmatched=waiting,
        unmatched_total=digest.unmatched,
        events=digest.club,
    )
    await session.commit()  # a read: the connection goes back before the answer
    return dashboard


async def _ratings(session: AsyncSession, pair_ids: list[int]) -> dict[int, Ratings]:
    if not pair_ids:
        return {}
    by_mentor = (Feedback.participant_id == Pair.mentor_id).label("by_mentor")
    found: dict[int, dict[bool, tuple[float, int]]] = {}
    for pair_id, mentor_side, avg, n in await session.execute(
        select(Meeting.pair_id, by_mentor, func.avg(Feedback.rating), func.count(Feedback.id))
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Meeting.pair_id.in_(pair_ids),
            Feedback.status == FeedbackStatus.GIVEN,
            Feedback.rating.is_not(None),
        )
        .group_by(Meeting.pair_id, by_mentor)
    ):
        found.setdefault(int(pair_id), {})[bool(mentor_side)] = (float(avg), int(n))
    out = {}
    for pair_id, sides in found.items():
        mentor = sides.get(True)
        mentees = sides.get(False)
        out[pair_id] = Ratings(
            round(mentor[0], 1) if mentor else None,
            mentor[1] if mentor else 0,
            round(mentees[0], 1) if mentees else None,
            mentees[1] if mentees else 0,
        )
    return out


async def _pairs(session: AsyncSession, scope: ExportScope, now: dt.datetime) -> list[PairRow]:
    """The scope's live pairs (active and paused), worst status first, then by mentor."""
    loaded = await load_pairs(
        session, Pair.school_id.in_(scope.school_ids), Pair.status.in_(LIVE_PAIR)
    )
    facts = await gather_facts(session, loaded, now)
    zones = {x.pair.school_id: x.zone for x in loaded}
    rules = await rules_for(session, set(zones), now, zones)
    ratings = await _ratings(session, [x.pair.id for x in loaded])
    rows = []
    for x in loaded:
        p = x.pair
        f = facts[p.id]
        h = health(f, rules[p.school_id], now, local_today(now, x.zone))
        rows.append(
            PairRow(
                pair_id=p.id,
                school_id=p.school_id,
                school_name=x.school_name,
                zone=x.zone,
                mentor=p.mentor.full_name,
                mentees=[m.mentee.full_name for m in shown_members(p)],
                level=h.level,
                flags=h.flags,
                stage=p.next_kind,
                last_held_at=f.last_held_at,
                next_at=f.next_confirmed_at,
                paused_until=p.paused_until,
                ratings=ratings.get(p.id, Ratings()),
            )
        )
    rows.sort(key=lambda r: (r.level, (r.mentor or "").lower(), r.pair_id))
    return rows


async def _unmatched(session: AsyncSession, scope: ExportScope) -> list[Waiting]:
    """Live mentees of the scope without a live pair, the longest waiting first (the
    same people /unmatched and the digest count)."""
    in_pair = exists(
        select(PairMember.id)
        .join(Pair, Pair.id == PairMember.pair_id)
        .where(
            PairMember.mentee_id == Participant.id,
            PairMember.left_at.is_(None),
            Pair.status.in_(LIVE_PAIR),
        )
    )
    is_mentee = exists().where(
        RoleGrant.participant_id == Participant.id, RoleGrant.role == Role.MENTEE
    )
    rows = await session.execute(
        select(Participant, School.name)
        .join(School, School.id == Participant.school_id)
        .where(
            Participant.school_id.in_(scope.school_ids),
            Participant.status == ParticipantStatus.ACTIVE,
            Participant.telegram_id.is_not(None),
            is_mentee,
            ~in_pair,
        )
        .order_by(Participant.registered_at, Participant.id)
        .limit(UNMATCHED_SHOWN)
    )
    return [
        Waiting(p.id, p.full_name or "", name, p.subject, p.registered_at, p.blocked_bot)
        for p, name in rows.unique()
    ]
