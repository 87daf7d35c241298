"""What the panel shows for one scope, read only, from the services the chat uses.

A school or a municipality: the pairs with the status of docs/pair-status.md, their
stage, last meeting and ratings; the digest's twelve weeks of meetings, indicators
against targets and lines per school; the survey response rates; the mentees still
without a mentor. A region (its regional coordinator): the region's indicators (its
municipalities summed, as /indicators and the regional digest sum them), the weeks and
the survey rates over all its schools, and a line per municipality to open; no list of
pairs or people at that level — they are one tap away, in a municipality. The scope is
checked against the actor by services.export.scope, exactly as /export and /digest do.

The club's coming events are the digest's (services.club.digest: published events of
the municipality's club and of the scope's schools in the next two weeks, with how many
said they would come).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingKind,
    Municipality,
    Pair,
    PairMember,
    Participant,
    ParticipantStatus,
    Region,
    Role,
    RoleGrant,
    School,
)
from models.surveys import ROUND_ORDER, RoundKind
from services.access import Actor, managed_school_ids, municipality_in_view
from services.clock import local_today
from services.club.digest import ComingEvent
from services.digest import content
from services.digest.content import Digest, RoundNote
from services.errors import AccessDenied
from services.export import scope as export_scope
from services.export.scope import ExportScope, Level
from services.indicators import Value
from services.pairs.facts import gather_facts, rules_for
from services.pairs.loading import load_pairs
from services.pairs.people import shown_members
from services.pairs.status import Flag, health
from services.pairs.status import Level as PairLevel
from services.regions import summed
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
    """A scope the person may open from the one on screen: their region, a municipality,
    a school."""

    level: Level
    id: int
    name: str


@dataclass(frozen=True)
class Line:
    """A school of a municipality, or a municipality of a region: its live pairs by
    status, its mentees waiting for a mentor and the meetings held in the digest's week."""

    id: int
    name: str
    pairs: int
    on_track: int
    attention: int
    stalled: int
    unmatched: int
    held: int


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
    lines: list[Line]  # a municipality's schools or a region's municipalities, worst first
    surveys: list[RoundRate]
    survey_now: RoundNote | None
    unmatched: list[Waiting]
    unmatched_total: int
    events: list[ComingEvent] = field(default_factory=list)


@dataclass(frozen=True)
class Asked:
    """The scope a request names (``?school=``, ``?municipality=``, ``?region=``)."""

    level: Level
    id: int


async def scope_for(
    session: AsyncSession, actor: Actor, now: dt.datetime, asked: Asked | None
) -> ExportScope:
    """The scope asked for (if the actor may see it), else the person's own, as /export
    takes it: a regional coordinator's region, a coordinator's municipality, a curator's
    school. Refusals: DomainError."""
    if asked is None:
        return await export_scope.of_export(session, actor, now)
    return await export_scope.of_level(session, actor, asked.level, asked.id, now)


async def _may_view(session: AsyncSession, actor: Actor, municipality_id: int) -> bool:
    try:
        await municipality_in_view(session, actor, municipality_id)
    except AccessDenied:
        return False
    return True


async def options(session: AsyncSession, actor: Actor, scope: ExportScope) -> list[Option]:
    """The regions the person watches, then the municipalities under the scope (a
    region's, or the scope's own if the person may see it whole), then the schools the
    person may open in it (a regional coordinator watches municipalities, not schools:
    as in /indicators, a school's own page stays with its curator and coordinator)."""
    region_ids = set(actor.region_ids)
    if scope.level == Level.REGION:
        region_ids.add(scope.id)
    elif actor.is_admin:  # an admin also goes up to the region of the page on screen
        above = await session.scalar(
            select(Municipality.region_id).where(Municipality.id == scope.municipality_id)
        )
        if above is not None:
            region_ids.add(above)
    found = [
        Option(Level.REGION, int(i), str(n))
        for i, n in await session.execute(
            select(Region.id, Region.name).where(Region.id.in_(region_ids)).order_by(Region.name)
        )
    ]
    if scope.level == Level.REGION:
        found += [
            Option(Level.MUNICIPALITY, m, scope.municipality_names[m])
            for m in scope.municipality_ids
        ]
    elif await _may_view(session, actor, scope.municipality_id):
        name = await session.scalar(
            select(Municipality.name).where(Municipality.id == scope.municipality_id)
        )
        found.append(Option(Level.MUNICIPALITY, scope.municipality_id, name or ""))
    ids = await managed_school_ids(session, actor, watched=False)
    if ids is None:  # an admin: the schools of the municipality on screen
        if scope.level == Level.REGION:
            return found
        where = School.municipality_id == scope.municipality_id
    else:  # a region's coordinator who also curates a school finds it here too
        where = School.id.in_(ids)
    rows = await session.execute(
        select(School.id, School.name).where(where).order_by(School.name, School.id)
    )
    found += [Option(Level.SCHOOL, int(i), str(n)) for i, n in rows]
    return found


