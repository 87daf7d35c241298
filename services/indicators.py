"""The programme's indicators (показатели эффективности), N = A / B × 100 %, computed
from the data, never typed in.

Every indicator is one entry of INDICATORS (or HEALTH, the bot's own figures, shown
apart from the official ones): its code (the locale keys of its name as in the seeds,
its «Методика расчёта» and «Методы сбора информации» hang on it), its level, A and B as
sums of counts, the survey answers it rests on (if any) and its default targets by the
year of the programme. A count is a column of a Source: one aggregate query grouped by
school. Computing a scope runs each Source the chosen indicators use once, for all its
schools together, so a municipality of 200 schools costs the same dozen queries as one
school; municipal figures are the sums of the schools'.

Rules the seeds set or the issue fixed:
- B of satisfaction is everyone who took part (002), not the respondents; «ответили X
  из B» is shown beside it;
- B of coverage is the school's real headcount for the year (services.headcounts);
  without one the indicator reads «нет данных», never 100 %;
- nothing that rests on survey answers is shown from fewer than MIN_ANSWERS answers,
  and no hidden figure can be got back by subtraction: a sum over several schools (or
  over mentees and mentors) leaves out the small groups (1–2 answers) whenever, taken
  together, they are still fewer than MIN_ANSWERS (``left_out`` says how many schools),
  so «the total minus the schools shown» is never one or two people's answers.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, case, func, literal, select, text, union
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Achievement,
    AchievementKind,
    ClubAttendance,
    ClubEvent,
    ClubEventKind,
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingStatus,
    Municipality,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    Programme,
    School,
)
from models.base import UtcDateTime
from models.enums import AgeGroup
from models.surveys import (
    DeficitChange,
    Headcount,
    IndicatorTarget,
    Measure,
    RoundKind,
    SurveyAnswer,
    SurveyInstrument,
    SurveyItem,
    SurveyResponse,
    SurveyRound,
)
from services import audit
from services.access import Actor, municipality_in_view, require_municipality, school_in_scope
from services.errors import DomainError, NotFound
from services.programmes import academic_year
from services.surveys import instrument

MIN_ANSWERS = 3
YOUNG_MAX_YEARS = 3  # молодой специалист: стаж 0–3 года
DEFAULT_INTERVAL_DAYS = 14


# An aggregate query: school id first, then named counts.
Query = Select[*tuple[Any, ...]]


class Level(enum.StrEnum):
    SCHOOL = "school"
    MUNICIPALITY = "municipality"
    HEALTH = "health"  # the bot's own figures, not official indicators


# --- the scope and the sources ----------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    municipality_id: int
    school_ids: tuple[int, ...]
    year: str
    starts: dt.datetime  # 1 September of the academic year, local midnight
    ends: dt.datetime  # the next 1 September
    now: dt.datetime


def _pair_in_year(scope: Scope) -> Any:
    """The pair worked in the academic year: formed before its end and still running,
    or completed (stage_since is the completion) or ended within it."""
    return (
        Pair.school_id.in_(scope.school_ids)
        & (Pair.formed_at < scope.ends)
        & (
            Pair.status.in_([PairStatus.ACTIVE, PairStatus.PAUSED])
            | ((Pair.status == PairStatus.COMPLETED) & (Pair.stage_since >= scope.starts))
            | ((Pair.status == PairStatus.ENDED) & (Pair.ended_at >= scope.starts))
        )
    )


def _took_part(scope: Scope) -> Any:
    """(school_id, pid, role) of everyone in a pair in the year: mentors and mentees."""
    mentors = select(
        Pair.school_id.label("school_id"),
        Pair.mentor_id.label("pid"),
        literal("mentor").label("role"),
    ).where(_pair_in_year(scope))
    mentees = (
        select(
            Pair.school_id.label("school_id"),
            PairMember.mentee_id.label("pid"),
            literal("mentee").label("role"),
        )
        .join(PairMember, PairMember.pair_id == Pair.id)
        .where(
            _pair_in_year(scope),
            PairMember.joined_at < scope.ends,
            PairMember.left_at.is_(None) | (PairMember.left_at >= scope.starts),
        )
    )
    return union(mentors, mentees).subquery("took_part")


def _count_if(condition: Any) -> Any:
    return func.count(case((condition, 1)))


def _distinct_if(condition: Any, value: Any) -> Any:
    return func.count(case((condition, value)).distinct())


def _kind_order() -> Any:
    return case(
        (SurveyRound.kind == RoundKind.FINAL, 3),
        (SurveyRound.kind == RoundKind.MIDTERM, 2),
        else_=1,
    )


def _latest_satisfaction(scope: Scope) -> Any:
    """(school_id, pid, role, k) of everyone who finished a response in the year, where k
    is rank × 2 + satisfied of their latest round. Rounds rank entry < midterm < final
    and a person answers each once, so the largest k is the latest round and its parity
    whether they were satisfied in it (the satisfaction item at or above the threshold
    of the instrument they answered): one grouping instead of a window."""
    score = (
        select(SurveyAnswer.response_id, SurveyAnswer.value)
        .where(
            SurveyAnswer.item_id.in_(
                select(SurveyItem.id).where(SurveyItem.measure == Measure.SATISFACTION)
            )
        )
        .subquery("score")
    )
    satisfied = case((score.c.value >= SurveyInstrument.satisfied_from, 1), else_=0)
    return (
        select(
            SurveyRound.school_id.label("school_id"),
            SurveyResponse.participant_id.label("pid"),
            SurveyResponse.role.label("role"),
            func.max(_kind_order() * 2 + satisfied).label("k"),
        )
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .join(SurveyInstrument, SurveyInstrument.id == SurveyResponse.instrument_id)
        .outerjoin(score, score.c.response_id == SurveyResponse.id)
        .where(
            SurveyRound.school_id.in_(scope.school_ids),
            SurveyRound.academic_year == scope.year,
            SurveyResponse.finished_at.is_not(None),
        )
        .group_by(SurveyRound.school_id, SurveyResponse.participant_id, SurveyResponse.role)
        .subquery("latest")
    )


async def _people(session: AsyncSession, scope: Scope) -> Query:
    """Per school: who took part in the year by role, the young specialists and the
    under-35s among them, and who of them answered a survey and was satisfied. One
    query: the people who took part are gathered once for all these counts."""
    tp = _took_part(scope)
    latest = _latest_satisfaction(scope)
    mentee, mentor = tp.c.role == "mentee", tp.c.role == "mentor"
    answered = latest.c.k.is_not(None)
    happy = latest.c.k % 2 == 1
    return (
        select(
            tp.c.school_id,
            _count_if(mentee).label("mentees"),
            _count_if(mentor).label("mentors"),
            _distinct_if(
                mentee & (Participant.experience_years <= YOUNG_MAX_YEARS), tp.c.pid
            ).label("young_mentees"),
            _distinct_if(Participant.age_group == AgeGroup.UNDER_35, tp.c.pid).label("under_35"),
            literal(1).label("running"),
            _count_if(mentee & answered).label("answered_mentees"),
            _count_if(mentee & happy).label("satisfied_mentees"),
            _count_if(mentor & answered).label("answered_mentors"),
            _count_if(mentor & happy).label("satisfied_mentors"),
        )
        .join(Participant, Participant.id == tp.c.pid)
        .outerjoin(
            latest,
            (latest.c.pid == tp.c.pid)
            & (latest.c.role == tp.c.role)
            & (latest.c.school_id == tp.c.school_id),
        )
        .group_by(tp.c.school_id)
    )


async def _growth(session: AsyncSession, scope: Scope) -> Query:
    """Mentees who completed in the year; of them, who answered the final round; of
    those, whose final self-rating has at least one deficit «закрыт» or «стало легче»."""
    completed = (
        select(Pair.school_id.label("school_id"), PairMember.mentee_id.label("pid"))
        .join(PairMember, PairMember.pair_id == Pair.id)
        .where(
            Pair.school_id.in_(scope.school_ids),
            Pair.status == PairStatus.COMPLETED,
            Pair.stage_since >= scope.starts,
            Pair.stage_since < scope.ends,
            PairMember.left_at.is_(None),
        )
        .distinct()
        .subquery("completed")
    )
    final = (
        select(SurveyResponse.id.label("rid"), SurveyResponse.participant_id.label("pid"))
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .where(
            SurveyRound.school_id.in_(scope.school_ids),
            SurveyRound.academic_year == scope.year,
            SurveyRound.kind == RoundKind.FINAL,
            SurveyResponse.role == "mentee",
            SurveyResponse.finished_at.is_not(None),
        )
        .subquery("final")
    )
    improved = (
        select(SurveyAnswer.response_id.label("rid"))
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(
            SurveyItem.measure == Measure.DEFICIT_CHANGE,
            SurveyAnswer.value.in_([DeficitChange.CLOSED, DeficitChange.EASIER]),
        )
        .distinct()
        .subquery("improved")
    )
    return (
        select(
            completed.c.school_id,
            func.count(completed.c.pid.distinct()).label("completed"),
            _distinct_if(final.c.rid.is_not(None), completed.c.pid).label("answered"),
            _distinct_if(improved.c.rid.is_not(None), completed.c.pid).label("improved"),
        )
        .outerjoin(final, final.c.pid == completed.c.pid)
        .outerjoin(improved, improved.c.rid == final.c.rid)
        .group_by(completed.c.school_id)
    )


async def _headcounts(session: AsyncSession, scope: Scope) -> Query:
    stmt: Query = select(
        Headcount.school_id,
        Headcount.teachers,
        Headcount.under_35,
        Headcount.young_specialists,
    ).where(Headcount.school_id.in_(scope.school_ids), Headcount.academic_year == scope.year)
    return stmt


async def _club(session: AsyncSession, scope: Scope) -> Query:
    """Per school: its young specialists who came to at least one club event of the
    year, and whether anyone of the school came to one (the cyclogram)."""
    came = (
        select(ClubAttendance.participant_id)
        .join(ClubEvent, ClubEvent.id == ClubAttendance.event_id)
        .where(ClubEvent.starts_at >= scope.starts, ClubEvent.starts_at < scope.ends)
    )
    stmt: Query = (
        select(
            Participant.school_id,
            _distinct_if(Participant.experience_years <= YOUNG_MAX_YEARS, Participant.id).label(
                "young_attended"
            ),
            literal(1).label("schools_attended"),
        )
        .where(Participant.school_id.in_(scope.school_ids), Participant.id.in_(came))
        .group_by(Participant.school_id)
    )
    return stmt


async def _achievements(session: AsyncSession, scope: Scope) -> Query:
    """Per school: its young specialists (стаж 0–3) with a «конкурс» in «Мои
    достижения» dated in the academic year; those with one or marked at a club event of
    the kind «конкурс» in the year (000's «охват … конкурсами»); those with a
    publication dated in the year. A withdrawn person's entries are deleted and their
    experience blanked (services.erasure), so they count in none of these."""
    first = int(scope.year[:4])
    dated = (Achievement.on_date >= dt.date(first, 9, 1)) & (
        Achievement.on_date < dt.date(first + 1, 9, 1)
    )
    contest = select(Achievement.participant_id).where(
        dated, Achievement.kind == AchievementKind.CONTEST
    )
    published = select(Achievement.participant_id).where(
        dated, Achievement.kind == AchievementKind.PUBLICATION
    )
    club_contest = (
        select(ClubAttendance.participant_id)
        .join(ClubEvent, ClubEvent.id == ClubAttendance.event_id)
        .where(
            ClubEvent.kind == ClubEventKind.CONTEST,
            ClubEvent.starts_at >= scope.starts,
            ClubEvent.starts_at < scope.ends,
        )
    )
    in_contest = Participant.id.in_(contest)
    stmt: Query = (
        select(
            Participant.school_id,
            _count_if(in_contest).label("young_contest"),
            _count_if(in_contest | Participant.id.in_(club_contest)).label("young_contest_or_club"),
            _count_if(Participant.id.in_(published)).label("young_published"),
        )
        .where(
            Participant.school_id.in_(scope.school_ids),
            Participant.experience_years <= YOUNG_MAX_YEARS,
            Participant.id.in_(union(contest, published, club_contest)),
        )
        .group_by(Participant.school_id)
    )
    return stmt


async def _schools(session: AsyncSession, scope: Scope) -> Query:
    stmt: Query = select(School.id, literal(1).label("schools"))
    return stmt.where(School.id.in_(scope.school_ids))


async def _meetings(session: AsyncSession, scope: Scope) -> Query:
    """Held meetings of the year and those with feedback given by every side asked."""
    per_meeting = (
        select(
            Pair.school_id.label("school_id"),
            func.count(Feedback.id).label("asked"),
            _count_if(Feedback.status == FeedbackStatus.GIVEN).label("given"),
        )
        .select_from(Meeting)
        .join(Pair, Pair.id == Meeting.pair_id)
        .outerjoin(Feedback, Feedback.meeting_id == Meeting.id)
        .where(
            Pair.school_id.in_(scope.school_ids),
            Meeting.status == MeetingStatus.HELD,
            Meeting.starts_at >= scope.starts,
            Meeting.starts_at < scope.ends,
        )
        .group_by(Pair.school_id, Meeting.id)
        .subquery("per_meeting")
    )
    both = (per_meeting.c.asked >= 2) & (per_meeting.c.given == per_meeting.c.asked)
    return select(
        per_meeting.c.school_id,
        func.count().label("held"),
        _count_if(both).label("both_sides"),
    ).group_by(per_meeting.c.school_id)


async def _cutoffs(session: AsyncSession, scope: Scope) -> dict[int, dt.datetime]:
    """Schools whose programme has its own meeting rhythm: when their last meeting must
    have been for the pair to be «в графике» (the others use the default rhythm)."""
    rows = await session.execute(
        select(Programme.school_id, Programme.meeting_interval_days).where(
            Programme.municipality_id == scope.municipality_id,
            Programme.academic_year == scope.year,
        )
    )
    shared: int | None = None
    own: dict[int, int] = {}
    for school_id, days in rows:
        if school_id is None:
            shared = days
        elif school_id in scope.school_ids:
            own[school_id] = days
    result = {}
    for school_id in scope.school_ids:
        chosen = own.get(school_id, shared)
        if chosen is not None and chosen != DEFAULT_INTERVAL_DAYS:
            result[school_id] = scope.now - dt.timedelta(days=chosen)
    return result


async def _pairs_now(session: AsyncSession, scope: Scope) -> Query:
    """Active pairs, and those on schedule: a meeting within the programme's rhythm (or
    formed within it), or a confirmed meeting ahead."""
    cutoffs = await _cutoffs(session, scope)
    default = scope.now - dt.timedelta(days=DEFAULT_INTERVAL_DAYS)
    cutoff: Any = literal(default, UtcDateTime())
    if cutoffs:
        cutoff = case(
            *((Pair.school_id == s, literal(at, UtcDateTime())) for s, at in cutoffs.items()),
            else_=cutoff,
        )
    last_held = (
        select(Meeting.pair_id, func.max(Meeting.starts_at).label("at"))
        .where(Meeting.status == MeetingStatus.HELD)
        .group_by(Meeting.pair_id)
        .subquery("last_held")
    )
    ahead = (
        select(Meeting.pair_id)
        .where(Meeting.status == MeetingStatus.CONFIRMED, Meeting.starts_at >= scope.now)
        .distinct()
        .subquery("ahead")
    )
    on_schedule = (
        (last_held.c.at >= cutoff) | (Pair.formed_at >= cutoff) | ahead.c.pair_id.is_not(None)
    )
    return (
        select(
            Pair.school_id,
            func.count(Pair.id).label("active"),
            _count_if(on_schedule).label("on_schedule"),
        )
        .outerjoin(last_held, last_held.c.pair_id == Pair.id)
        .outerjoin(ahead, ahead.c.pair_id == Pair.id)
        .where(Pair.school_id.in_(scope.school_ids), Pair.status == PairStatus.ACTIVE)
        .group_by(Pair.school_id)
    )


@dataclass(frozen=True)
class Source:
    """An aggregate query: school id first, then named counts. ``unknown_if_absent``:
    a school without a row has no data (a headcount not entered), rather than zeros."""

    name: str
    build: Callable[[AsyncSession, Scope], Awaitable[Query]]
    unknown_if_absent: bool = False


PEOPLE = Source("people", _people)
# Counts of people and of their answers come from the same query.
PARTICIPATION = SATISFACTION = PEOPLE
GROWTH = Source("growth", _growth)
HEADCOUNTS = Source("headcounts", _headcounts, unknown_if_absent=True)
SCHOOLS = Source("schools", _schools)
MEETINGS = Source("meetings", _meetings)
PAIRS_NOW = Source("pairs_now", _pairs_now)
CLUB = Source("club", _club)
ACHIEVEMENTS = Source("achievements", _achievements)


@dataclass(frozen=True)
class Count:
    source: Source
    column: str


# --- the indicators ------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One indicator. Texts: indicator.<code>.name / .short / .method / .collect."""

    code: str
    level: Level
    a: tuple[Count, ...]
    b: tuple[Count, ...]
    # The survey answers it rests on: hidden below MIN_ANSWERS, «ответили X из B».
    answered: tuple[Count, ...] = ()
    # Default targets, %, by the year of the programme (the last one holds after).
    targets: tuple[int, ...] = ()


