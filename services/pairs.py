"""Pairs and groups: forming one (a use case, one transaction), the curator's views
(/pairs with a status per pair, the pair card), ending, pausing and resuming.

The status rules («в графике» / «нужно внимание» / «застой») are a pure function of a
pair's facts, written down in docs/pair-status.md; the queries only gather the facts.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CatalogueKind,
    Feedback,
    FeedbackStatus,
    GoalStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Outbox,
    OutboxStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Programme,
    Role,
    School,
)
from services import audit, catalogue, outbox, programmes
from services.access import Actor, managed_school_ids, school_in_scope
from services.clock import Clock
from services.errors import DomainError, NotFound
from services.matching import LIVE_PAIR, current_mentees, is_unmatched, mentee_in_scope
from services.outbox import Kind
from services.timing import local_midnight, next_allowed

PAGE_SIZE = 8
CARD_MEETINGS = 10  # the newest meetings on a pair card; older ones are counted only
UNLOGGED_AFTER = dt.timedelta(hours=24)  # a past meeting nobody marked held or not
MAX_PAUSE_DAYS = 183
MAX_REASON = 500
NUDGE_KINDS = (Kind.PAIR_SILENT, Kind.PAIR_SILENT_CURATOR, Kind.PAIR_STUCK_CURATOR)


def local_today(now: dt.datetime, zone: str) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


# --- typed input -----------------------------------------------------------------------

_DATE = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?![\d.])")
_ORDER_NUMBER = re.compile(r"[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё/\-]{0,29}")


def _date_from(match: re.Match[str]) -> dt.date | None:
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_order(text: str, today: dt.date) -> tuple[str, dt.date]:
    """«№ 45 от 01.09.2026», «45-о от 1.9.26», «от 01.09.2026 № 45» → ("45", date)."""
    value = " ".join(text.split())
    dates = list(_DATE.finditer(value))
    if len(dates) != 1:
        raise DomainError("pairs.order.bad")
    day = _date_from(dates[0])
    if day is None:
        raise DomainError("pairs.order.bad_date")
    if not dt.date(2000, 1, 1) <= day <= today + dt.timedelta(days=366):
        raise DomainError("pairs.order.bad_date")
    rest = (value[: dates[0].start()] + " " + value[dates[0].end() :]).strip()
    rest = re.sub(r"(?i)^приказ\s*", "", rest)
    rest = re.sub(r"(?i)(^|\s)от(\s|$)", " ", rest)
    rest = re.sub(r"(?i)^(№|n|no\.?|#)\s*", "", rest.strip()).strip()
    rest = re.sub(r"(?i)^(№|n|no\.?|#)\s*", "", rest).strip()
    if not _ORDER_NUMBER.fullmatch(rest) or not re.search(r"\d", rest):
        raise DomainError("pairs.order.bad")
    return rest, day


def parse_pause_until(text: str, today: dt.date) -> dt.date:
    value = text.strip()
    found = _DATE.fullmatch(value)
    if found is None:
        raise DomainError("pairs.pause.bad_date")
    day = _date_from(found)
    if day is None:
        raise DomainError("pairs.pause.bad_date")
    if day <= today:
        raise DomainError("pairs.pause.past")
    if day > today + dt.timedelta(days=MAX_PAUSE_DAYS):
        raise DomainError("pairs.pause.too_far", days=MAX_PAUSE_DAYS)
    return day


def clean_reason(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_REASON:
        raise DomainError("pairs.end.reason_long", limit=MAX_REASON, length=len(value))
    if len(value) < 3 or not re.search(r"[A-Za-zА-Яа-яЁё]", value):
        raise DomainError("pairs.end.reason_bad")
    return value


# --- the status rules (pure) -----------------------------------------------------------


class Level(enum.IntEnum):
    """Worst first, so sorting by it puts the pairs that need the curator on top."""

    STALLED = 0  # застой
    ATTENTION = 1  # нужно внимание
    ON_TRACK = 2  # в графике
    PAUSED = 3
    CLOSED = 4  # completed or ended


@dataclass(frozen=True)
class StatusRules:
    interval_days: int = 14
    silent_after_days: int = 21
    stage_stuck_days: int = 30

    @classmethod
    def of(cls, programme: Programme) -> StatusRules:
        return cls(
            programme.meeting_interval_days,
            programme.silent_after_days,
            programme.stage_stuck_days,
        )


@dataclass(frozen=True)
class PairFacts:
    status: PairStatus
    next_kind: MeetingKind | None
    formed_at: dt.datetime
    stage_since: dt.datetime
    paused_until: dt.date | None = None
    # Local midnight of paused_until once the pause is over: the clocks restart there.
    resumed_at: dt.datetime | None = None
    last_held_at: dt.datetime | None = None
    next_confirmed_at: dt.datetime | None = None
    has_upcoming: bool = False  # a proposed or confirmed meeting still ahead
    unlogged_at: dt.datetime | None = None
    missing_feedback: int = 0  # on the last held meeting
    not_fit: bool = False
    blocked: int = 0


@dataclass(frozen=True)
class Flag:
    code: str  # a locale key under pairs.flag.
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Health:
    level: Level
    flags: tuple[Flag, ...] = ()


def _days(now: dt.datetime, since: dt.datetime) -> int:
    return max(0, (now - since).days)


def health(facts: PairFacts, rules: StatusRules, now: dt.datetime, today: dt.date) -> Health:
    """The rules of docs/pair-status.md (the same clocks as services.nudges uses)."""
    if facts.status in (PairStatus.COMPLETED, PairStatus.ENDED):
        return Health(Level.CLOSED)
    if facts.status == PairStatus.PAUSED and (
        facts.paused_until is None or today < facts.paused_until
    ):
        return Health(Level.PAUSED)
    restart = facts.resumed_at
    silent_since = max(d for d in (facts.formed_at, facts.last_held_at, restart) if d is not None)
    # Regular meetings repeat: each held one keeps that stage moving.
    regular_held = facts.last_held_at if facts.next_kind == MeetingKind.REGULAR else None
    stage_since = max(d for d in (facts.stage_since, regular_held, restart) if d is not None)
    silent = _days(now, silent_since)
    stage_days = _days(now, stage_since)
    confirmed = facts.next_confirmed_at is not None and facts.next_confirmed_at >= now
    stalled: list[Flag] = []
    attention: list[Flag] = []
    if silent >= rules.silent_after_days and not facts.has_upcoming:
        code = "silent" if facts.last_held_at is not None else "silent_new"
        stalled.append(Flag(code, {"days": silent}))
    if facts.next_kind is not None and stage_days >= rules.stage_stuck_days:
        stalled.append(Flag("stuck", {"days": stage_days, "kind": facts.next_kind}))
    if not stalled and silent > rules.interval_days and not confirmed:
        attention.append(Flag("overdue", {"days": silent, "interval": rules.interval_days}))
    if facts.not_fit:
        attention.append(Flag("not_fit"))
    if facts.missing_feedback:
        attention.append(Flag("feedback", {"n": facts.missing_feedback}))
    if facts.unlogged_at is not None:
        attention.append(Flag("unlogged", {"at": facts.unlogged_at}))
    if facts.blocked:
        attention.append(Flag("blocked", {"n": facts.blocked}))
    if stalled:
        return Health(Level.STALLED, (*stalled, *attention))
    if attention:
        return Health(Level.ATTENTION, tuple(attention))
    return Health(Level.ON_TRACK)


def is_paused(pair: Pair, today: dt.date) -> bool:
    """Whether nudges wait for this pair today (the pause ends on paused_until)."""
    return pair.status == PairStatus.PAUSED and (
        pair.paused_until is None or today < pair.paused_until
    )


# --- facts from the database -----------------------------------------------------------


async def _facts(
    session: AsyncSession, loaded: list[Loaded], now: dt.datetime
) -> dict[int, PairFacts]:
    ids = [x.pair.id for x in loaded]
    if not ids:
        return {}
    held: dict[int, tuple[dt.datetime, int]] = {}
    for pair_id, starts_at, meeting_id in await session.execute(
        select(Meeting.pair_id, Meeting.starts_at, Meeting.id)
        .where(Meeting.pair_id.in_(ids), Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.pair_id, Meeting.starts_at, Meeting.id)
    ):
        held[pair_id] = (starts_at, meeting_id)
    confirmed: dict[int, dt.datetime] = {}
    upcoming: set[int] = set()
    for pair_id, status, starts_at in await session.execute(
        select(Meeting.pair_id, Meeting.status, func.min(Meeting.starts_at))
        .where(
            Meeting.pair_id.in_(ids),
            Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]),
            Meeting.starts_at >= now,
        )
        .group_by(Meeting.pair_id, Meeting.status)
    ):
        upcoming.add(pair_id)
        if status == MeetingStatus.CONFIRMED:
            confirmed[pair_id] = starts_at
    # .all(): a Result has keys(), so dict() would take it for a mapping.
    unlogged: dict[int, dt.datetime] = dict(
        (
            await session.execute(
                select(Meeting.pair_id, func.min(Meeting.starts_at))
                .where(
                    Meeting.pair_id.in_(ids),
                    Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]),
                    Meeting.starts_at < now - UNLOGGED_AFTER,
                )
                .group_by(Meeting.pair_id)
            )
        ).all()
    )
    last_ids = [m for _, m in held.values()]
    missing: dict[int, int] = {}
    if last_ids:
        for meeting_id, n in await session.execute(
            select(Feedback.meeting_id, func.count(Feedback.id))
            .where(
                Feedback.meeting_id.in_(last_ids),
                (Feedback.status == FeedbackStatus.MISSING)
                | ((Feedback.status == FeedbackStatus.REQUESTED) & (Feedback.due_at < now)),
            )
            .group_by(Feedback.meeting_id)
        ):
            missing[meeting_id] = int(n)
    result = {}
    for x in loaded:
        p, zone = x.pair, x.zone
        members = p.active_members
        people = [p.mentor, *(m.mentee for m in members)]
        resumed = None
        if p.paused_until is not None and local_today(now, zone) >= p.paused_until:
            resumed = local_midnight(p.paused_until, zone)
        last = held.get(p.id)
        result[p.id] = PairFacts(
            status=p.status,
            next_kind=p.next_kind,
            formed_at=p.formed_at,
            stage_since=p.stage_since,
            paused_until=p.paused_until,
            resumed_at=resumed,
            last_held_at=last[0] if last else None,
            next_confirmed_at=confirmed.get(p.id),
            has_upcoming=p.id in upcoming,
            unlogged_at=unlogged.get(p.id),
            missing_feedback=missing.get(last[1], 0) if last else 0,
            # «Не подходит» after the trial weighs until the planning meeting is held.
            not_fit=p.next_kind == MeetingKind.PLANNING
            and (p.mentor_fit is False or any(m.fit is False for m in members)),
            blocked=sum(1 for x in people if x.blocked_bot),
        )
    return result


async def _rules_for(
    session: AsyncSession, school_ids: set[int], now: dt.datetime, zones: dict[int, str]
) -> dict[int, StatusRules]:
    rules = {}
    for school_id in school_ids:
        programme = await programmes.for_school(
            session, school_id, local_today(now, zones[school_id])
        )
        rules[school_id] = StatusRules.of(programme)
    return rules


# --- the list --------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    participant_id: int
    full_name: str | None  # None: the person withdrew consent and was erased
    username: str | None
    telegram_id: int | None
    blocked_bot: bool


def _person(p: Participant) -> Person:
    return Person(p.id, p.full_name, p.username, p.telegram_id, p.blocked_bot)


@dataclass(frozen=True)
class PairLine:
    pair_id: int
    school_name: str
    zone: str
    mentor: Person
    mentees: list[Person]
    status: PairStatus
    next_kind: MeetingKind | None
    last_held_at: dt.datetime | None
    paused_until: dt.date | None
    health: Health


@dataclass(frozen=True)
class PairsPage:
    items: list[PairLine]
    page: int
    pages: int
    total: int
    counts: dict[Level, int]
    many_schools: bool


async def _lines(session: AsyncSession, loaded: list[Loaded], now: dt.datetime) -> list[PairLine]:
    facts = await _facts(session, loaded, now)
    zones = {x.pair.school_id: x.zone for x in loaded}
    rules = await _rules_for(session, set(zones), now, zones)
    lines = []
    for x in loaded:
        p = x.pair
        f = facts[p.id]
        lines.append(
            PairLine(
                pair_id=p.id,
                school_name=x.school_name,
                zone=x.zone,
                mentor=_person(p.mentor),
                mentees=[_person(m.mentee) for m in _shown_members(p)],
                status=p.status,
                next_kind=p.next_kind,
                last_held_at=f.last_held_at,
                paused_until=p.paused_until,
                health=health(f, rules[p.school_id], now, local_today(now, x.zone)),
            )
        )
    return lines


def _shown_members(p: Pair) -> list[PairMember]:
    # A closed pair shows everyone it had; a live one only who is still in it.
    members = p.active_members if p.status in LIVE_PAIR else p.members
    return sorted(members, key=lambda m: (m.joined_at, m.id))


@dataclass
class Loaded:
    """A pair with its school's name and time zone, read in one query."""

    pair: Pair
    school_name: str
    zone: str


