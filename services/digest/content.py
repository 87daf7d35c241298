"""What a digest says, as plain data: what needs the curator this week (worst first),
the week in figures against the week before, meetings per week over twelve weeks, and
the indicators against the year's targets. A coordinator's digest adds a line per
school, worst first.

The week is the seven local days before the digest's day. Everything is gathered in a
fixed number of grouped queries over the scope's schools (about thirty, whatever the
size of a school or the number of schools; bench/digest.py counts them).

The club's coming events (published, the next two weeks, with how many come) are one
more query (services.club.digest); no events, no section.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import (
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Pair,
    PairAddendum,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Programme,
    Role,
    RoleGrant,
    School,
)
from models.surveys import ROUND_ORDER, Headcount, RoundKind, SurveyRound
from services import indicators
from services.access import Actor
from services.clock import local_today
from services.club import digest as club_digest
from services.club.digest import ComingEvent
from services.export.scope import ExportScope, Level
from services.indicators import Report, Value
from services.pairs.facts import gather_facts
from services.pairs.loading import Loaded
from services.pairs.status import Health, StatusRules, health
from services.pairs.status import Level as PairLevel
from services.surveys import results
from services.surveys.rounds import RoundState, default_dates

WEEKS = 12
LOW_RATING = 2
LIVE = (PairStatus.ACTIVE, PairStatus.PAUSED)
PLANNED = (MeetingKind.REGULAR, MeetingKind.FINAL)  # the plan is set by now


@dataclass(frozen=True)
class PairItem:
    pair_id: int
    school_name: str
    mentor: str | None  # None: erased
    mentees: list[str | None]
    health: Health


@dataclass(frozen=True)
class LowRating:
    pair_id: int
    rating: int
    by_mentor: bool


@dataclass(frozen=True)
class RoundNote:
    kind: RoundKind
    opens_on: dt.date
    closes_on: dt.date
    state: RoundState
    invited: int
    finished: int


@dataclass
class SchoolLine:
    school_id: int
    name: str
    stalled: int = 0
    attention: int = 0
    unmatched: int = 0
    pending: int = 0
    no_order: int = 0
    no_plan: int = 0
    no_addendum: int = 0  # art. 351.8 ТК РФ: the period and form are set in an addendum
    headcount_missing: bool = False
    held: int = 0

    @property
    def worry(self) -> tuple[int, ...]:
        return (
            self.stalled,
            self.attention,
            self.unmatched,
            self.pending,
            self.no_order + self.no_plan + self.no_addendum,
            int(self.headcount_missing),
        )


@dataclass(frozen=True)
class Week:
    day: dt.date  # the digest's local day
    starts: dt.date  # the first of the seven days before it
    ends: dt.date  # the last of them


@dataclass
class Digest:
    level: Level
    scope_name: str
    year: str
    week: Week
    stalled: list[PairItem] = field(default_factory=list)
    attention: list[PairItem] = field(default_factory=list)
    not_fit: list[PairItem] = field(default_factory=list)
    low: list[tuple[LowRating, PairItem | None]] = field(default_factory=list)
    unmatched: int = 0
    pending: int = 0
    no_order: int = 0
    no_plan: int = 0
    no_addendum: int = 0
    missing_headcount: list[str] = field(default_factory=list)
    survey: RoundNote | None = None
    held: tuple[int, int] = (0, 0)  # this week, the week before
    feedback: tuple[int, int] = (0, 0)
    newcomers: tuple[int, int] = (0, 0)
    weekly: list[tuple[dt.date, int]] = field(default_factory=list)  # week's first day → held
    report: Report | None = None
    schools: list[SchoolLine] = field(default_factory=list)
    club: list[ComingEvent] = field(default_factory=list)  # the club's next two weeks
    zone: str = "UTC"  # the scope's, for the club's times
    # Live pairs by status (the region's panel counts each municipality's).
    levels: dict[PairLevel, int] = field(default_factory=lambda: dict.fromkeys(PairLevel, 0))

    @property
    def indicators(self) -> list[Value]:
        return self.report.values if self.report is not None else []

    @property
    def needs_action(self) -> bool:
        return bool(
            self.stalled
            or self.attention
            or self.low
            or self.unmatched
            or self.pending
            or self.no_order
            or self.no_plan
            or self.no_addendum
            or self.missing_headcount
        )

    @property
    def quiet_week(self) -> bool:
        """Nothing needs the person and nothing happened: one line instead of zeros."""
        return not self.needs_action and not any(
            (self.held[0], self.feedback[0], self.newcomers[0])
        )


def week_of(day: dt.date) -> Week:
    return Week(day, day - dt.timedelta(days=7), day - dt.timedelta(days=1))


def _utc(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(
        dt.UTC
    )


async def gather(session: AsyncSession, actor: Actor, scope: ExportScope) -> Digest:
    """The digest of the scope (checked against the actor when the scope was made) for
    the week before the scope's local day."""
    ids = list(scope.school_ids)
    week = week_of(scope.today)
    digest = Digest(scope.level, scope.name, scope.year, week)
    lines = {s: SchoolLine(s, scope.school_names[s]) for s in ids}
    items = await _pairs(session, scope, digest, lines)
    await _low_ratings(session, scope, digest, items)
    await _waiting(session, ids, digest, lines)
    await _headcounts(session, scope, digest, lines)
    await _survey(session, scope, digest)
    await _figures(session, scope, digest, lines)
    digest.zone = scope.zone
    digest.club = await club_digest.coming(
        session, scope.municipality_id, scope.school_ids, scope.now
    )
    if scope.level == Level.SCHOOL:
        digest.report = await indicators.for_school(session, actor, scope.id, scope.now)
    else:
        digest.report = await indicators.for_municipality(session, actor, scope.id, scope.now)
        digest.schools = sorted(lines.values(), key=lambda x: (tuple(-n for n in x.worry), x.name))
    return digest


