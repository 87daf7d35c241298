"""What the club looks like: the list of coming events, an event's card with its
buttons, and the texts shared by the notices (announcement, change, reminder)."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo
from collections.abc import Iterable

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import (
    ClubAction,
    ClubCb,
    ClubChannelCb,
    ClubMarkCb,
    ClubNoteAction,
    ClubNoteCb,
    ClubPlace,
    ClubPlaceCb,
    ClubRateCb,
)
from bot.ui.dates import when
from bot.ui.views import scope_pick
from models import ClubAudience, ClubEvent, ClubEventKind, ClubEventStatus, RsvpStatus
from services import ics
from services.club.attendance import Roster
from services.club.events import Card
from services.club.membership import Members, Mine
from services.staff_scope import Own


def kind_title(kind: ClubEventKind | str) -> str:
    return t(f"club.kind.{ClubEventKind(kind).value}")


def audience_title(audience: ClubAudience | str) -> str:
    return t(f"club.audience.{ClubAudience(audience).value}")


def event_block(
    *,
    title: str,
    kind: ClubEventKind,
    starts_at: dt.datetime,
    zone: str,
    place: str | None,
    audience: ClubAudience,
    capacity: int | None,
    description: str | None,
) -> str:
    lines = [
        t("club.card.title", title=title),
        t("club.card.kind_when", kind=kind_title(kind), when=when(starts_at, zone)),
        t("club.card.place", place=place) if place else t("club.card.no_place"),
        t("club.card.audience", audience=audience_title(audience)),
    ]
    if capacity:
        lines.append(t("club.card.capacity", n=capacity))
    if description:
        lines.append("")
        lines.append(html.escape(description))
    return "\n".join(lines)


def card_text(card: Card) -> str:
    text = event_block(
        title=card.title,
        kind=card.kind,
        starts_at=card.starts_at,
        zone=card.zone,
        place=card.place,
        audience=card.audience,
        capacity=card.capacity,
        description=card.description,
    )
    extra: list[str] = []
    if card.status == ClubEventStatus.DRAFT:
        extra.append(t("club.card.draft"))
    elif card.status == ClubEventStatus.CANCELLED:
        extra.append(t("club.card.cancelled"))
    if card.organiser and card.status != ClubEventStatus.DRAFT:
        extra.append(t("club.card.counts", going=card.going, waiting=card.waiting))
        if card.started:
            extra.append(t("club.card.attended", n=card.attended))
    if card.mine == RsvpStatus.GOING:
        extra.append(t("club.card.mine.going"))
    elif card.mine == RsvpStatus.WAITING:
        extra.append(t("club.card.mine.waiting", position=card.position or 1))
    elif card.mine == RsvpStatus.NOT_GOING:
        extra.append(t("club.card.mine.not_going"))
    if extra:
        text += "\n\n" + "\n".join(extra)
    return text


def rsvp_buttons(kb: InlineKeyboardBuilder, event_id: int) -> None:
    kb.button(
        text=t("club.button.going"),
        callback_data=ClubCb(action=ClubAction.GOING, event_id=event_id),
    )
    kb.button(
        text=t("club.button.not_going"),
        callback_data=ClubCb(action=ClubAction.NOT_GOING, event_id=event_id),
    )


def rsvp_markup(event_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    rsvp_buttons(kb, event_id)
    kb.adjust(2)
    return kb.as_markup()


def card_markup(card: Card) -> InlineKeyboardMarkup | None:
    kb = InlineKeyboardBuilder()
    sizes: list[int] = []
    live = card.status == ClubEventStatus.PUBLISHED and not card.started
    if live:
        rsvp_buttons(kb, card.event_id)
        sizes.append(2)
    if card.organiser and card.status != ClubEventStatus.CANCELLED:
        if card.status == ClubEventStatus.DRAFT:
            kb.button(
                text=t("club.button.publish"),
                callback_data=ClubCb(action=ClubAction.PUBLISH, event_id=card.event_id),
            )
            sizes.append(1)
        if not card.started:
            kb.button(
                text=t("club.button.edit"),
                callback_data=ClubCb(action=ClubAction.EDIT, event_id=card.event_id),
            )
            kb.button(
                text=t("club.button.cancel"),
                callback_data=ClubCb(action=ClubAction.CANCEL, event_id=card.event_id),
            )
            sizes.append(2)
        if card.status == ClubEventStatus.PUBLISHED:
            kb.button(
                text=t("club.button.who"),
                callback_data=ClubCb(action=ClubAction.WHO, event_id=card.event_id),
            )
            sizes.append(1)
            if card.started:
                kb.button(
                    text=t("club.button.attend"),
                    callback_data=ClubCb(action=ClubAction.ATTEND, event_id=card.event_id),
                )
                sizes.append(1)
            kb.button(
                text=t("club.button.add_material"),
                callback_data=ClubCb(action=ClubAction.ADD_MATERIAL, event_id=card.event_id),
            )
            sizes.append(1)
    if card.materials:
        kb.button(
            text=t("club.button.materials", count=card.materials),
            callback_data=ClubCb(action=ClubAction.MATERIALS, event_id=card.event_id),
        )
        sizes.append(1)
    kb.button(text=t("club.button.list"), callback_data=ClubCb(action=ClubAction.LIST))
    sizes.append(1)
    kb.adjust(*sizes)
    return kb.as_markup()


def list_text(cards: list[Card], organiser: bool, mine: Mine | None = None) -> str:
    if not cards:
        text = t("club.list.empty.organiser" if organiser else "club.list.empty")
    else:
        text = t("club.list.title")
    if mine is not None and mine.member:
        text += "\n\n" + t("club.member.yes")
    elif mine is not None and mine.young:
        text += "\n\n" + t("club.member.invite")
    return text


def list_markup(
    cards: list[Card], organiser: bool, mine: Mine | None = None
) -> InlineKeyboardMarkup | None:
    kb = InlineKeyboardBuilder()
    for card in cards:
        mark = ""
        if card.status == ClubEventStatus.DRAFT:
            mark = "📝 "
        elif card.mine == RsvpStatus.GOING:
            mark = "✅ "
        elif card.mine == RsvpStatus.WAITING:
            mark = "⏳ "
        label = t(
            "club.list.item",
            mark=mark,
            date=card.starts_at.astimezone(_tz(card.zone)).strftime("%d.%m %H:%M"),
            title=card.title[:40],
        )
        kb.button(text=label, callback_data=ClubCb(action=ClubAction.OPEN, event_id=card.event_id))
    if organiser:
        kb.button(text=t("club.button.add"), callback_data=ClubCb(action=ClubAction.ADD))
        kb.button(text=t("club.button.members"), callback_data=ClubCb(action=ClubAction.MEMBERS))
    if mine is not None and mine.member:
        kb.button(text=t("club.button.leave"), callback_data=ClubCb(action=ClubAction.LEAVE))
    elif mine is not None and mine.young:
        kb.button(text=t("club.button.join"), callback_data=ClubCb(action=ClubAction.JOIN))
    kb.adjust(1)
    return kb.as_markup() if cards or organiser or mine is not None else None


def places_markup(what: ClubPlace, places: list[Own]) -> InlineKeyboardMarkup:
    """A municipality's club or a school of one's own, for an organiser with several:
    where a new event goes, whose people an announcement reaches, where a plan's events
    go."""

    def opens(p: Own) -> ClubPlaceCb:
        return ClubPlaceCb(what=what, lvl="m" if p.level == "municipality" else "s", id=p.id)

    return scope_pick.opening(places, opens)


def channel_places_markup(clubs: list[Own], chat_id: int) -> InlineKeyboardMarkup:
    """/club_channel for an organiser of several municipalities' clubs: whose channel."""
    return scope_pick.opening(clubs, lambda p: ClubChannelCb(m=p.id, chat=-chat_id))


