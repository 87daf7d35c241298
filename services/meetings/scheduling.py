"""Scheduling a meeting: proposing, confirming, moving (or counter-proposing) and
cancelling it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingFormat, MeetingKind, MeetingStatus, Pair
from services import audit, outbox
from services.clock import Clock
from services.errors import DomainError
from services.meetings.access import meeting_of_member, pair_of_member, require_live, zone_of
from services.meetings.checks import require_movable
from services.meetings.outbox_rows import notify, pair_send_rules, sequence_of, write_reminders
from services.meetings.parsing import clean_link, clean_place
from services.meetings.reading import OPEN, MeetingInfo, allowed_kinds, info, open_meeting
from services.outbox import Kind

# The dialog was opened with no meeting; one was proposed before «Отправить».
PROPOSED_MEANWHILE = "meeting.error.proposed_meanwhile"


async def schedule(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    pair_id: int,
    *,
    kind: MeetingKind,
    starts_at: dt.datetime,
    fmt: MeetingFormat | None,
    place: str | None,
) -> MeetingInfo:
    """A proposal from the mentor or a mentee; the others confirm it."""
    now = clock.now()
    # Both sides may press «Отправить» at once: the pair's row lock makes the second
    # wait for the first to commit, and then see its meeting (SQLite has no row locks:
    # there the unique index on open meetings refuses the second, below).
    await session.execute(select(Pair.id).where(Pair.id == pair_id).with_for_update())
    pair = await pair_of_member(session, participant_id, pair_id)
    assert participant_id is not None
    require_live(pair)
    if await open_meeting(session, pair.id) is not None:
        raise DomainError(PROPOSED_MEANWHILE)
    if kind not in await allowed_kinds(session, pair, participant_id):
        raise DomainError("meeting.error.wrong_kind")
    if starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    if place is not None:
        place = clean_link(place) if fmt == MeetingFormat.ONLINE else clean_place(place)
    if kind == MeetingKind.FINAL and pair.next_kind != MeetingKind.FINAL:
        pair.next_kind = MeetingKind.FINAL  # the mentor moves the pair on
        pair.stage_since = now
    meeting = Meeting(
        pair_id=pair.id,
        kind=kind,
        status=MeetingStatus.PROPOSED,
        starts_at=starts_at,
        format=fmt,
        place=place,
        created_by_id=participant_id,
        created_at=now,
    )
    session.add(meeting)
    try:
        await session.flush()
    except IntegrityError as exc:
        if not _open_meeting_clash(exc):
            raise
        await session.rollback()
        raise DomainError(PROPOSED_MEANWHILE) from None
    rules = await pair_send_rules(session, pair, now)
    await notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_PROPOSED,
        tag="proposed",
        actor_id=participant_id,
        seq=0,
        now=now,
        rules=rules,
    )
    await write_reminders(session, meeting, pair, seq=0, now=now, rules=rules)
    audit.record(
        session,
        now,
        "meeting.schedule",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, rules.zone, sequence=0)  # just proposed


def _open_meeting_clash(exc: IntegrityError) -> bool:
    # PostgreSQL names the index; SQLite names the column.
    text = str(exc.orig)
    return "uq_meetings_open_pair_id" in text or "meetings.pair_id" in text


async def confirm(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> tuple[MeetingInfo, bool]:
    """The other side agrees to the proposed time. Returns the meeting and whether it
    had been confirmed already (by another member of a group)."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    zone = await zone_of(session, pair)
    if meeting.status == MeetingStatus.CONFIRMED:
        return await info(session, meeting, zone), True
    if meeting.status != MeetingStatus.PROPOSED:
        raise DomainError("meeting.error.not_open")
    if meeting.created_by_id == participant_id:
        raise DomainError("meeting.error.own_proposal")
    if meeting.starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    meeting.status = MeetingStatus.CONFIRMED
    seq = await sequence_of(session, meeting.id)
    await notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_CONFIRMED,
        tag="confirmed",
        actor_id=participant_id,
        seq=seq,
        now=now,
        rules=await pair_send_rules(session, pair, now),
    )
    await session.commit()
    return await info(session, meeting, zone), False


async def reschedule(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    meeting_id: int,
    starts_at: dt.datetime,
    *,
    counter: bool = False,
) -> MeetingInfo:
    """A new time: «Перенести» (any open meeting) or «Предложить другое время» (a
    proposal made by someone else). Old reminders are cancelled and new ones written;
    the others get the new time to confirm."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    require_movable(meeting, pair, participant_id, counter)
    if starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    seq = await sequence_of(session, meeting.id) + 1
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.starts_at = starts_at
    meeting.status = MeetingStatus.PROPOSED
    meeting.created_by_id = participant_id
    rules = await pair_send_rules(session, pair, now)
    await notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_COUNTER if counter else Kind.MEETING_MOVED,
        tag="counter" if counter else "moved",
        actor_id=participant_id,
        seq=seq,
        now=now,
        rules=rules,
    )
    await write_reminders(session, meeting, pair, seq=seq, now=now, rules=rules)
    audit.record(
        session,
        now,
        "meeting.move",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, rules.zone)


async def cancel(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> tuple[MeetingInfo, bool]:
    """Cancel an open meeting. Returns it and whether it had been confirmed (then both
    sides had a calendar event that must now be removed)."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    was_confirmed = meeting.status == MeetingStatus.CONFIRMED
    seq = await sequence_of(session, meeting.id)
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.status = MeetingStatus.CANCELLED
    meeting.logged_at = now
    await notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_CANCELLED,
        tag="cancelled",
        actor_id=participant_id,
        seq=seq,
        now=now,
        rules=await pair_send_rules(session, pair, now),
        # Only a confirmed meeting was sent as a calendar file, so only it needs removing.
        extra={"ics": was_confirmed},
    )
    audit.record(
        session,
        now,
        "meeting.cancel",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair)), was_confirmed
