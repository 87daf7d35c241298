"""What the «Информационная справка» states, computed from the data of the academic year:
the programme's period, the participants (services.export.figures.school_counts, the
same figures as «Сводная по ОО»), forms of mentoring and meetings, the indicators
(services.indicators, through the export's report), survey rounds, difficulties from
feedback texts and what is ahead. A few grouped queries per scope, whatever its size.

Feedback texts: the справка leaves the bot (the curator sends it to the municipality),
so it quotes only what the author opened to the other side of the pair, without names,
and only in a school's справка; the ones kept «только куратору» are counted, never
quoted; a coordinator's справка quotes none (the consent names the curator as the
reader, the rule of the export: services.export.meetings.texts_leave_bot).

A region's справка (its regional coordinator) has the same sections over all the
schools of its municipalities, then a part per municipality: its schools summed and the
municipality's own indicators (services.regions, as /indicators shows the region).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Feedback,
    FeedbackStatus,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Programme,
    Role,
    RoleGrant,
)
from models.enums import LIVE_PAIR
from models.surveys import ROUND_ORDER, Measure, RoundKind, SurveyItem, SurveyRound
from services import regions
from services.access import Actor
from services.export import figures
from services.export.lookups import pair_in_year
from services.export.meetings import texts_leave_bot
from services.export.scope import ExportScope, Level
from services.indicators import Report, Value
from services.programmes import academic_year
from services.surveys import results

MAX_QUOTES = 30  # difficulties quoted, the latest first; the rest are counted
MAX_QUOTE_CHARS = 600

# Characters XML 1.0 (and so Word) cannot hold: a hostile text must not break the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    text = _SPACES.sub(" ", _NOT_XML.sub(" ", text)).strip()
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"
    return text


@dataclass
class Work:
    """One school's (or the scope's summed) work of the year beyond the head counts."""

    held_by_kind: dict[str, int] = field(default_factory=dict)  # MeetingKind value → held
    offline: int = 0
    online: int = 0
    cancelled: int = 0
    with_order: int = 0  # pairs with a приказ recorded
    live: int = 0
    completed: int = 0
    ended: int = 0
    goals: int = 0
    goals_done: int = 0
    unmatched: int = 0  # active mentees in no live pair now

    @property
    def held(self) -> int:
        return sum(self.held_by_kind.values())

    def add(self, other: Work) -> None:
        for kind, n in other.held_by_kind.items():
            self.held_by_kind[kind] = self.held_by_kind.get(kind, 0) + n
        for name in (
            "offline",
            "online",
            "cancelled",
            "with_order",
            "live",
            "completed",
            "ended",
            "goals",
            "goals_done",
            "unmatched",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class SurveyLine:
    kind: RoundKind
    role: Role
    invited: int
    finished: int
    satisfaction: float | None  # mean of the overall item, 1–10; None: hidden or none
    hidden: bool  # fewer answers than the indicators' minimum


@dataclass(frozen=True)
class RoundAhead:
    kind: RoundKind
    opens_on: dt.date
    closes_on: dt.date


@dataclass(frozen=True)
class Difficulties:
    quoted: list[str]  # opened by their authors, without names
    more: int  # opened, beyond MAX_QUOTES
    private: int  # kept «только куратору»: counted, never quoted
    allowed: bool  # False: a coordinator's справка quotes no texts


@dataclass(frozen=True)
class MunicipalityPart:
    """A municipality in its region's справка: which schools, and its own indicators."""

    id: int
    name: str
    school_ids: tuple[int, ...]
    values: list[Value]


@dataclass(frozen=True)
class Facts:
    scope: ExportScope
    starts_on: dt.date
    ends_on: dt.date
    counts: dict[int, figures.SchoolCounts]  # per school
    work: dict[int, Work]  # per school
    report: Report
    surveys: list[SurveyLine]
    rounds_ahead: list[RoundAhead]
    difficulties: Difficulties
    municipalities: list[MunicipalityPart] = field(default_factory=list)  # a region's

    def total(self, school_ids: Sequence[int] | None = None) -> figures.SchoolCounts:
        """The head counts summed over the scope (or those of its schools); a headcount
        only where all of them entered one (else «нет данных», never a partial sum shown
        as the whole)."""
        ids = self.counts.keys() if school_ids is None else school_ids
        cs = [self.counts[s] for s in ids]

        def known(values: list[int | None]) -> int | None:
            present = [v for v in values if v is not None]
            return sum(present) if values and len(present) == len(values) else None

        return figures.SchoolCounts(
            mentors=sum(c.mentors for c in cs),
            mentees=sum(c.mentees for c in cs),
            young_mentees=sum(c.young_mentees for c in cs),
            young_headcount=known([c.young_headcount for c in cs]),
            under35_headcount=known([c.under35_headcount for c in cs]),
            pairs=sum(c.pairs for c in cs),
            groups=sum(c.groups for c in cs),
            programmes=sum(c.programmes for c in cs),
            meetings_held=sum(c.meetings_held for c in cs),
        )

    def total_work(self, school_ids: Sequence[int] | None = None) -> Work:
        out = Work()
        for s in self.work.keys() if school_ids is None else school_ids:
            out.add(self.work[s])
        return out

    def missing_headcount(self, school_ids: Sequence[int] | None = None) -> list[int]:
        """The schools (of those given, else all) with no headcount for the year."""
        ids = self.counts.keys() if school_ids is None else school_ids
        return [s for s in ids if self.counts[s].young_headcount is None]