async def _rules(session: AsyncSession, scope: ExportScope) -> dict[int, StatusRules]:
    """Each school's status rules: its own programme of the year, else the
    municipality's, else the defaults (no row is created here: a digest only reads)."""
    own: dict[int, StatusRules] = {}
    shared = StatusRules()
    for programme in await session.scalars(
        select(Programme).where(
            Programme.municipality_id == scope.municipality_id,
            Programme.academic_year == scope.year,
        )
    ):
        if programme.school_id is None:
            shared = StatusRules.of(programme)
        else:
            own[programme.school_id] = StatusRules.of(programme)
    return {s: own.get(s, shared) for s in scope.school_ids}


async def _live_pairs(session: AsyncSession, scope: ExportScope) -> list[Loaded]:
    """The scope's live pairs with their people's names, and nothing else of the people:
    a Participant eagerly loads its roles, profiles and ticked deficits, four queries
    for the mentors and four more for the mentees that a digest never reads."""
    rows = await session.execute(
        select(Pair, School.name, School.timezone)
        .join(School, School.id == Pair.school_id)
        .where(Pair.school_id.in_(scope.school_ids), Pair.status.in_(LIVE))
        .options(
            joinedload(Pair.mentor).lazyload("*"),
            selectinload(Pair.members).joinedload(PairMember.mentee).lazyload("*"),
        )
        .order_by(Pair.id)
    )
    return [Loaded(pair, name, zone) for pair, name, zone in rows.unique()]


