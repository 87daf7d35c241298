"""Club notices: an event's announcement (with «✅ Приду» / «Не смогу»), its change and
cancellation to those coming, a place from the waiting list (with the .ics), the
reminders, the post to the club's channel and the organiser's «бот не администратор»,
a curator's plain announcement to their school."""

from __future__ import annotations

import datetime as dt

from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.callbacks import ClubAction, ClubCb
from bot.ui.digest.export import plain
from bot.ui.notices.base import Notice, Renderer
from bot.ui.views import honor as honor_views
from bot.ui.views.club import event_block, event_ics, join_markup, rate_markup, rsvp_markup
from models import (
    ClubAnnouncement,
    ClubAttendance,
    ClubEvent,
    ClubEventStatus,
    ClubMaterial,
    ClubMember,
    ClubRsvp,
    HonorEntry,
    HonorStatus,
    Municipality,
    Outbox,
    Participant,
    RsvpStatus,
)
from services import portfolio, portfolio_doc
from services.access import Actor
from services.club.honor import stamp
from services.club.scope import zone_of
from services.outbox import Kind


async def _event(session: AsyncSession, row: Outbox) -> ClubEvent | None:
    return await session.get(ClubEvent, int(row.payload["event_id"]))


async def _block(session: AsyncSession, event: ClubEvent) -> str:
    return event_block(
        title=event.title,
        kind=event.kind,
        starts_at=event.starts_at,
        zone=await zone_of(session, event),
        place=event.place,
        audience=event.audience,
        capacity=event.capacity,
        description=event.description,
    )


async def _rsvp(session: AsyncSession, event_id: int, participant_id: int) -> RsvpStatus | None:
    return await session.scalar(
        select(ClubRsvp.status).where(
            ClubRsvp.event_id == event_id, ClubRsvp.participant_id == participant_id
        )
    )


def _upcoming(event: ClubEvent | None, now: dt.datetime) -> bool:
    return event is not None and event.status == ClubEventStatus.PUBLISHED and event.starts_at > now


