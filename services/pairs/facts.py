"""A pair's facts from the database (meetings, feedback, fit, pauses) and its
programme's rules: what services.pairs.status judges."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Feedback, FeedbackStatus, Meeting, MeetingKind, MeetingStatus
from services import programmes
from services.clock import local_midnight, local_today
from services.pairs.loading import Loaded
from services.pairs.status import PairFacts, StatusRules

UNLOGGED_AFTER = dt.timedelta(hours=24)  # a past meeting nobody marked held or not


async def gather_facts(
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


async def rules_for(
    session: AsyncSession, school_ids: set[int], now: dt.datetime, zones: dict[int, str]
) -> dict[int, StatusRules]:
    rules = {}
    for school_id in school_ids:
        programme = await programmes.for_school(
            session, school_id, local_today(now, zones[school_id])
        )
        rules[school_id] = StatusRules.of(programme)
    return rules