INDICATORS: tuple[Indicator, ...] = (
    # School level, Дульдургинская СОШ №2 (002), in the order of its table.
    Indicator(
        "coverage_young",
        Level.SCHOOL,
        a=(Count(PARTICIPATION, "young_mentees"),),
        b=(Count(HEADCOUNTS, "young_specialists"),),
        targets=(100, 100, 100),
    ),
    Indicator(
        "growth",
        Level.SCHOOL,
        a=(Count(GROWTH, "improved"),),
        b=(Count(GROWTH, "completed"),),
        answered=(Count(GROWTH, "answered"),),
        targets=(80, 100, 100),
    ),
    Indicator(
        "satisfaction_mentees",
        Level.SCHOOL,
        a=(Count(SATISFACTION, "satisfied_mentees"),),
        b=(Count(PARTICIPATION, "mentees"),),
        answered=(Count(SATISFACTION, "answered_mentees"),),
        targets=(50, 75, 85),
    ),
    Indicator(
        "satisfaction_mentors",
        Level.SCHOOL,
        a=(Count(SATISFACTION, "satisfied_mentors"),),
        b=(Count(PARTICIPATION, "mentors"),),
        answered=(Count(SATISFACTION, "answered_mentors"),),
        targets=(50, 75, 85),
    ),
    # Municipal level, Серпухов (000) and the АСОУ course (004).
    Indicator(
        "under35_involved",
        Level.MUNICIPALITY,
        a=(Count(PARTICIPATION, "under_35"),),
        b=(Count(HEADCOUNTS, "under_35"),),
        targets=(70,),
    ),
    Indicator(
        "schools_running",
        Level.MUNICIPALITY,
        a=(Count(PARTICIPATION, "running"),),
        b=(Count(SCHOOLS, "schools"),),
        targets=(60,),
    ),
    Indicator(
        "beneficiaries_satisfied",
        Level.MUNICIPALITY,
        a=(Count(SATISFACTION, "satisfied_mentees"), Count(SATISFACTION, "satisfied_mentors")),
        b=(Count(PARTICIPATION, "mentees"), Count(PARTICIPATION, "mentors")),
        answered=(
            Count(SATISFACTION, "answered_mentees"),
            Count(SATISFACTION, "answered_mentors"),
        ),
        targets=(90,),
    ),
    # The club «Пеликаша» (000): «не менее 80% молодых специалистов вовлечены в
    # различные мероприятия Центра», «доля ОО, вовлечённых в мероприятия по циклограмме».
    Indicator(
        "young_in_events",
        Level.MUNICIPALITY,
        a=(Count(CLUB, "young_attended"),),
        b=(Count(HEADCOUNTS, "young_specialists"),),
        targets=(80,),
    ),
    Indicator(
        "schools_in_events",
        Level.MUNICIPALITY,
        a=(Count(CLUB, "schools_attended"),),
        b=(Count(SCHOOLS, "schools"),),
        targets=(70,),
    ),
    # «Мои достижения». Added at the end, not in their tables' order, because the
    # target buttons carry an indicator's index here (bot/ui/surveys/targets.py): a
    # keyboard already sent must keep meaning the same indicator.
    # 002, line 4: «Увеличится доля педагогов, в том числе молодых, принимающих участие в
    # конкурсах профессионального мастерства (от общего количества молодых педагогов)».
    Indicator(
        "contest_participation",
        Level.SCHOOL,
        a=(Count(ACHIEVEMENTS, "young_contest"),),
        b=(Count(HEADCOUNTS, "young_specialists"),),
        targets=(50, 80, 100),
    ),
    # 000's criteria 5 and 6 of the methodical work: no formula and no target in the
    # seeds; A and B are the project's choice (and the method texts say so).
    Indicator(
        "young_in_contests",
        Level.MUNICIPALITY,
        a=(Count(ACHIEVEMENTS, "young_contest_or_club"),),
        b=(Count(HEADCOUNTS, "young_specialists"),),
    ),
    Indicator(
        "young_publications",
        Level.MUNICIPALITY,
        a=(Count(ACHIEVEMENTS, "young_published"),),
        b=(Count(HEADCOUNTS, "young_specialists"),),
    ),
)