async def _heading(session: AsyncSession, actor: Actor, scope: ExportScope) -> dict[str, Any]:
    """What every page starts with: the scope, its year and day, where one may go from it."""
    return {
        "level": scope.level,
        "scope_id": scope.id,
        "name": scope.name,
        "year": scope.year,
        "today": scope.today,
        "zone": scope.zone,
        "options": await options(session, actor, scope),
    }


def _line(id_: int, name: str, levels: dict[PairLevel, int], unmatched: int, held: int) -> Line:
    return Line(
        id=id_,
        name=name,
        pairs=sum(levels.values()),
        on_track=levels.get(PairLevel.ON_TRACK, 0),
        attention=levels.get(PairLevel.ATTENTION, 0),
        stalled=levels.get(PairLevel.STALLED, 0),
        unmatched=unmatched,
        held=held,
    )


def _worst_first(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda x: (-x.stalled, -x.attention, -x.unmatched, x.name))


async def _rounds(session: AsyncSession, scope: ExportScope) -> list[RoundRate]:
    rates = await results.rates(session, list(scope.school_ids), scope.year)
    out = []
    for kind in ROUND_ORDER:
        total = results.total(rates, kind)
        out.append(RoundRate(kind, total.invited, total.finished))
    return out


async def gather(
    session: AsyncSession, actor: Actor, now: dt.datetime, asked: Asked | None = None
) -> Dashboard:
    scope = await scope_for(session, actor, now, asked)
    if scope.level == Level.REGION:
        dashboard = await _region(session, actor, scope)
    else:
        dashboard = await _school_or_municipality(session, actor, scope, now)
    await session.commit()  # a read: the connection goes back before the answer
    return dashboard


async def _school_or_municipality(
    session: AsyncSession, actor: Actor, scope: ExportScope, now: dt.datetime
) -> Dashboard:
    digest = await content.gather(session, actor, scope)
    pairs = await _pairs(session, scope, now)
    counts: dict[int, dict[PairLevel, int]] = {
        s: dict.fromkeys(PairLevel, 0) for s in scope.school_ids
    }
    for row in pairs:
        counts[row.school_id][row.level] += 1
    report = digest.report
    return Dashboard(
        **await _heading(session, actor, scope),
        pairs=pairs,
        weekly=digest.weekly,
        indicators=report.values if report else [],
        health=report.health if report else [],
        # digest.schools is a municipality's, already worst first (the digest's order).
        lines=[
            _line(x.school_id, x.name, counts[x.school_id], x.unmatched, x.held)
            for x in digest.schools
        ],
        surveys=await _rounds(session, scope),
        survey_now=digest.survey,
        unmatched=await _unmatched(session, scope),
        unmatched_total=digest.unmatched,
        events=digest.club,
    )


async def _region(session: AsyncSession, actor: Actor, scope: ExportScope) -> Dashboard:
    """Each municipality's figures are its coordinator's digest (as the regional digest
    takes them, services.digest.region), so a line never disagrees with the
    municipality's own page."""
    digests: list[Digest] = []
    lines = []
    for municipality_id in scope.municipality_ids:
        mscope = await export_scope.municipality(session, actor, municipality_id, scope.now)
        d = await content.gather(session, actor, mscope)
        digests.append(d)
        lines.append(_line(municipality_id, mscope.name, d.levels, d.unmatched, d.held[0]))
    reports = [d.report for d in digests if d.report is not None]
    values, health_values = summed(reports)
    weekly = list(digests[0].weekly) if digests else []
    for d in digests[1:]:
        # The same twelve weeks for every municipality of one zone; a municipality a
        # zone away adds its weeks in the same places.
        weekly = [(first, n + m) for (first, n), (_, m) in zip(weekly, d.weekly, strict=True)]
    events = sorted((e for d in digests for e in d.club), key=lambda e: e.starts_at)
    return Dashboard(
        **await _heading(session, actor, scope),
        pairs=[],
        weekly=weekly,
        indicators=values,
        health=health_values,
        lines=_worst_first(lines),
        surveys=await _rounds(session, scope),
        survey_now=await content.survey_note(session, scope),
        unmatched=[],
        unmatched_total=sum(d.unmatched for d in digests),
        events=events,
    )


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
