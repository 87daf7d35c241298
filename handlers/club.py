"""/club: the coming events of the young teachers' club for anyone (each opens a card
with «✅ Приду» / «Не смогу»); for organisers also adding (the form), publishing,
editing, cancelling, who comes (an organiser with several places — two municipalities'
clubs, a club and a school elsewhere — picks where a new event goes); /club_channel sets
the municipality's club channel.
Every event id from a button is checked by the services against who pressed it."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui import club_dialog
from bot.ui.callbacks import ClubAction, ClubCb, ClubChannelCb, ClubPlace, ClubPlaceCb
from bot.ui.replies import edit_or_send, send_below
from bot.ui.views import club as views
from models import RsvpStatus
from services.access import Actor
from services.clock import Clock
from services.club import events, membership, publishing, rsvp, scope
from services.errors import AccessDenied


async def show_list(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    cards = await events.coming(session, actor, clock.now())
    organiser = scope.is_organiser(actor)
    mine = await membership.mine(session, actor)
    await message.answer(
        views.list_text(cards, organiser, mine),
        reply_markup=views.list_markup(cards, organiser, mine),
    )


async def _card(
    query: CallbackQuery, session: AsyncSession, actor: Actor, clock: Clock, event_id: int
) -> None:
    card = await events.card_of(session, actor, event_id, clock.now())
    await edit_or_send(query, views.card_text(card), views.card_markup(card))


async def on_button(
    query: CallbackQuery,
    callback_data: ClubCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    dialog_manager: DialogManager,
    callback_answer: CallbackAnswer,
) -> None:
    action, event_id = callback_data.action, callback_data.event_id
    now = clock.now()
    if action in (ClubAction.LIST, ClubAction.JOIN, ClubAction.LEAVE):
        if action == ClubAction.JOIN:
            await membership.join(session, actor, now)
            callback_answer.text = t("club.member.joined")
        elif action == ClubAction.LEAVE:
            await membership.leave(session, actor)
            callback_answer.text = t("club.member.left")
        cards = await events.coming(session, actor, now)
        organiser = scope.is_organiser(actor)
        mine = await membership.mine(session, actor)
        await edit_or_send(
            query,
            views.list_text(cards, organiser, mine),
            views.list_markup(cards, organiser, mine),
        )
    elif action == ClubAction.MEMBERS:
        if not scope.is_organiser(actor):
            raise AccessDenied("club.error.organisers_only")
        found = await membership.members(session, actor, now)
        await send_below(query, views.members_text(found))
    elif action == ClubAction.OPEN:
        await _card(query, session, actor, clock, event_id)
    elif action in (ClubAction.GOING, ClubAction.NOT_GOING):
        await _answer(query, session, actor, clock, event_id, callback_answer, action)
    elif action == ClubAction.ADD:
        if not scope.is_organiser(actor):
            raise AccessDenied("club.error.organisers_only")
        if places := await scope.places(session, actor):
            await edit_or_send(
                query, t("club.place.pick"), views.places_markup(ClubPlace.EVENT, places)
            )
        else:
            await club_dialog.start_add(dialog_manager)
    elif action == ClubAction.EDIT:
        await scope.event_to_organise(session, actor, event_id)
        await club_dialog.start_edit(dialog_manager, event_id)
    elif action == ClubAction.PUBLISH:
        reached = await publishing.publish(session, actor, event_id, now)
        callback_answer.text = t("club.published.short", count=reached)
        await _card(query, session, actor, clock, event_id)
        await send_below(query, t("club.published", n=reached))
    elif action == ClubAction.CANCEL:
        event = await scope.event_to_organise(session, actor, event_id)
        await edit_or_send(
            query,
            t("club.cancel.ask", title=event.title),
            views.cancel_confirm_markup(event_id),
        )
    elif action == ClubAction.CANCEL_YES:
        title = await events.cancel(session, actor, event_id, now)
        await edit_or_send(query, t("club.cancel.done", title=title))
    elif action == ClubAction.WHO:
        names = await events.names_going(session, actor, event_id)
        text = t("club.who", n=len(names), names=Html("\n".join(html.escape(n) for n in names)))
        await send_below(query, text if names else t("club.who.none"))
    elif action == ClubAction.REPOST:
        await publishing.repost(session, actor, event_id, now)
        callback_answer.text = t("club.repost.queued")


async def _answer(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    event_id: int,
    callback_answer: CallbackAnswer,
    action: ClubAction,
) -> None:
    got = await rsvp.answer(session, actor, event_id, action == ClubAction.GOING, clock.now())
    text = views.answer_text(got.status, got.title, got.position, got.changed)
    if not got.changed or not isinstance(query.message, Message):
        # A second press changes nothing: a popup says so, the chat gets no new message.
        callback_answer.text = text.replace("<b>", "").replace("</b>", "")[:190]
        return
    # A change is a message of its own (kept in the chat as the record of the answer),
    # not a popup as well: one answer to one press.
    await query.message.answer(text)
    if got.status == RsvpStatus.GOING:
        name, content = views.ics_file(
            got.event_id,
            got.title,
            got.starts_at,
            got.place,
            got.description,
            got.version,
            stamp=clock.now(),
        )
        await query.message.answer_document(
            BufferedInputFile(content, filename=name), caption=t("club.ics.caption")
        )


async def set_channel(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    raw = (command.args or "").strip()
    if not _is_channel_id(raw):
        await message.answer(t("club.channel.how"))
        return
    clubs = [p for p in await scope.places(session, actor) if p.level == "municipality"]
    if len(clubs) > 1:  # several municipalities' clubs: whose channel is it
        markup = views.channel_places_markup(clubs, int(raw))
        await message.answer(t("club.channel.pick"), reply_markup=markup)
        return
    name = await publishing.set_channel(session, actor, int(raw), clock.now())
    await message.answer(t("club.channel.set", municipality=name))


def _is_channel_id(raw: str) -> bool:
    # A channel's or supergroup's id: -100 and then its number.
    # (isdigit alone admits «²» and other digits int() refuses.)
    digits = raw[1:]
    return raw.startswith("-100") and digits.isascii() and digits.isdigit() and len(raw) <= 20


async def on_channel_place(
    query: CallbackQuery,
    callback_data: ClubChannelCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    """The municipality chosen for the channel typed with /club_channel (both the place
    and the id are checked again: the button could be forged)."""
    if not _is_channel_id(str(callback_data.chat_id)):
        raise AccessDenied("club.channel.how_short")
    name = await publishing.set_channel(
        session, actor, callback_data.chat_id, clock.now(), municipality_id=callback_data.m
    )
    await edit_or_send(query, t("club.channel.set", municipality=name))


async def on_place(
    query: CallbackQuery,
    callback_data: ClubPlaceCb,
    session: AsyncSession,
    actor: Actor,
    dialog_manager: DialogManager,
) -> None:
    """The place chosen for a new event: checked now, and again when it is saved."""
    where = await scope.organising_at(session, actor, *callback_data.place)
    await club_dialog.start_add(dialog_manager, (where.municipality_id, where.school_id or 0))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_list, Command("club"))
    router.message.register(set_channel, Command("club_channel"))
    router.callback_query.register(on_button, ClubCb.filter())
    router.callback_query.register(on_place, ClubPlaceCb.filter(F.what == ClubPlace.EVENT))
    router.callback_query.register(on_channel_place, ClubChannelCb.filter())
    return router