def join_markup() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("club.button.join"), callback_data=ClubCb(action=ClubAction.JOIN))
    kb.button(text=t("club.button.list"), callback_data=ClubCb(action=ClubAction.LIST))
    kb.adjust(1)
    return kb.as_markup()


def members_text(m: Members) -> str:
    def pct(part: int) -> str:
        return f"{round(100 * part / m.young)} %" if m.young else "—"

    text = t(
        "club.members.head",
        municipality=m.municipality,
        young=m.young,
        members=m.young_members,
        members_pct=pct(m.young_members),
        came=m.young_attended,
        came_pct=pct(m.young_attended),
    )
    if m.names:
        text += "\n\n" + "\n".join(f"• {html.escape(n)}" for n in m.names[:100])
    return text


def _tz(zone: str) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(zone)


def cancel_confirm_markup(event_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("club.button.cancel_yes"),
        callback_data=ClubCb(action=ClubAction.CANCEL_YES, event_id=event_id),
    )
    kb.button(
        text=t("club.button.cancel_no"),
        callback_data=ClubCb(action=ClubAction.OPEN, event_id=event_id),
    )
    kb.adjust(1)
    return kb.as_markup()


def answer_text(status: RsvpStatus, title: str, position: int | None, changed: bool) -> str:
    name = title
    if status == RsvpStatus.GOING:
        return t("club.rsvp.going" if changed else "club.rsvp.going.again", title=name)
    if status == RsvpStatus.WAITING:
        return t("club.rsvp.waiting", title=name, position=position or 1)
    return t("club.rsvp.not_going", title=name)


