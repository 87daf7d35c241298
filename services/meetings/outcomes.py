"""Logging meetings: held (with its duration), not held, held without being scheduled
here, and its topic; a held one asks for feedback and moves the pair on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingKind, MeetingStatus, Pair, PairStatus
from services import audit, feedback_requests, fit, followups, outbox, programmes
from services.clock import Clock, local_today
from services.errors import DomainError
from services.meetings.access import (
    meeting_of_member,
    pair_of_member,
    require_live,
    require_mentor,
    zone_of,
)
from services.meetings.checks import require_loggable
from services.meetings.cycle import advance
from services.meetings.parsing import clean_topic
from services.meetings.reading import OPEN, MeetingInfo, allowed_kinds, info
from services.surveys import planning as survey_planning

DURATIONS = (30, 45, 60, 90)


@dataclass(frozen=True)
class Logged:
    """A meeting just logged as held, and the kind the pair meets for next (None: the
    pair has completed the programme): what the reply says, without reading the pair
    again after the commit."""

    meeting: MeetingInfo
    next_kind: MeetingKind | None


async def _after_held(
    session: AsyncSession, meeting: Meeting, pair: Pair, now: dt.datetime, logger: int
) -> None:
    """Feedback from everyone, the fit question after the trial meeting, the next stage.
    One question at a time: the one who logged it is asked the topic first, and after
    the trial meeting everyone is asked the fit before the feedback."""
    today = local_today(now, await zone_of(session, pair))
    programme = await programmes.for_school(session, pair.school_id, today)
    rules = await programmes.send_rules(session, pair.school_id, today)
    before = {logger: 1}  # the topic
    if meeting.kind == MeetingKind.TRIAL:
        await fit.ask_after_trial(
            session, pair, meeting, now=now, rules=rules, questions_before=before
        )
        members = [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]
        before = {p: before.get(p, 0) + 1 for p in members}
    await feedback_requests.request_for_meeting(
        session,
        meeting,
        pair,
        now=now,
        deadline_hours=programme.feedback_deadline_hours,
        rules=rules,
        questions_before=before,
    )
    advance(pair, meeting.kind, now)
    if meeting.kind == MeetingKind.FINAL and pair.status == PairStatus.COMPLETED:
        await _open_final_round(session, pair, now)


async def _open_final_round(session: AsyncSession, pair: Pair, now: dt.datetime) -> None:
    """The final round opens for the pair at once, not at the next planning tick. On
    PostgreSQL inside a savepoint: should a tick invite the same person at the same
    moment (a unique response per round, person and role), the meeting is still logged
    and the tick's invitation stands."""
    if session.get_bind().dialect.name != "postgresql":  # one writer at a time: no race
        await survey_planning.open_final_for_pair(session, pair, now)
        return
    try:
        async with session.begin_nested():
            await survey_planning.open_final_for_pair(session, pair, now)
    except IntegrityError:
        pass


async def log_held(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    meeting_id: int,
    duration_min: int,
) -> Logged:
    """«Да» → duration: the meeting took place."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    require_loggable(meeting, pair, participant_id, now)
    if duration_min not in DURATIONS:
        raise DomainError("meeting.error.duration")
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.status = MeetingStatus.HELD
    meeting.duration_min = duration_min
    meeting.logged_at = now
    await _after_held(session, meeting, pair, now, logger=pair.mentor_id)
    audit.record(
        session,
        now,
        "meeting.held",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return Logged(await info(session, meeting, await zone_of(session, pair)), pair.next_kind)


async def log_not_held(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    """«Не состоялась»: the kind stays the next one."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    require_mentor(pair, participant_id)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    if meeting.starts_at > now:
        raise DomainError("meeting.error.not_yet")
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.status = MeetingStatus.NOT_HELD
    meeting.logged_at = now
    audit.record(
        session,
        now,
        "meeting.not_held",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair))


async def log_unscheduled(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    pair_id: int,
    *,
    kind: MeetingKind,
    starts_at: dt.datetime,
    duration_min: int,
) -> Logged:
    """«Записать встречу»: a meeting that took place without being scheduled here."""
    now = clock.now()
    pair = await pair_of_member(session, participant_id, pair_id)
    require_mentor(pair, participant_id)
    assert participant_id is not None
    require_live(pair)
    if kind not in await allowed_kinds(session, pair, participant_id):
        raise DomainError("meeting.error.wrong_kind")
    if starts_at > now:
        raise DomainError("meeting.error.future_log")
    if duration_min not in DURATIONS:
        raise DomainError("meeting.error.duration")
    meeting = Meeting(
        pair_id=pair.id,
        kind=kind,
        status=MeetingStatus.HELD,
        starts_at=starts_at,
        duration_min=duration_min,
        created_by_id=participant_id,
        logged_at=now,
        created_at=now,
    )
    session.add(meeting)
    await session.flush()
    await _after_held(session, meeting, pair, now, logger=pair.mentor_id)
    audit.record(
        session,
        now,
        "meeting.logged",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    logged = await info(session, meeting, await zone_of(session, pair), sequence=0)  # new
    return Logged(logged, pair.next_kind)


async def set_topic(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int, text: str
) -> MeetingInfo:
    """The optional step after logging: what the meeting was about. The next question
    (the fit or the feedback request) goes once it is answered."""
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    require_mentor(pair, participant_id)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("meeting.error.not_open")
    meeting.topic = clean_topic(text)
    await followups.release_next(session, participant_id, pair.id, clock.now())
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair))


async def skip_topic(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    """«Пропустить» at the topic: the next question goes now."""
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    await followups.release_next(session, participant_id, pair.id, clock.now())
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair))