async def _load_pairs(session: AsyncSession, *where: ColumnElement[bool]) -> list[Loaded]:
    rows = await session.execute(
        select(Pair, School.name, School.timezone)
        .join(School, School.id == Pair.school_id)
        .where(*where)
        .order_by(Pair.id)
    )
    return [Loaded(pair, name, zone) for pair, name, zone in rows.unique()]


async def list_pairs(session: AsyncSession, actor: Actor, page: int, now: dt.datetime) -> PairsPage:
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    school_ids = await managed_school_ids(session, actor)
    where = [Pair.school_id.in_(school_ids)] if school_ids is not None else []
    lines = await _lines(session, await _load_pairs(session, *where), now)
    lines.sort(
        key=lambda x: (x.health.level, (x.mentor.full_name or "").lower(), x.pair_id),
    )
    counts = dict.fromkeys(Level, 0)
    for line in lines:
        counts[line.health.level] += 1
    pages = max(1, -(-len(lines) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    many = school_ids is None or len(school_ids) > 1
    return PairsPage(
        lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages, len(lines), counts, many
    )


# --- the card --------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackLine:
    person: Person
    is_mentor: bool
    status: FeedbackStatus
    rating: int | None
    helped: str | None
    hard: str | None
    shared: bool
    overdue: bool


@dataclass(frozen=True)
class MeetingLine:
    meeting_id: int
    kind: MeetingKind
    status: MeetingStatus
    starts_at: dt.datetime
    feedback: list[FeedbackLine]
    skip_reason: str | None = None  # a kind the curator skipped, with why


@dataclass(frozen=True)
class PairCard:
    line: PairLine
    formed_at: dt.datetime
    stage_since: dt.datetime
    order_number: str | None
    order_date: dt.date | None
    ended_at: dt.datetime | None
    end_reason: str | None
    meetings: list[MeetingLine]
    meetings_total: int
    goals_total: int
    goals_done: int
    # Mentees of a closed pair who have no pair now: each may get another mentor.
    repairable: list[Person]


async def pair_in_scope(session: AsyncSession, actor: Actor, pair_id: int) -> Loaded:
    """The pair, if the actor oversees its school (the id came from a button)."""
    found = await _load_pairs(session, Pair.id == pair_id)
    if not found:
        raise NotFound()
    await school_in_scope(session, actor, found[0].pair.school_id)
    return found[0]


async def card(session: AsyncSession, actor: Actor, pair_id: int, now: dt.datetime) -> PairCard:
    loaded = await pair_in_scope(session, actor, pair_id)
    pair = loaded.pair
    (line,) = await _lines(session, [loaded], now)
    total = (
        await session.scalar(select(func.count(Meeting.id)).where(Meeting.pair_id == pair.id)) or 0
    )
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(Meeting.pair_id == pair.id)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(CARD_MEETINGS)
        )
    )
    meetings.reverse()
    feedback: dict[int, list[Feedback]] = {}
    if meetings:
        for fb in await session.scalars(
            select(Feedback)
            .where(Feedback.meeting_id.in_([m.id for m in meetings]))
            .order_by(Feedback.id)
        ):
            feedback.setdefault(fb.meeting_id, []).append(fb)
    people = {pair.mentor_id: pair.mentor, **{m.mentee_id: m.mentee for m in pair.members}}
    missing_people = {fb.participant_id for fbs in feedback.values() for fb in fbs} - people.keys()
    for pid in missing_people:
        other = await session.get(Participant, pid)
        if other is not None:
            people[pid] = other
    meeting_lines = []
    for m in meetings:
        lines = []
        for fb in feedback.get(m.id, []):
            who = people.get(fb.participant_id)
            if who is None:
                continue
            lines.append(
                FeedbackLine(
                    person=_person(who),
                    is_mentor=fb.participant_id == pair.mentor_id,
                    status=fb.status,
                    rating=fb.rating,
                    helped=fb.helped,
                    hard=fb.hard,
                    shared=fb.shared,
                    overdue=fb.status == FeedbackStatus.REQUESTED and fb.due_at < now,
                )
            )
        meeting_lines.append(MeetingLine(m.id, m.kind, m.status, m.starts_at, lines, m.skip_reason))
    goals = list(
        await session.execute(
            select(PlanGoal.status, func.count(PlanGoal.id))
            .where(PlanGoal.pair_id == pair.id)
            .group_by(PlanGoal.status)
        )
    )
    repairable = []
    if pair.status not in LIVE_PAIR:
        for member in _shown_members(pair):
            mentee = member.mentee
            if (
                mentee.status == ParticipantStatus.ACTIVE
                and mentee.telegram_id is not None
                and mentee.has_role(Role.MENTEE)
                and await is_unmatched(session, mentee.id)
            ):
                repairable.append(_person(mentee))
    return PairCard(
        line=line,
        formed_at=pair.formed_at,
        stage_since=pair.stage_since,
        order_number=pair.order_number,
        order_date=pair.order_date,
        ended_at=pair.ended_at,
        end_reason=pair.end_reason,
        meetings=meeting_lines,
        meetings_total=int(total),
        goals_total=sum(int(n) for _, n in goals),
        goals_done=sum(int(n) for s, n in goals if s == GoalStatus.DONE),
        repairable=repairable,
    )