HEALTH: tuple[Indicator, ...] = (
    Indicator(
        "health_feedback",
        Level.HEALTH,
        a=(Count(MEETINGS, "both_sides"),),
        b=(Count(MEETINGS, "held"),),
    ),
    Indicator(
        "health_on_schedule",
        Level.HEALTH,
        a=(Count(PAIRS_NOW, "on_schedule"),),
        b=(Count(PAIRS_NOW, "active"),),
    ),
)

BY_CODE = {i.code: i for i in (*INDICATORS, *HEALTH)}
# The indicators a target may be set for: every official one, also those the seeds give
# no default for (000's criteria); never the bot's own health figures.
OFFICIAL = frozenset(i.code for i in INDICATORS)


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    code: str
    a: int | None  # None: hidden (fewer than MIN_ANSWERS answers)
    b: int | None  # None: unknown (no headcount) — «нет данных»
    answered: int | None = None  # for the survey-based ones
    target: int | None = None
    known: int | None = None  # of a municipal sum: schools with data…
    schools: int | None = None  # …of all schools in the sum
    left_out: int = 0  # schools whose 1–2 answers the sum leaves out (see _small_groups)

    @property
    def hidden(self) -> bool:
        return self.a is None and self.b is not None

    @property
    def percent(self) -> float | None:
        if self.a is None or not self.b:
            return None
        return 100 * self.a / self.b

    @property
    def met(self) -> bool | None:
        pct = self.percent
        if pct is None or self.target is None:
            return None
        return round(pct) >= self.target


