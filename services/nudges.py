"""Nudges the scheduler plans periodically: a silent pair (no meetings for too long) is
reminded, then escalated to the curator a week later; a stage stuck too long is reported
to the curator; feedback not given after its reminders is marked missing.

Planning only writes outbox rows with dedupe keys, so running it twice (or on two
instances) writes nothing new. Each call is one use case and commits once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, and_, cast, exists, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Feedback,
    FeedbackStatus,
    MeetingKind,
    MeetingStatus,
    Outbox,
    OutboxStatus,
    Pair,
    PairStatus,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from models.pairs import Meeting
from services import outbox, programmes
from services.clock import SendRules, local_midnight, local_today, next_allowed
from services.feedback_requests import MISSING_AFTER
from services.outbox import Kind

# The curator hears about a silent pair this long after the pair itself was nudged.
ESCALATE_AFTER = dt.timedelta(days=7)
UPCOMING = (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)


# --- who is told about a pair ---------------------------------------------------------


async def overseers(session: AsyncSession, school_id: int) -> list[int]:
    """The school's curators; if it has none, its municipality's coordinators."""
    live = and_(
        Participant.status == ParticipantStatus.ACTIVE, Participant.telegram_id.is_not(None)
    )
    curators = list(
        await session.scalars(
            select(Participant.id)
            .join(RoleGrant, RoleGrant.participant_id == Participant.id)
            .where(live, RoleGrant.role == Role.CURATOR, RoleGrant.school_id == school_id)
            .distinct()
            .order_by(Participant.id)
        )
    )
    if curators:
        return curators
    municipality_id = await session.scalar(
        select(School.municipality_id).where(School.id == school_id)
    )
    return list(
        await session.scalars(
            select(Participant.id)
            .join(RoleGrant, RoleGrant.participant_id == Participant.id)
            .where(
                live,
                RoleGrant.role == Role.COORDINATOR,
                RoleGrant.municipality_id == municipality_id,
            )
            .distinct()
            .order_by(Participant.id)
        )
    )


@dataclass(frozen=True)
class PairBrief:
    """A pair as the messages about it name it (names may be None once erased)."""

    pair_id: int
    status: PairStatus
    next_kind: MeetingKind | None
    stage_since: dt.datetime
    school_name: str
    zone: str
    mentor_id: int
    mentor_name: str | None
    mentees: list[tuple[int, str | None]]

    @property
    def member_ids(self) -> list[int]:
        return [self.mentor_id, *(m for m, _ in self.mentees)]

    def role_of(self, participant_id: int) -> Role | None:
        if participant_id == self.mentor_id:
            return Role.MENTOR
        if any(m == participant_id for m, _ in self.mentees):
            return Role.MENTEE
        return None


async def pair_brief(session: AsyncSession, pair_id: int) -> PairBrief | None:
    pair = await session.get(Pair, pair_id)
    if pair is None:
        return None
    school = await session.get(School, pair.school_id)
    assert school is not None
    return PairBrief(
        pair_id=pair.id,
        status=pair.status,
        next_kind=pair.next_kind,
        stage_since=pair.stage_since,
        school_name=school.name,
        zone=school.timezone,
        mentor_id=pair.mentor_id,
        mentor_name=pair.mentor.full_name,
        mentees=[(m.mentee_id, m.mentee.full_name) for m in pair.active_members],
    )


# --- silence ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Silence:
    since: dt.datetime  # the last held meeting, the forming of the pair, or the pause's end
    days: int


async def last_held(
    session: AsyncSession, pair_ids: list[int] | None = None
) -> dict[int, dt.datetime]:
    stmt = (
        select(Meeting.pair_id, func.max(Meeting.starts_at))
        .where(Meeting.status == MeetingStatus.HELD)
        .group_by(Meeting.pair_id)
    )
    if pair_ids is not None:
        stmt = stmt.where(Meeting.pair_id.in_(pair_ids))
    return {pid: at for pid, at in await session.execute(stmt)}  # noqa: C416


async def _with_upcoming(
    session: AsyncSession, now: dt.datetime, pair_ids: list[int] | None = None
) -> set[int]:
    stmt = select(Meeting.pair_id).where(Meeting.status.in_(UPCOMING), Meeting.starts_at >= now)
    if pair_ids is not None:
        stmt = stmt.where(Meeting.pair_id.in_(pair_ids))
    return set(await session.scalars(stmt.distinct()))


def _silence_start(pair: Pair, held: dt.datetime | None, zone: str) -> dt.datetime:
    anchors = [pair.formed_at]
    if held is not None:
        anchors.append(held)
    if pair.paused_until is not None:
        # Time on pause is not silence: counting restarts when the pause ends.
        anchors.append(local_midnight(pair.paused_until, zone).astimezone(dt.UTC))
    return max(anchors)


async def silence(session: AsyncSession, pair_id: int, now: dt.datetime) -> Silence | None:
    """How long the pair has been silent, or None if a meeting is coming up."""
    pair = await session.get(Pair, pair_id)
    if pair is None or await _with_upcoming(session, now, [pair_id]):
        return None
    school = await session.get(School, pair.school_id)
    assert school is not None
    held = (await last_held(session, [pair_id])).get(pair_id)
    since = _silence_start(pair, held, school.timezone)
    return Silence(since=since, days=max(0, (now - since).days))


# --- the periodic jobs --------------------------------------------------------------------


async def plan(session: AsyncSession, now: dt.datetime) -> int:
    """Write the nudges due by now for every live pair; returns the rows added."""
    before = await _count_rows(session)
    await _resume_paused(session, now)
    pairs = list(
        await session.scalars(
            select(Pair)
            .where(Pair.status == PairStatus.ACTIVE, Pair.next_kind.is_not(None))
            .order_by(Pair.id)
        )
    )
    held_at = await last_held(session)
    upcoming = await _with_upcoming(session, now)
    schools: dict[int, tuple[School, SendRules, int, int, list[int]]] = {}
    for pair in pairs:
        if pair.school_id not in schools:
            school = await session.get(School, pair.school_id)
            assert school is not None
            today = local_today(now, school.timezone)
            programme = await programmes.for_school(session, school.id, today)
            rules = await programmes.send_rules(session, school.id, today)
            schools[pair.school_id] = (
                school,
                rules,
                programme.silent_after_days,
                programme.stage_stuck_days,
                await overseers(session, school.id),
            )
        school, rules, silent_days, stuck_days, staff = schools[pair.school_id]
        due = next_allowed(now, rules)
        held = held_at.get(pair.id)
        silent = pair.id not in upcoming and now - _silence_start(
            pair, held, school.timezone
        ) >= dt.timedelta(days=silent_days)
        if silent:
            await _nudge_silent(session, pair, held, school.timezone, staff, now, due)
        else:
            # A silent pair's stage is stuck by definition; its own escalation covers it.
            await _report_stuck(session, pair, held, school.timezone, stuck_days, staff, now, due)
    await session.commit()
    return await _count_rows(session) - before


async def _count_rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Outbox)) or 0)


async def _resume_paused(session: AsyncSession, now: dt.datetime) -> None:
    paused = await session.scalars(select(Pair).where(Pair.status == PairStatus.PAUSED))
    for pair in paused:
        school = await session.get(School, pair.school_id)
        assert school is not None
        today = local_today(now, school.timezone)
        if pair.paused_until is not None and pair.paused_until <= today:
            # paused_until stays: the silence is counted from it (see _silence_start).
            pair.status = PairStatus.ACTIVE
    await session.flush()


async def _nudge_silent(
    session: AsyncSession,
    pair: Pair,
    held: dt.datetime | None,
    zone: str,
    staff: list[int],
    now: dt.datetime,
    due: dt.datetime,
) -> None:
    since = _silence_start(pair, held, zone)
    period = f"{pair.id}:{since.date().isoformat()}"
    payload = {"pair_id": pair.id, "since": since.isoformat()}
    for participant_id in [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]:
        await outbox.enqueue(
            session,
            recipient_id=participant_id,
            kind=Kind.PAIR_SILENT,
            now=now,
            due_at=due,
            dedupe_key=f"silent:{period}:{participant_id}",
            payload=payload,
            pair_id=pair.id,
        )
    # Escalate only once the pair itself has had a week to react to its nudge.
    nudged_at = await session.scalar(
        select(Outbox.due_at).where(Outbox.dedupe_key == f"silent:{period}:{pair.mentor_id}")
    )
    if nudged_at is None or now - nudged_at < ESCALATE_AFTER:
        return
    for curator_id in staff:
        await outbox.enqueue(
            session,
            recipient_id=curator_id,
            kind=Kind.PAIR_SILENT_CURATOR,
            now=now,
            due_at=due,
            dedupe_key=f"silent:{period}:cur:{curator_id}",
            payload=payload,
            pair_id=pair.id,
        )


def stage_anchor(pair: Pair, held: dt.datetime | None, zone: str) -> dt.datetime:
    """Since when the pair has been at its stage. Regular meetings repeat, so a held
    meeting keeps that stage moving; a pause does not count."""
    anchors = [pair.stage_since]
    if pair.next_kind == MeetingKind.REGULAR and held is not None:
        anchors.append(held)
    if pair.paused_until is not None:
        anchors.append(local_midnight(pair.paused_until, zone).astimezone(dt.UTC))
    return max(anchors)


async def _report_stuck(
    session: AsyncSession,
    pair: Pair,
    held: dt.datetime | None,
    zone: str,
    stuck_days: int,
    staff: list[int],
    now: dt.datetime,
    due: dt.datetime,
) -> None:
    since = stage_anchor(pair, held, zone)
    if pair.next_kind is None or now - since < dt.timedelta(days=stuck_days):
        return
    for curator_id in staff:
        await outbox.enqueue(
            session,
            recipient_id=curator_id,
            kind=Kind.PAIR_STUCK_CURATOR,
            now=now,
            due_at=due,
            dedupe_key=(
                f"stuck:{pair.id}:{pair.next_kind.value}:{since.date().isoformat()}:{curator_id}"
            ),
            payload={"pair_id": pair.id, "kind": pair.next_kind.value, "since": since.isoformat()},
            pair_id=pair.id,
        )


async def mark_missing(session: AsyncSession, now: dt.datetime) -> int:
    """Feedback still not given MISSING_AFTER its deadline, with no reminder left to
    send, becomes «не дана» (it shows in the digest). Returns how many."""
    pending_reminder = exists().where(
        Outbox.dedupe_key == literal("fb:") + cast(Feedback.id, String) + literal(":remind:2"),
        Outbox.status == OutboxStatus.PENDING,
    )
    result = await session.execute(
        update(Feedback)
        .where(
            Feedback.status == FeedbackStatus.REQUESTED,
            Feedback.due_at <= now - MISSING_AFTER,
            ~pending_reminder,
        )
        .values(status=FeedbackStatus.MISSING)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