async def _pairs(
    session: AsyncSession, scope: ExportScope, digest: Digest, lines: dict[int, SchoolLine]
) -> dict[int, PairItem]:
    loaded = await _live_pairs(session, scope)
    facts = await gather_facts(session, loaded, scope.now)
    rules = await _rules(session, scope)
    live_ids = [x.pair.id for x in loaded]
    planned: set[int] = set()
    if live_ids:
        planned = set(
            await session.scalars(
                select(PlanGoal.pair_id).where(PlanGoal.pair_id.in_(live_ids)).distinct()
            )
        )
    with_addendum = (
        set(
            await session.scalars(
                select(PairAddendum.pair_id).where(PairAddendum.pair_id.in_(live_ids)).distinct()
            )
        )
        if live_ids
        else set()
    )
    items: dict[int, PairItem] = {}
    for x in loaded:
        p = x.pair
        h = health(facts[p.id], rules[p.school_id], scope.now, local_today(scope.now, x.zone))
        members = p.active_members
        item = PairItem(
            p.id, x.school_name, p.mentor.full_name, [m.mentee.full_name for m in members], h
        )
        items[p.id] = item
        line = lines[p.school_id]
        digest.levels[h.level] += 1
        if h.level == PairLevel.STALLED:
            digest.stalled.append(item)
            line.stalled += 1
        elif h.level == PairLevel.ATTENTION:
            digest.attention.append(item)
            line.attention += 1
        if any(f.code == "not_fit" for f in h.flags):
            digest.not_fit.append(item)
        if not p.order_number:
            digest.no_order += 1
            line.no_order += 1
        if p.next_kind in PLANNED and p.id not in planned:
            digest.no_plan += 1
            line.no_plan += 1
        if p.id not in with_addendum:
            digest.no_addendum += 1
            line.no_addendum += 1
    key = lambda i: ((i.mentor or "").lower(), i.pair_id)  # noqa: E731
    digest.stalled.sort(key=key)
    digest.attention.sort(key=key)
    return items


async def _low_ratings(
    session: AsyncSession, scope: ExportScope, digest: Digest, items: dict[int, PairItem]
) -> None:
    starts, ends = _utc(digest.week.starts, scope.zone), _utc(digest.week.day, scope.zone)
    rows = await session.execute(
        select(Meeting.pair_id, Feedback.rating, Feedback.participant_id == Pair.mentor_id)
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Pair.school_id.in_(scope.school_ids),
            Feedback.status == FeedbackStatus.GIVEN,
            Feedback.rating <= LOW_RATING,
            Feedback.given_at >= starts,
            Feedback.given_at < ends,
        )
        .order_by(Feedback.given_at, Feedback.id)
    )
    for pair_id, rating, by_mentor in rows:
        low = LowRating(pair_id, int(rating or 0), bool(by_mentor))
        digest.low.append((low, items.get(pair_id)))


def _live_mentee() -> list[ColumnElement[bool]]:
    return [
        Participant.status == ParticipantStatus.ACTIVE,
        Participant.telegram_id.is_not(None),
        exists().where(RoleGrant.participant_id == Participant.id, RoleGrant.role == Role.MENTEE),
    ]


async def _waiting(
    session: AsyncSession, ids: list[int], digest: Digest, lines: dict[int, SchoolLine]
) -> None:
    """Mentees without a mentor and requests waiting for a decision, per school."""
    in_pair = exists(
        select(PairMember.id)
        .join(Pair, Pair.id == PairMember.pair_id)
        .where(
            PairMember.mentee_id == Participant.id,
            PairMember.left_at.is_(None),
            Pair.status.in_(LIVE),
        )
    )
    for school_id, n in await session.execute(
        select(Participant.school_id, func.count(Participant.id))
        .where(Participant.school_id.in_(ids), *_live_mentee(), ~in_pair)
        .group_by(Participant.school_id)
    ):
        if school_id in lines:
            lines[school_id].unmatched = int(n)
            digest.unmatched += int(n)
    for school_id, n in await session.execute(
        select(Participant.school_id, func.count(Participant.id))
        .where(
            Participant.school_id.in_(ids),
            Participant.requested_role.is_not(None),
            Participant.telegram_id.is_not(None),
            Participant.status.in_([ParticipantStatus.PENDING, ParticipantStatus.ACTIVE]),
        )
        .group_by(Participant.school_id)
    ):
        if school_id in lines:
            lines[school_id].pending = int(n)
            digest.pending += int(n)


async def _headcounts(
    session: AsyncSession, scope: ExportScope, digest: Digest, lines: dict[int, SchoolLine]
) -> None:
    entered = set(
        await session.scalars(
            select(Headcount.school_id).where(
                Headcount.school_id.in_(scope.school_ids),
                Headcount.academic_year == scope.year,
            )
        )
    )
    for school_id in scope.school_ids:
        if school_id not in entered:
            lines[school_id].headcount_missing = True
            digest.missing_headcount.append(scope.school_names[school_id])


async def _survey(session: AsyncSession, scope: ExportScope, digest: Digest) -> None:
    digest.survey = await survey_note(session, scope)


