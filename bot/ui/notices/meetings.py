"""Meeting notices: proposed, confirmed, moved, cancelled, a counter-proposal, the
reminders a day and an hour ahead, «Встреча состоялась?»."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.notices.base import Notice, Renderer
from bot.ui.people import names
from bot.ui.views.meeting import (
    block,
    happened_markup,
    ics_file,
    move_cancel_markup,
    proposal_markup,
)
from models import Meeting, MeetingStatus, Outbox, Pair, Participant
from services import meetings
from services.meetings import OPEN, MeetingInfo
from services.outbox import Kind

# --- renderers -----------------------------------------------------------------------


async def _load(session: AsyncSession, row: Outbox) -> tuple[MeetingInfo, Pair] | tuple[None, None]:
    meeting = await session.get(Meeting, int(row.payload["meeting_id"]))
    if meeting is None:
        return None, None
    pair = await session.get(Pair, meeting.pair_id)
    # A person who left the pair hears nothing more about its meetings.
    if pair is None or meetings.role_in(pair, row.recipient_id) is None:
        return None, None
    return await meetings.info(session, meeting, await meetings.zone_of(session, pair)), pair


async def _name(session: AsyncSession, participant_id: Any) -> str:
    person = await session.get(Participant, int(participant_id)) if participant_id else None
    return (person.full_name if person else None) or t("meeting.someone")


def _others(pair: Pair, participant_id: int) -> str:
    if pair.mentor_id == participant_id:
        return names([m.mentee.full_name or "—" for m in pair.active_members])
    return pair.mentor.full_name or "—"


async def _proposal(session: AsyncSession, row: Outbox, key: str) -> Notice | None:
    info, pair = await _load(session, row)
    if info is None or pair is None or info.status != MeetingStatus.PROPOSED:
        return None
    if info.sequence != int(row.payload.get("seq", 0)):
        return None  # a newer time is on the table
    text = t(key, name=await _name(session, row.payload.get("by")), meeting=block(info))
    return Notice(text, reply_markup=proposal_markup(info.id))


async def proposed(session: AsyncSession, row: Outbox) -> Notice | None:
    return await _proposal(session, row, "meeting.notice.proposed")


async def counter(session: AsyncSession, row: Outbox) -> Notice | None:
    return await _proposal(session, row, "meeting.notice.counter")


async def moved(session: AsyncSession, row: Outbox) -> Notice | None:
    return await _proposal(session, row, "meeting.notice.moved")


async def confirmed(session: AsyncSession, row: Outbox) -> Notice | None:
    info, _ = await _load(session, row)
    if info is None or info.status != MeetingStatus.CONFIRMED:
        return None
    text = t(
        "meeting.notice.confirmed",
        name=await _name(session, row.payload.get("by")),
        meeting=block(info),
    )
    return Notice(text, document=ics_file(info, row.created_at))


async def cancelled(session: AsyncSession, row: Outbox) -> Notice | None:
    info, _ = await _load(session, row)
    if info is None or info.status != MeetingStatus.CANCELLED:
        return None
    name = await _name(session, row.payload.get("by"))
    if not row.payload.get("ics", True):
        return Notice(t("meeting.notice.cancelled_proposal", name=name, meeting=block(info)))
    text = t("meeting.notice.cancelled", name=name, meeting=block(info))
    # The cancellation file removes the event from a calendar it was added to.
    return Notice(text, document=ics_file(info, row.created_at, cancel=True))


async def _reminder(session: AsyncSession, row: Outbox, key: str) -> Notice | None:
    info, pair = await _load(session, row)
    if info is None or pair is None or info.status not in OPEN:
        return None
    text = t(key, meeting=block(info), others=_others(pair, row.recipient_id))
    if info.status == MeetingStatus.PROPOSED:
        text += "\n\n" + t("meeting.notice.unconfirmed")
    markup = move_cancel_markup(info.id) if info.status in OPEN else None
    return Notice(text, reply_markup=markup)


async def remind_day(session: AsyncSession, row: Outbox) -> Notice | None:
    return await _reminder(session, row, "meeting.notice.remind_day")


async def remind_hour(session: AsyncSession, row: Outbox) -> Notice | None:
    return await _reminder(session, row, "meeting.notice.remind_hour")


async def did_it_happen(session: AsyncSession, row: Outbox) -> Notice | None:
    info, pair = await _load(session, row)
    if info is None or pair is None or info.status not in OPEN:
        return None
    text = t(
        "meeting.notice.happened",
        meeting=block(info),
        others=_others(pair, row.recipient_id),
    )
    return Notice(text, reply_markup=happened_markup(info.id))


RENDERERS: dict[str, Renderer] = {
    Kind.MEETING_PROPOSED: proposed,
    Kind.MEETING_COUNTER: counter,
    Kind.MEETING_MOVED: moved,
    Kind.MEETING_CONFIRMED: confirmed,
    Kind.MEETING_CANCELLED: cancelled,
    Kind.MEETING_REMIND_DAY: remind_day,
    Kind.MEETING_REMIND_HOUR: remind_hour,
    Kind.MEETING_DID_IT_HAPPEN: did_it_happen,
}
