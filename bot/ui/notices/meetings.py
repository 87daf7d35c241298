"""Meeting notices (proposed, confirmed, moved, cancelled, a counter-proposal, the
reminders a day and an hour ahead, «Встреча состоялась?») and the pieces the meeting
handlers share with them: how a meeting reads, its buttons, its calendar file."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.callbacks import MeetingCb, MeetingDurationCb
from bot.ui.notices import Notice, Renderer
from bot.ui.render import free_text
from models import Meeting, MeetingFormat, MeetingKind, MeetingStatus, Outbox, Pair, Participant
from services import ics, meetings
from services.meetings import OPEN, MeetingInfo
from services.outbox import Kind

# --- how a meeting reads ---------------------------------------------------------------


def kind_name(kind: MeetingKind | str) -> str:
    return t(f"meeting.kind.{MeetingKind(kind).value}")


def status_name(info: MeetingInfo) -> str:
    if info.skip_reason:
        return t("meeting.status.skipped")
    return t(f"meeting.status.{info.status.value}")


def when(at: dt.datetime, zone: str) -> str:
    local = at.astimezone(zoneinfo.ZoneInfo(zone))
    return t(
        "meeting.when",
        weekday=t(f"meeting.weekday.{local.isoweekday()}"),
        date=local.strftime("%d.%m.%Y"),
        time=local.strftime("%H:%M"),
    )


def day_text(day: dt.date) -> str:
    return t(
        "meeting.day",
        weekday=t(f"meeting.weekday.{day.isoweekday()}"),
        date=day.strftime("%d.%m.%Y"),
    )


def utc_offset(zone: str, at: dt.datetime) -> str:
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or dt.timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
    return f"UTC{hours:+d}" + (f":{rest:02d}" if rest else "")


def where(fmt: MeetingFormat | None, place: str | None) -> str:
    if fmt is None:
        return ""
    if place:
        # The online link is the meeting's own and stays a link; a typed room does not.
        shown = place if fmt == MeetingFormat.ONLINE else free_text(place)
        return t(f"meeting.where.{fmt.value}", place=shown)
    return t(f"meeting.where.{fmt.value}_bare")


def block(info: MeetingInfo) -> Html:
    """The meeting in a few lines: kind, local date and time, place or link."""
    lines = [
        t("meeting.block.kind", kind=kind_name(info.kind)),
        t("meeting.block.when", when=when(info.starts_at, info.zone)),
    ]
    place = where(info.format, info.place)
    if place:
        lines.append(place)
    return Html("\n".join(lines))


def names(items: list[str]) -> str:
    return ", ".join(items) or "—"


# --- buttons -------------------------------------------------------------------------


def proposal_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.confirm"),
        callback_data=MeetingCb(action="confirm", meeting_id=meeting_id),
    )
    kb.button(
        text=t("meeting.button.counter"),
        callback_data=MeetingCb(action="counter", meeting_id=meeting_id),
    )
    kb.adjust(1)
    return kb.as_markup()


def happened_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.yes"), callback_data=MeetingCb(action="yes", meeting_id=meeting_id)
    )
    kb.button(
        text=t("meeting.button.move"), callback_data=MeetingCb(action="move", meeting_id=meeting_id)
    )
    kb.button(
        text=t("meeting.button.no"), callback_data=MeetingCb(action="no", meeting_id=meeting_id)
    )
    kb.adjust(1, 2)
    return kb.as_markup()


def durations_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for minutes in meetings.DURATIONS:
        kb.button(
            text=t("meeting.button.minutes", n=minutes),
            callback_data=MeetingDurationCb(meeting_id=meeting_id, minutes=minutes),
        )
    kb.adjust(4)
    return kb.as_markup()


def move_cancel_markup(meeting_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("meeting.button.move"), callback_data=MeetingCb(action="move", meeting_id=meeting_id)
    )
    kb.button(
        text=t("meeting.button.cancel"),
        callback_data=MeetingCb(action="cancel", meeting_id=meeting_id),
    )
    kb.adjust(2)
    return kb.as_markup()


# --- calendar files ------------------------------------------------------------------


def ics_file(info: MeetingInfo, stamp: dt.datetime, *, cancel: bool = False) -> tuple[str, bytes]:
    event = ics.IcsEvent(
        meeting_id=info.id,
        starts_at=info.starts_at,
        summary=kind_name(info.kind),
        sequence=info.sequence + (1 if cancel else 0),
        duration_min=info.duration_min,
        format=info.format,
        place=info.place,
        description=t("meeting.ics.description"),
    )
    return ics.filename(info.id), ics.build(event, stamp=stamp, cancel=cancel)


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