async def survey_note(session: AsyncSession, scope: ExportScope) -> RoundNote | None:
    """The round open now (its response rate so far), else the next one; over several
    schools (a municipality, a region): a kind's earliest opening and latest closing."""
    dates: dict[RoundKind, tuple[dt.date, dt.date]] = {}
    found: dict[tuple[int, RoundKind], tuple[dt.date, dt.date]] = {
        (r.school_id, r.kind): (r.opens_on, r.closes_on)
        for r in await session.scalars(
            select(SurveyRound).where(
                SurveyRound.school_id.in_(scope.school_ids),
                SurveyRound.academic_year == scope.year,
            )
        )
    }
    for kind in ROUND_ORDER:
        spans = [
            found.get((s, kind), default_dates(scope.year, kind)) for s in scope.school_ids
        ] or [default_dates(scope.year, kind)]
        dates[kind] = (min(a for a, _ in spans), max(b for _, b in spans))
    today = scope.today
    chosen: RoundKind | None = None
    for kind in ROUND_ORDER:
        opens, closes = dates[kind]
        if opens <= today <= closes:
            chosen = kind
            break
    if chosen is None:
        ahead = [k for k in ROUND_ORDER if dates[k][0] > today]
        chosen = min(ahead, key=lambda k: dates[k][0]) if ahead else None
    if chosen is None:
        return None
    rates = await results.rates(session, list(scope.school_ids), scope.year)
    total = results.total(rates, chosen)
    opens, closes = dates[chosen]
    now_state = RoundState.OPEN if opens <= today <= closes else RoundState.UPCOMING
    return RoundNote(chosen, opens, closes, now_state, total.invited, total.finished)


async def _figures(
    session: AsyncSession, scope: ExportScope, digest: Digest, lines: dict[int, SchoolLine]
) -> None:
    """Meetings held per week (twelve weeks, the last one is this digest's week), and
    feedback given and newcomers this week and the week before."""
    zone = scope.zone
    firsts = [digest.week.starts - dt.timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]
    bounds = [_utc(d, zone) for d in firsts] + [_utc(digest.week.day, zone)]

    by_week = dict.fromkeys(range(WEEKS), 0)
    week_bucket = case(
        *((Meeting.starts_at >= bounds[n], n) for n in range(WEEKS - 1, -1, -1)), else_=-1
    ).label("week")
    for school_id, week, n in await session.execute(
        select(Pair.school_id, week_bucket, func.count(Meeting.id))
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Pair.school_id.in_(scope.school_ids),
            Meeting.status == MeetingStatus.HELD,
            Meeting.starts_at >= bounds[0],
            Meeting.starts_at < bounds[-1],
        )
        .group_by(Pair.school_id, week_bucket)
    ):
        if week >= 0:
            by_week[int(week)] += int(n)
            if week == WEEKS - 1:
                lines[school_id].held += int(n)
    digest.weekly = [(firsts[n], by_week[n]) for n in range(WEEKS)]
    digest.held = (by_week[WEEKS - 1], by_week[WEEKS - 2])
    prev, this, end = bounds[WEEKS - 2], bounds[WEEKS - 1], bounds[WEEKS]
    two = case((Feedback.given_at >= this, 1), else_=0).label("this")
    counts = dict.fromkeys((0, 1), 0)
    for is_this, n in await session.execute(
        select(two, func.count(Feedback.id))
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(
            Pair.school_id.in_(scope.school_ids),
            Feedback.status == FeedbackStatus.GIVEN,
            Feedback.given_at >= prev,
            Feedback.given_at < end,
        )
        .group_by(two)
    ):
        counts[int(is_this)] = int(n)
    digest.feedback = (counts[1], counts[0])
    newer = case((Participant.registered_at >= this, 1), else_=0).label("this")
    counts = dict.fromkeys((0, 1), 0)
    for is_this, n in await session.execute(
        select(newer, func.count(Participant.id))
        .where(
            Participant.school_id.in_(scope.school_ids),
            Participant.status == ParticipantStatus.ACTIVE,
            and_(
                Participant.registered_at >= prev,
                Participant.registered_at < end,
            ),
        )
        .group_by(newer)
    ):
        counts[int(is_this)] = int(n)
    digest.newcomers = (counts[1], counts[0])