async def announce(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    # A cancelled or past event is not announced late; the rendering time is ~now.
    # A cancelled event or one that started before its turn came is not announced.
    if not _upcoming(event, row.due_at) or event is None:
        return None
    text = t("club.notice.announce", event=Html(await _block(session, event)))
    return Notice(text, reply_markup=rsvp_markup(event.id))


async def changed(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    if event is None or event.status != ClubEventStatus.PUBLISHED:
        return None
    if event.version != int(row.payload.get("version", event.version)):
        return None  # a newer change follows with the latest details
    if await _rsvp(session, event.id, row.recipient_id) not in (
        RsvpStatus.GOING,
        RsvpStatus.WAITING,
    ):
        return None
    return Notice(
        t("club.notice.changed", event=Html(await _block(session, event))),
        reply_markup=rsvp_markup(event.id),
        attachment=event_ics(event, stamp=row.due_at),
        attachment_caption=t("club.ics.caption"),
    )


async def cancelled(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    if event is None or event.status != ClubEventStatus.CANCELLED:
        return None
    return Notice(
        t("club.notice.cancelled", event=Html(await _block(session, event))),
        attachment=event_ics(event, stamp=row.due_at, cancel=True),
        attachment_caption=t("club.ics.caption.cancel"),
    )


async def promoted(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    if event is None or event.status != ClubEventStatus.PUBLISHED:
        return None
    if await _rsvp(session, event.id, row.recipient_id) != RsvpStatus.GOING:
        return None
    return Notice(
        t("club.notice.promoted", event=Html(await _block(session, event))),
        reply_markup=rsvp_markup(event.id),
        attachment=event_ics(event, stamp=row.due_at),
        attachment_caption=t("club.ics.caption"),
    )


async def _remind(session: AsyncSession, row: Outbox, key: str) -> Notice | None:
    event = await _event(session, row)
    if event is None or event.status != ClubEventStatus.PUBLISHED:
        return None
    if event.starts_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M") != row.payload.get("at"):
        return None  # moved: the reminders of the new time come instead
    if await _rsvp(session, event.id, row.recipient_id) != RsvpStatus.GOING:
        return None
    return Notice(
        t(key, event=Html(await _block(session, event))), reply_markup=rsvp_markup(event.id)
    )


async def remind_day(session: AsyncSession, row: Outbox) -> Notice | None:
    return await _remind(session, row, "club.notice.remind.day")


async def remind_hour(session: AsyncSession, row: Outbox) -> Notice | None:
    return await _remind(session, row, "club.notice.remind.hour")


async def channel_post(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    if event is None or event.status != ClubEventStatus.PUBLISHED:
        return None
    return Notice(
        t("club.notice.channel", event=Html(await _block(session, event))),
        to_chat=int(row.payload["chat_id"]),
        refused_kind=Kind.CLUB_CHANNEL_REFUSED,
    )


async def channel_refused(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    if event is None:
        return None
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("club.button.repost"),
        callback_data=ClubCb(action=ClubAction.REPOST, event_id=event.id),
    )
    return Notice(
        t("club.notice.channel_refused", title=event.title),
        reply_markup=kb.as_markup(),
    )


async def school_note(session: AsyncSession, row: Outbox) -> Notice | None:
    note = await session.get(ClubAnnouncement, int(row.payload["note_id"]))
    if note is None or not (note.text or note.file_id):
        return None  # the author withdrew: their text and file are gone
    key = "club.notice.school_note" if note.school_id else "club.notice.club_note"
    text = t(key, text=note.text or "")
    if note.file_kind == "photo":
        return Notice(text, photo_id=note.file_id)
    if note.file_kind == "document":
        return Notice(text, document_id=note.file_id)
    return Notice(text)


async def rate(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    if event is None:
        return None
    found = await session.get(ClubAttendance, (event.id, row.recipient_id))
    if found is None or found.rating is not None:
        return None  # unmarked meanwhile, or rated already
    return Notice(t("club.notice.rate", title=event.title), reply_markup=rate_markup(event.id))


async def material(session: AsyncSession, row: Outbox) -> Notice | None:
    event = await _event(session, row)
    found = await session.get(ClubMaterial, int(row.payload["material_id"]))
    if event is None or found is None:
        return None
    return Notice(
        t("club.notice.material", title=event.title, name=found.file_name),
        document_id=found.file_id,
    )


async def portfolio_document(session: AsyncSession, row: Outbox) -> Notice | None:
    """At completion: the mentee's «Портфолио достижений» (.docx)."""
    me = Actor(telegram_id=0, participant_id=row.recipient_id)
    record = await portfolio.record(session, me, row.recipient_id)
    return Notice(
        t("portfolio.doc.completed"),
        document=(t("portfolio.doc.filename"), portfolio_doc.build(record, plain)),
    )


async def join_invite(session: AsyncSession, row: Outbox) -> Notice | None:
    person = await session.get(Participant, row.recipient_id)
    if person is None:
        return None
    member = await session.scalar(
        select(ClubMember.participant_id).where(ClubMember.participant_id == row.recipient_id)
    )
    if member is not None:
        return None  # joined meanwhile
    return Notice(t("club.notice.join"), reply_markup=join_markup())


async def honor_ask(session: AsyncSession, row: Outbox) -> Notice | None:
    entry = await session.get(HonorEntry, int(row.payload["entry_id"]))
    if (
        entry is None
        or entry.status != HonorStatus.ASKED
        or entry.participant_id != row.recipient_id
        or entry.nominated_at != dt.datetime.fromisoformat(str(row.payload.get("nominated_at")))
    ):
        return None  # taken off, answered, or nominated anew (that row asks instead)
    municipality = await session.get(Municipality, entry.municipality_id)
    assert municipality is not None
    return Notice(
        honor_views.request_text(entry.citation, municipality.name),
        reply_markup=honor_views.request_markup(entry.id, stamp(entry.citation)),
    )


async def honor_answered(session: AsyncSession, row: Outbox) -> Notice | None:
    mentor = await session.get(Participant, int(row.payload["participant_id"]))
    if mentor is None or mentor.full_name is None:
        return None  # erased meanwhile
    return Notice(honor_views.answered_text(mentor.full_name, bool(row.payload["agreed"])))


RENDERERS: dict[str, Renderer] = {
    Kind.CLUB_ANNOUNCE: announce,
    Kind.CLUB_CHANGED: changed,
    Kind.CLUB_CANCELLED: cancelled,
    Kind.CLUB_PROMOTED: promoted,
    Kind.CLUB_REMIND_DAY: remind_day,
    Kind.CLUB_REMIND_HOUR: remind_hour,
    Kind.CLUB_CHANNEL_POST: channel_post,
    Kind.CLUB_CHANNEL_REFUSED: channel_refused,
    Kind.CLUB_SCHOOL_NOTE: school_note,
    Kind.CLUB_RATE: rate,
    Kind.CLUB_MATERIAL: material,
    Kind.PORTFOLIO_DOCUMENT: portfolio_document,
    Kind.CLUB_JOIN_INVITE: join_invite,
    Kind.CLUB_HONOR_ASK: honor_ask,
    Kind.CLUB_HONOR_ANSWERED: honor_answered,
}