Counts = dict[str, dict[int, dict[str, int]]]  # source → school → column → count


def _part(counts: Counts, c: Count, school_id: int) -> int | None:
    row = counts.get(c.source.name, {}).get(school_id)
    if row is None:
        return None if c.source.unknown_if_absent else 0
    return int(row.get(c.column) or 0)


Cell = tuple[int, int]  # (school id, index of the part: mentees 0, mentors 1, …)


def _sum(
    counts: Counts,
    parts: Sequence[Count],
    school_ids: Sequence[int],
    skip: frozenset[Cell] = frozenset(),
) -> int | None:
    total = 0
    for school_id in school_ids:
        for i, c in enumerate(parts):
            n = _part(counts, c, school_id)
            if n is None:
                return None
            if (school_id, i) not in skip:
                total += n
    return total


def _small_groups(
    indicator: Indicator, counts: Counts, school_ids: Sequence[int]
) -> frozenset[Cell]:
    """The cells a sum over several schools must leave out so that none of them can be
    derived. Each cell (a school's mentees, or its mentors) is shown on its own, or
    hidden when it has 1–2 answers. If the sum took in hidden cells whose answers are
    fewer than MIN_ANSWERS altogether, the sum minus the visible cells would give those
    answers back; so such cells are left out of A, B and «ответили». Together they may
    stay in: then the difference is an aggregate of at least MIN_ANSWERS answers, as
    safe as a cell shown. A cell with no answers tells nothing (its A is 0)."""
    if not indicator.answered or (len(school_ids) < 2 and len(indicator.answered) < 2):
        return frozenset()
    cells = [
        ((school_id, i), _part(counts, c, school_id) or 0)
        for school_id in school_ids
        for i, c in enumerate(indicator.answered)
    ]
    if sum(n for _, n in cells) < MIN_ANSWERS:
        return frozenset()  # the sum is hidden itself: nothing to subtract from
    small = [(cell, n) for cell, n in cells if 0 < n < MIN_ANSWERS]
    if sum(n for _, n in small) >= MIN_ANSWERS:
        return frozenset()
    return frozenset(cell for cell, _ in small)