async def _period(session: AsyncSession, scope: ExportScope) -> tuple[dt.date, dt.date]:
    """The programme's dates for the year: the school's own programme, else the
    municipality's, else the academic year (1 September – 30 June). A region's: from
    the earliest start to the latest end of its municipalities' programmes."""
    if scope.level == Level.REGION:
        found = (
            await session.execute(
                select(func.min(Programme.starts_on), func.max(Programme.ends_on)).where(
                    Programme.municipality_id.in_(scope.municipality_ids),
                    Programme.academic_year == scope.year,
                    Programme.school_id.is_(None),
                )
            )
        ).one()
        if found[0] is not None:
            return found[0], found[1]
        _, starts, ends = academic_year(scope.today)
        return starts, ends
    which: ColumnElement[bool] = Programme.school_id.is_(None)
    if scope.level == Level.SCHOOL:
        which = which | (Programme.school_id == scope.id)
    rows = (
        await session.execute(
            select(Programme.school_id, Programme.starts_on, Programme.ends_on).where(
                Programme.municipality_id == scope.municipality_id,
                Programme.academic_year == scope.year,
                which,
            )
        )
    ).all()
    own = [r for r in rows if r.school_id is not None] or rows
    if own:
        return own[0].starts_on, own[0].ends_on
    _, starts, ends = academic_year(scope.today)
    return starts, ends


async def _work(session: AsyncSession, scope: ExportScope) -> dict[int, Work]:
    ids = scope.school_ids
    work = {s: Work() for s in ids}
    in_year = (
        Pair.school_id.in_(ids)
        & (Meeting.starts_at >= scope.starts)
        & (Meeting.starts_at < scope.ends)
    )
    for school_id, kind, held, fmt, n in await session.execute(
        select(Pair.school_id, Meeting.kind, Meeting.status, Meeting.format, func.count())
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(in_year, Meeting.status.in_([MeetingStatus.HELD, MeetingStatus.CANCELLED]))
        .group_by(Pair.school_id, Meeting.kind, Meeting.status, Meeting.format)
    ):
        w = work[school_id]
        if held == MeetingStatus.CANCELLED:
            w.cancelled += int(n)
            continue
        w.held_by_kind[kind.value] = w.held_by_kind.get(kind.value, 0) + int(n)
        if fmt is not None:
            setattr(w, fmt.value, getattr(w, fmt.value) + int(n))
    for school_id, pair_status, with_order, n in await session.execute(
        select(
            Pair.school_id,
            Pair.status,
            func.count(case((Pair.order_number.is_not(None) | Pair.order_date.is_not(None), 1))),
            func.count(),
        )
        .where(pair_in_year(scope))
        .group_by(Pair.school_id, Pair.status)
    ):
        w = work[school_id]
        w.with_order += int(with_order)
        if pair_status in LIVE_PAIR:
            w.live += int(n)
        elif pair_status == PairStatus.COMPLETED:
            w.completed += int(n)
        else:
            w.ended += int(n)
    for school_id, goals, done in await session.execute(
        select(
            Pair.school_id,
            func.count(PlanGoal.id),
            func.count(case((PlanGoal.status == GoalStatus.DONE, 1))),
        )
        .join(Pair, Pair.id == PlanGoal.pair_id)
        .where(pair_in_year(scope))
        .group_by(Pair.school_id)
    ):
        work[school_id].goals, work[school_id].goals_done = int(goals), int(done)
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
    for home, n in await session.execute(
        select(Participant.school_id, func.count(Participant.id))
        .where(
            Participant.school_id.in_(ids),
            Participant.status == ParticipantStatus.ACTIVE,
            is_mentee,
            ~in_pair,
        )
        .group_by(Participant.school_id)
    ):
        if home is not None:
            work[home].unmatched = int(n)
    return work