# --- forming ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupOption:
    pair_id: int
    mentees: list[str]


@dataclass(frozen=True)
class Draft:
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    school_name: str
    free_places: int
    capacity: int
    groups: list[GroupOption]


async def _mentor_for(session: AsyncSession, mentee: Participant, mentor_id: int) -> Participant:
    mentor = await session.get(Participant, mentor_id)
    if (
        mentor is None
        or mentor.id == mentee.id
        or mentor.status != ParticipantStatus.ACTIVE
        or mentor.telegram_id is None
        or not mentor.has_role(Role.MENTOR)
        or mentor.school is None
        or mentee.school is None
        or mentor.school.municipality_id != mentee.school.municipality_id
    ):
        raise DomainError("matching.mentor_gone")
    return mentor


async def _groups(session: AsyncSession, mentor_id: int, school_id: int) -> list[Pair]:
    return list(
        await session.scalars(
            select(Pair)
            .where(
                Pair.mentor_id == mentor_id,
                Pair.school_id == school_id,
                Pair.status.in_(LIVE_PAIR),
            )
            .order_by(Pair.id)
        )
    )


async def draft(session: AsyncSession, actor: Actor, mentee_id: int, mentor_id: int) -> Draft:
    """Check a chosen mentee and mentor, and offer the mentor's live pairs at that school
    as groups the mentee may join."""
    mentee = await mentee_in_scope(session, actor, mentee_id)
    if not await is_unmatched(session, mentee.id):
        raise DomainError("matching.already_paired")
    mentor = await _mentor_for(session, mentee, mentor_id)
    assert mentee.school_id is not None and mentee.school is not None
    groups = [
        GroupOption(p.id, [m.mentee.full_name or "" for m in _shown_members(p)])
        for p in await _groups(session, mentor.id, mentee.school_id)
    ]
    current = (await current_mentees(session, [mentor.id])).get(mentor.id, 0)
    capacity = mentor.mentor_profile.capacity if mentor.mentor_profile else 1
    return Draft(
        mentee_id=mentee.id,
        mentee_name=mentee.full_name or "",
        mentor_id=mentor.id,
        mentor_name=mentor.full_name or "",
        school_name=mentee.school.name,
        free_places=capacity - current,
        capacity=capacity,
        groups=groups,
    )