def evaluate(
    indicator: Indicator,
    counts: Counts,
    school_ids: Sequence[int],
    target: int | None = None,
) -> Value:
    """The indicator over these schools. B unknown for some schools: A and B are summed
    over the schools that have it (how many is kept); for none, «нет данных»."""
    known = [s for s in school_ids if _sum(counts, indicator.b, [s]) is not None]
    skip = _small_groups(indicator, counts, known)
    b = _sum(counts, indicator.b, known, skip) if known else None
    a = _sum(counts, indicator.a, known, skip) if known else None
    answered = (
        _sum(counts, indicator.answered, known, skip) if indicator.answered and known else None
    )
    if indicator.answered and (answered or 0) < MIN_ANSWERS:
        a = None
    partial = len(school_ids) > 1
    return Value(
        code=indicator.code,
        a=a if b is not None else None,
        b=b,
        answered=answered if indicator.answered else None,
        target=target,
        known=len(known) if partial else None,
        schools=len(school_ids) if partial else None,
        left_out=len({school_id for school_id, _ in skip}),
    )


async def gather(session: AsyncSession, scope: Scope, indicators: Sequence[Indicator]) -> Counts:
    """Run each Source the indicators use, once, over all the scope's schools."""
    sources: dict[str, Source] = {}
    for ind in indicators:
        for c in (*ind.a, *ind.b, *ind.answered):
            sources.setdefault(c.source.name, c.source)
    counts: Counts = {}
    for name, source in sources.items():
        stmt = await source.build(session, scope)
        table: dict[int, dict[str, int]] = {}
        for row in await session.execute(stmt):
            school_id, *rest = row
            table[int(school_id)] = dict(zip(row._fields[1:], rest, strict=True))
        counts[name] = table
    return counts