async def _surveys(session: AsyncSession, actor: Actor, scope: ExportScope) -> list[SurveyLine]:
    if scope.level == Level.SCHOOL:
        rscope = await results.school_scope(session, actor, scope.id)
    elif scope.level == Level.REGION:
        # As the region's export counts them; access was checked when the scope was made.
        rscope = results.Scope(
            scope.name, list(scope.school_ids), scope.zone, scope.municipality_id
        )
    else:
        rscope = await results.municipality_scope(session, actor, scope.id)
    overall = set(
        await session.scalars(
            select(SurveyItem.id).where(SurveyItem.measure == Measure.SATISFACTION)
        )
    )
    out = []
    for kind in ROUND_ORDER:
        found = await results.results(session, rscope, kind, scope.now)
        for role in found.roles:
            if role.invited == 0:
                continue
            means = [i.mean for i in role.items if i.item_id in overall and i.mean is not None]
            out.append(
                SurveyLine(
                    kind,
                    role.role,
                    role.invited,
                    role.finished,
                    round(means[0], 1) if means and not role.hidden else None,
                    role.hidden,
                )
            )
    return out


async def _rounds_ahead(session: AsyncSession, scope: ExportScope) -> list[RoundAhead]:
    rows = await session.execute(
        select(SurveyRound.kind, func.min(SurveyRound.opens_on), func.max(SurveyRound.closes_on))
        .where(
            SurveyRound.school_id.in_(scope.school_ids),
            SurveyRound.academic_year == scope.year,
            SurveyRound.closes_on >= scope.today,
        )
        .group_by(SurveyRound.kind)
    )
    ahead = [RoundAhead(RoundKind(k), o, c) for k, o, c in rows]
    return sorted(ahead, key=lambda r: ROUND_ORDER.index(r.kind))


async def _difficulties(session: AsyncSession, scope: ExportScope) -> Difficulties:
    """«Что осталось трудным» of the year's given feedback."""
    where = [
        Pair.school_id.in_(scope.school_ids),
        Meeting.starts_at >= scope.starts,
        Meeting.starts_at < scope.ends,
        Feedback.status == FeedbackStatus.GIVEN,
        Feedback.hard.is_not(None),
        Feedback.hard != "",
    ]
    allowed_any = texts_leave_bot(scope.level, True)
    opened, private = 0, 0
    for shared, n in await session.execute(
        select(Feedback.shared, func.count())
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(*where)
        .group_by(Feedback.shared)
    ):
        if texts_leave_bot(scope.level, bool(shared)):
            opened += int(n)
        else:
            private += int(n)
    quoted: list[str] = []
    if opened:
        for (text,) in await session.execute(
            select(Feedback.hard)
            .join(Meeting, Meeting.id == Feedback.meeting_id)
            .join(Pair, Pair.id == Meeting.pair_id)
            .where(*where, Feedback.shared.is_(True))
            .order_by(Feedback.given_at.desc(), Feedback.id.desc())
            .limit(MAX_QUOTES)
        ):
            if text and (cleaned := clean(text)):
                quoted.append(cleaned)
    return Difficulties(quoted, max(0, opened - len(quoted)), private, allowed_any)


async def gather(session: AsyncSession, actor: Actor, scope: ExportScope) -> Facts:
    """Everything the справка states (access was checked when the scope was built)."""
    starts_on, ends_on = await _period(session, scope)
    counts = await figures.school_counts(session, scope)
    work = await _work(session, scope)
    surveys = await _surveys(session, actor, scope)
    ahead = await _rounds_ahead(session, scope)
    difficulties = await _difficulties(session, scope)
    parts: list[MunicipalityPart] = []
    if scope.level == Level.REGION:
        region = await regions.region_report(session, actor, scope.id, scope.now)
        report = figures.region_as_report(region)
        parts = _parts(scope, region)
    else:
        report = await figures.indicator_report(session, actor, scope)
    return Facts(
        scope, starts_on, ends_on, counts, work, report, surveys, ahead, difficulties, parts
    )


def _parts(scope: ExportScope, region: regions.RegionReport) -> list[MunicipalityPart]:
    """The region's municipalities in the scope's order (by name), each with its schools."""
    values = {line.municipality_id: line.report.values for line in region.municipalities}
    return [
        MunicipalityPart(
            m,
            scope.municipality_names[m],
            tuple(s for s in scope.school_ids if scope.school_municipality.get(s) == m),
            values.get(m, []),
        )
        for m in scope.municipality_ids
    ]