def ics_file(
    event_id: int,
    title: str,
    starts_at: dt.datetime,
    place: str | None,
    description: str | None,
    version: int,
    *,
    stamp: dt.datetime,
    cancel: bool = False,
) -> tuple[str, bytes]:
    """The event for a phone's calendar: one UID per event, SEQUENCE its version."""
    content = ics.build(
        ics.IcsEvent(
            meeting_id=event_id,
            starts_at=starts_at,
            summary=title,
            sequence=version,
            duration_min=90,
            place=place,
            description=description,
            uid=f"club-{event_id}@{ics.UID_DOMAIN}",
        ),
        stamp=stamp,
        cancel=cancel,
    )
    return f"club-{event_id}.ics", content


def event_ics(event: ClubEvent, *, stamp: dt.datetime, cancel: bool = False) -> tuple[str, bytes]:
    return ics_file(
        event.id,
        event.title,
        event.starts_at,
        event.place,
        event.description,
        event.version,
        stamp=stamp,
        cancel=cancel,
    )


def roster_text(roster: Roster) -> str:
    came = sum(1 for p in roster.people if p.came)
    key = "club.attend.title" if roster.people else "club.attend.empty"
    return t(key, title=roster.title, came=came, total=len(roster.people))


def roster_markup(roster: Roster) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for p in roster.people:
        kb.button(
            text=("✅ " if p.came else "▫️ ") + p.name,
            callback_data=ClubMarkCb(event_id=roster.event_id, participant_id=p.participant_id),
        )
    kb.button(
        text=t("club.button.walk_in"),
        callback_data=ClubCb(action=ClubAction.WALK_IN, event_id=roster.event_id),
    )
    kb.button(
        text=t("club.button.finish"),
        callback_data=ClubCb(action=ClubAction.FINISH, event_id=roster.event_id),
    )
    kb.adjust(1)
    return kb.as_markup()


def walk_in_markup(event_id: int, found: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for pid, name in found:
        kb.button(text=name, callback_data=ClubMarkCb(event_id=event_id, participant_id=pid))
    kb.adjust(1)
    return kb.as_markup()


def rate_markup(event_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for score in range(1, 6):
        kb.button(text=str(score), callback_data=ClubRateCb(event_id=event_id, score=score))
    kb.adjust(5)
    return kb.as_markup()


def note_audiences(audiences: Iterable[ClubAudience]) -> InlineKeyboardMarkup:
    """A plain announcement (/announce): whom it goes to, or drop it."""
    kb = InlineKeyboardBuilder()
    for to in audiences:
        kb.button(
            text=t(f"club.note.to.{to.value}"),
            callback_data=ClubNoteCb(action=ClubNoteAction(to.value)),
        )
    kb.button(text=t("club.note.drop"), callback_data=ClubNoteCb(action=ClubNoteAction.DROP))
    kb.adjust(1)
    return kb.as_markup()


def note_confirm(count: int) -> InlineKeyboardMarkup:
    """Under the announcement's preview: send it to `count` people, edit, or drop."""
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("club.note.send", count=count), callback_data=ClubNoteCb(action=ClubNoteAction.SEND)
    )
    kb.button(text=t("club.note.edit"), callback_data=ClubNoteCb(action=ClubNoteAction.EDIT))
    kb.button(text=t("club.note.drop"), callback_data=ClubNoteCb(action=ClubNoteAction.DROP))
    kb.adjust(1)
    return kb.as_markup()