# --- targets ----------------------------------------------------------------------------------


def _year_index(first: dt.datetime | None, year: str) -> int:
    """1 for the academic year of the first pair (or with no pair yet), 2 the next…"""
    if first is None:
        return 1
    first_year = int(academic_year(first.date())[0][:4])
    return max(1, int(year[:4]) - first_year + 1)


def default_target(indicator: Indicator, year_index: int) -> int | None:
    if not indicator.targets:
        return None
    return indicator.targets[min(year_index, len(indicator.targets)) - 1]


@dataclass(frozen=True)
class Targets:
    explicit: dict[tuple[int | None, str], int]  # (school or None, code) → %
    first_pair: dict[int, dt.datetime]
    year: str

    def year_index(self, school_ids: Sequence[int]) -> int:
        firsts = [self.first_pair[s] for s in school_ids if s in self.first_pair]
        return _year_index(min(firsts) if firsts else None, self.year)

    def for_school(self, indicator: Indicator, school_id: int) -> int | None:
        own = self.explicit.get((school_id, indicator.code))
        if own is not None:
            return own
        shared = self.explicit.get((None, indicator.code))
        if shared is not None:
            return shared
        return default_target(indicator, self.year_index([school_id]))

    def for_municipality(self, indicator: Indicator, school_ids: Sequence[int]) -> int | None:
        shared = self.explicit.get((None, indicator.code))
        if shared is not None:
            return shared
        return default_target(indicator, self.year_index(school_ids))


async def targets(session: AsyncSession, scope: Scope) -> Targets:
    explicit = {
        (school_id, code): int(value)
        for school_id, code, value in await session.execute(
            select(IndicatorTarget.school_id, IndicatorTarget.code, IndicatorTarget.value).where(
                IndicatorTarget.municipality_id == scope.municipality_id,
                IndicatorTarget.academic_year == scope.year,
            )
        )
    }
    first = {
        int(s): at
        for s, at in await session.execute(
            select(Pair.school_id, func.min(Pair.formed_at))
            .where(Pair.school_id.in_(scope.school_ids))
            .group_by(Pair.school_id)
        )
    }
    return Targets(explicit, first, scope.year)


async def set_target(
    session: AsyncSession,
    *,
    code: str,
    value: int,
    year: str,
    municipality_id: int,
    school_id: int | None = None,
) -> None:
    """A target for a year, for a municipality or one of its schools (CLI). Commits."""
    if code not in OFFICIAL:
        raise DomainError("indicators.error.unknown_code", name=code)
    if not 0 <= value <= 100:
        raise DomainError("indicators.error.bad_target")
    if await session.get(Municipality, municipality_id) is None:
        raise NotFound()
    if school_id is not None:
        school = await session.get(School, school_id)
        if school is None or school.municipality_id != municipality_id:
            raise NotFound()
    key = f"{municipality_id}:{school_id or 0}:{year}:{code}"
    row = await session.scalar(select(IndicatorTarget).where(IndicatorTarget.key == key))
    if row is None:
        session.add(
            IndicatorTarget(
                key=key,
                municipality_id=municipality_id,
                school_id=school_id,
                academic_year=year,
                code=code,
                value=value,
            )
        )
    else:
        row.value = value
    await session.commit()