@dataclass(frozen=True)
class Formed:
    pair_id: int
    mentor_name: str
    mentee_names: list[str]  # everyone in the pair or group now
    joined_group: bool


async def form(
    session: AsyncSession,
    actor: Actor,
    *,
    mentee_id: int,
    mentor_id: int,
    group_pair_id: int | None,
    order_number: str | None,
    order_date: dt.date | None,
    clock: Clock,
) -> Formed:
    """Form a pair (or add the mentee to the mentor's group) and queue the introductions."""
    now = clock.now()
    # Lock the mentee so two curators cannot pair the same person at once.
    await session.execute(
        select(Participant.id).where(Participant.id == mentee_id).with_for_update()
    )
    mentee = await mentee_in_scope(session, actor, mentee_id)
    if not await is_unmatched(session, mentee.id):
        raise DomainError("matching.already_paired")
    mentor = await _mentor_for(session, mentee, mentor_id)
    assert mentee.school_id is not None and mentee.school is not None
    zone = mentee.school.timezone
    today = local_today(now, zone)
    await programmes.for_school(session, mentee.school_id, today)
    joined = False
    if group_pair_id:
        pair = next(
            (
                p
                for p in await _groups(session, mentor.id, mentee.school_id)
                if p.id == group_pair_id
            ),
            None,
        )
        if pair is None:
            raise DomainError("matching.group_gone")
        joined = True
        if order_number is not None:
            pair.order_number, pair.order_date = order_number, order_date
    else:
        pair = Pair(
            school_id=mentee.school_id,
            mentor_id=mentor.id,
            status=PairStatus.ACTIVE,
            next_kind=MeetingKind.INTRO,
            stage_since=now,
            formed_at=now,
            formed_by_id=actor.participant_id,
            order_number=order_number,
            order_date=order_date,
        )
        session.add(pair)
        await session.flush()
    member = PairMember(pair_id=pair.id, mentee_id=mentee.id, joined_at=now)
    session.add(member)
    await session.flush()
    rules = await programmes.send_rules(session, mentee.school_id, today)
    due = next_allowed(now, rules, days_off_count=False)
    for recipient in (mentor.id, mentee.id):
        await outbox.enqueue(
            session,
            recipient_id=recipient,
            kind=Kind.PAIR_INTRO,
            due_at=due,
            now=now,
            dedupe_key=f"pair.intro:{pair.id}:{mentee.id}:{recipient}",
            payload={"pair_id": pair.id, "mentee_id": mentee.id},
            pair_id=pair.id,
        )
    audit.record(
        session,
        now,
        "pair.joined" if joined else "pair.formed",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()
    await session.refresh(pair, ["members"])
    return Formed(
        pair_id=pair.id,
        mentor_name=mentor.full_name or "",
        mentee_names=[m.mentee.full_name or "" for m in _shown_members(pair)],
        joined_group=joined,
    )


# --- ending, pausing -------------------------------------------------------------------


def _live_or_refuse(pair: Pair) -> None:
    if pair.status not in LIVE_PAIR:
        raise DomainError("pairs.closed")


async def end(session: AsyncSession, actor: Actor, pair_id: int, reason: str, clock: Clock) -> None:
    """End a pair early: its pending messages and future meetings are cancelled, and
    both sides are told (with the reason)."""
    now = clock.now()
    reason = clean_reason(reason)
    loaded = await pair_in_scope(session, actor, pair_id)
    pair = loaded.pair
    _live_or_refuse(pair)
    pair.status = PairStatus.ENDED
    pair.ended_at = now
    pair.end_reason = reason
    pair.paused_until = None
    upcoming = await session.scalars(
        select(Meeting).where(
            Meeting.pair_id == pair.id,
            Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]),
        )
    )
    for meeting in upcoming:
        meeting.status = MeetingStatus.CANCELLED
        await outbox.cancel_for_meeting(session, meeting.id)
    await outbox.cancel_for_pair(session, pair.id)
    rules = await programmes.send_rules(session, pair.school_id, local_today(now, loaded.zone))
    due = next_allowed(now, rules, days_off_count=False)
    for recipient in [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]:
        await outbox.enqueue(
            session,
            recipient_id=recipient,
            kind=Kind.PAIR_ENDED,
            due_at=due,
            now=now,
            dedupe_key=f"pair.ended:{pair.id}:{recipient}",
            payload={"pair_id": pair.id},
            pair_id=pair.id,
        )
    audit.record(
        session,
        now,
        "pair.ended",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()


def pause_options(today: dt.date) -> list[tuple[int, dt.date]]:
    return [(weeks, today + dt.timedelta(weeks=weeks)) for weeks in (1, 2, 4)]


async def pause(
    session: AsyncSession, actor: Actor, pair_id: int, until: dt.date, clock: Clock
) -> dt.date:
    """Pause a pair until a date (nudges wait; they resume on that date)."""
    now = clock.now()
    loaded = await pair_in_scope(session, actor, pair_id)
    pair = loaded.pair
    _live_or_refuse(pair)
    today = local_today(now, loaded.zone)
    if until <= today:
        raise DomainError("pairs.pause.past")
    if until > today + dt.timedelta(days=MAX_PAUSE_DAYS):
        raise DomainError("pairs.pause.too_far", days=MAX_PAUSE_DAYS)
    pair.status = PairStatus.PAUSED
    pair.paused_until = until
    await session.execute(
        update(Outbox)
        .where(
            Outbox.pair_id == pair.id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.kind.in_(NUDGE_KINDS),
        )
        .values(status=OutboxStatus.CANCELLED)
    )
    audit.record(
        session,
        now,
        "pair.paused",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()
    return until


async def resume(session: AsyncSession, actor: Actor, pair_id: int, clock: Clock) -> None:
    """Lift a pause now. paused_until keeps today's date: the silence and stage clocks
    restart from it, so a pair back from a pause is not «застой» at once."""
    now = clock.now()
    loaded = await pair_in_scope(session, actor, pair_id)
    pair = loaded.pair
    if pair.status != PairStatus.PAUSED:
        raise DomainError("pairs.not_paused")
    pair.status = PairStatus.ACTIVE
    pair.paused_until = local_today(now, loaded.zone)
    audit.record(
        session,
        now,
        "pair.resumed",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()


# --- what the notices need -------------------------------------------------------------


@dataclass(frozen=True)
class Intro:
    """An introduction, as seen by one recipient."""

    to_mentor: bool
    other: Person
    mentee: Participant
    mentor: Participant
    school_name: str
    deficits: list[str]
    request_text: str | None
    group_size: int
    order_number: str | None
    order_date: dt.date | None


async def intro(
    session: AsyncSession, pair_id: int, mentee_id: int, recipient_id: int
) -> Intro | None:
    """None when it no longer makes sense to send (the pair ended, someone left)."""
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.status not in LIVE_PAIR:
        return None
    member = next((m for m in pair.active_members if m.mentee_id == mentee_id), None)
    if member is None:
        return None
    mentee, mentor = member.mentee, pair.mentor
    if mentee.telegram_id is None or mentor.telegram_id is None:
        return None
    if recipient_id not in (mentor.id, mentee.id):
        return None
    school = await session.get(School, pair.school_id)
    to_mentor = recipient_id == mentor.id
    return Intro(
        to_mentor=to_mentor,
        other=_person(mentee if to_mentor else mentor),
        mentee=mentee,
        mentor=mentor,
        school_name=school.name if school else "",
        deficits=await catalogue.titles(session, mentee.marks(CatalogueKind.DEFICIT)),
        request_text=mentee.mentee_profile.request_text if mentee.mentee_profile else None,
        group_size=len(pair.active_members),
        order_number=pair.order_number,
        order_date=pair.order_date,
    )


@dataclass(frozen=True)
class Ended:
    others: list[str]
    reason: str
    to_mentor: bool


async def ended(session: AsyncSession, pair_id: int, recipient_id: int) -> Ended | None:
    pair = await session.get(Pair, pair_id)
    if pair is None or pair.status != PairStatus.ENDED:
        return None
    to_mentor = recipient_id == pair.mentor_id
    if to_mentor:
        others = [m.mentee.full_name for m in _shown_members(pair)]
    else:
        others = [pair.mentor.full_name]
    return Ended([o for o in others if o], pair.end_reason or "", to_mentor)