class TargetSource(enum.StrEnum):
    SCHOOL = "school"  # set for the school (its curator, or the CLI)
    MUNICIPALITY = "municipality"  # set for the municipality (its coordinator, or the CLI)
    DEFAULT = "default"  # the definition's default for the programme's year


@dataclass(frozen=True)
class TargetLine:
    code: str
    value: int | None  # the year's target in force
    source: TargetSource
    defaults: tuple[int, ...]


@dataclass(frozen=True)
class TargetsView:
    """The year's targets of a municipality (school_id 0) or of one school."""

    municipality_id: int
    school_id: int
    name: str
    year: str
    year_index: int
    lines: list[TargetLine]

    def line(self, code: str) -> TargetLine:
        return next(x for x in self.lines if x.code == code)


def _source(goals: Targets, school_id: int | None, code: str) -> TargetSource:
    if school_id is not None and (school_id, code) in goals.explicit:
        return TargetSource.SCHOOL
    if (None, code) in goals.explicit:
        return TargetSource.MUNICIPALITY
    return TargetSource.DEFAULT


async def municipality_targets(
    session: AsyncSession, actor: Actor, municipality_id: int, now: dt.datetime
) -> TargetsView:
    """The year's targets of the municipality's indicators, as /indicators compares
    them: set by its coordinator, or the default for the programme's year."""
    await municipality_in_view(session, actor, municipality_id)
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    ids = list(
        await session.scalars(select(School.id).where(School.municipality_id == municipality_id))
    )
    scope = year_scope(municipality_id, ids, municipality.timezone, now)
    goals = await targets(session, scope)
    await session.commit()
    return TargetsView(
        municipality_id,
        0,
        municipality.name,
        scope.year,
        goals.year_index(ids),
        [
            TargetLine(
                i.code, goals.for_municipality(i, ids), _source(goals, None, i.code), i.targets
            )
            for i in INDICATORS
        ],
    )


async def school_targets(
    session: AsyncSession, actor: Actor, school_id: int, now: dt.datetime
) -> TargetsView:
    """The year's targets of a school's own indicators: set for the school (its
    curator), else for the municipality (its coordinator), else the default."""
    school = await school_in_scope(session, actor, school_id)
    scope = year_scope(school.municipality_id, [school.id], school.timezone, now)
    goals = await targets(session, scope)
    await session.commit()
    return TargetsView(
        school.municipality_id,
        school.id,
        school.name,
        scope.year,
        goals.year_index([school.id]),
        [
            TargetLine(
                i.code, goals.for_school(i, school.id), _source(goals, school.id, i.code), i.targets
            )
            for i in INDICATORS
            if i.level == Level.SCHOOL
        ],
    )


async def _change_target(
    session: AsyncSession,
    *,
    code: str,
    value: int | None,
    year: str,
    municipality_id: int,
    school_id: int | None,
) -> None:
    if value is not None:
        await set_target(
            session,
            code=code,
            value=value,
            year=year,
            municipality_id=municipality_id,
            school_id=school_id,
        )
        return
    if code not in OFFICIAL:
        raise DomainError("indicators.error.unknown_code", name=code)
    row = await session.scalar(
        select(IndicatorTarget).where(
            IndicatorTarget.key == f"{municipality_id}:{school_id or 0}:{year}:{code}"
        )
    )
    if row is not None:
        await session.delete(row)
    await session.commit()


async def set_municipality_target(
    session: AsyncSession,
    actor: Actor,
    municipality_id: int,
    code: str,
    value: int | None,
    now: dt.datetime,
) -> TargetsView:
    """A coordinator sets (``value``) or resets to the default (None) one indicator's
    target for the municipality, for the academic year running there. Commits."""
    require_municipality(actor, municipality_id)
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    year = year_scope(municipality_id, [], municipality.timezone, now).year
    await _change_target(
        session, code=code, value=value, year=year, municipality_id=municipality_id, school_id=None
    )
    audit.record(
        session,
        now,
        "indicator.target_set",
        actor_id=actor.participant_id,
        object_type="municipality",
        object_id=municipality_id,
    )
    await session.commit()
    return await municipality_targets(session, actor, municipality_id, now)


async def set_school_target(
    session: AsyncSession,
    actor: Actor,
    school_id: int,
    code: str,
    value: int | None,
    now: dt.datetime,
) -> TargetsView:
    """The school's own target of one of its indicators for the academic year (its
    curator or its coordinator), or back to the municipality's (None). Commits."""
    school = await school_in_scope(session, actor, school_id)
    if code not in BY_CODE or BY_CODE[code].level != Level.SCHOOL:
        raise DomainError("indicators.error.unknown_code", name=code)
    year = year_scope(school.municipality_id, [school.id], school.timezone, now).year
    await _change_target(
        session,
        code=code,
        value=value,
        year=year,
        municipality_id=school.municipality_id,
        school_id=school.id,
    )
    audit.record(
        session,
        now,
        "indicator.target_set",
        actor_id=actor.participant_id,
        object_type="school",
        object_id=school.id,
    )
    await session.commit()
    return await school_targets(session, actor, school_id, now)


# --- reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolValues:
    school_id: int
    name: str
    values: list[Value]
    health: list[Value]


@dataclass(frozen=True)
class Report:
    level: Level  # SCHOOL: one school; MUNICIPALITY: its schools summed, then each
    name: str
    year: str
    year_index: int
    satisfied_from: int  # the threshold of the instrument in force (the method text)
    values: list[Value]
    health: list[Value]
    schools: list[SchoolValues] = field(default_factory=list)


def year_scope(
    municipality_id: int, school_ids: Sequence[int], zone: str, now: dt.datetime
) -> Scope:
    today = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
    year, first, _ = academic_year(today)
    tz = zoneinfo.ZoneInfo(zone)
    starts = dt.datetime.combine(first, dt.time(0, 0), tzinfo=tz).astimezone(dt.UTC)
    ends = dt.datetime.combine(
        first.replace(year=first.year + 1), dt.time(0, 0), tzinfo=tz
    ).astimezone(dt.UTC)
    return Scope(municipality_id, tuple(school_ids), year, starts, ends, now)


async def _threshold(session: AsyncSession, municipality_id: int, now: dt.datetime) -> int:
    used = await instrument.in_force(session, municipality_id, now)
    return used.satisfied_from


# PostgreSQL plans a prepared statement for its parameters five times, then may keep a
# generic plan that ignores them. asyncpg prepares (and SQLAlchemy caches) every
# statement, so from the sixth /indicators on a connection the aggregates could run on
# plans made for no particular year and set of schools; bench/indicators.py compares.
FORCE_CUSTOM_PLANS = True


async def _custom_plans(session: AsyncSession) -> None:
    """PostgreSQL only (SQLite has no plan cache to speak of): custom plans for the rest
    of this transaction (SET LOCAL ends with it)."""
    if FORCE_CUSTOM_PLANS and session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


async def for_school(
    session: AsyncSession, actor: Actor, school_id: int, now: dt.datetime
) -> Report:
    """A school's indicators (its curator, its municipality's coordinator, an admin)."""
    await _custom_plans(session)
    school = await school_in_scope(session, actor, school_id)
    scope = year_scope(school.municipality_id, [school.id], school.timezone, now)
    chosen = [i for i in INDICATORS if i.level == Level.SCHOOL]
    counts = await gather(session, scope, [*chosen, *HEALTH])
    goals = await targets(session, scope)
    threshold = await _threshold(session, school.municipality_id, now)
    await session.commit()
    return Report(
        level=Level.SCHOOL,
        name=school.name,
        year=scope.year,
        year_index=goals.year_index([school.id]),
        satisfied_from=threshold,
        values=[evaluate(i, counts, [school.id], goals.for_school(i, school.id)) for i in chosen],
        health=[evaluate(i, counts, [school.id]) for i in HEALTH],
    )


async def for_municipality(
    session: AsyncSession, actor: Actor, municipality_id: int, now: dt.datetime
) -> Report:
    """The municipality: its own indicators and the schools' summed, then each school
    (its coordinator, an admin, or a coordinator of its region)."""
    await municipality_in_view(session, actor, municipality_id)
    await _custom_plans(session)
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    schools = (
        await session.execute(
            select(School.id, School.name)
            .where(School.municipality_id == municipality_id)
            .order_by(School.name, School.id)
        )
    ).all()
    ids = [s for s, _ in schools]
    scope = year_scope(municipality_id, ids, municipality.timezone, now)
    counts = await gather(session, scope, [*INDICATORS, *HEALTH])
    goals = await targets(session, scope)
    threshold = await _threshold(session, municipality_id, now)
    await session.commit()
    school_level = [i for i in INDICATORS if i.level == Level.SCHOOL]
    return Report(
        level=Level.MUNICIPALITY,
        name=municipality.name,
        year=scope.year,
        year_index=goals.year_index(ids),
        satisfied_from=threshold,
        values=[
            evaluate(i, counts, ids, goals.for_municipality(i, ids))
            for i in (*[i for i in INDICATORS if i.level == Level.MUNICIPALITY], *school_level)
        ],
        health=[evaluate(i, counts, ids) for i in HEALTH],
        schools=[
            SchoolValues(
                school_id,
                name,
                [
                    evaluate(i, counts, [school_id], goals.for_school(i, school_id))
                    for i in school_level
                ],
                [evaluate(i, counts, [school_id]) for i in HEALTH],
            )
            for school_id, name in schools
        ],
    )
