"""After a club event: the organiser's attendance list (tap to toggle, «добавить» for
walk-ins found by name, «Готово» asks the attendees for a rating), materials sent as
documents (kept on the card, sent to the attendees), and the attendee's rating 1–5
with an optional reflection. Ids from buttons are checked by services.club.attendance."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.ui.callbacks import ClubAction, ClubCb, ClubMarkCb, ClubRateCb
from bot.ui.replies import edit_or_send, send_below
from bot.ui.views import club as views
from services.access import Actor
from services.clock import Clock
from services.club import attendance, events, scope
from services.validation import FieldError

AFTER = (ClubAction.ATTEND, ClubAction.WALK_IN, ClubAction.FINISH, ClubAction.ADD_MATERIAL,
         ClubAction.MATERIALS)  # fmt: skip


class ClubAfter(StatesGroup):
    walk_in = State()  # data: event_id
    material = State()  # data: event_id
    reflection = State()  # data: event_id


async def on_button(
    query: CallbackQuery,
    callback_data: ClubCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    action, event_id, now = callback_data.action, callback_data.event_id, clock.now()
    if action == ClubAction.ATTEND:
        roster = await attendance.roster(session, actor, event_id, now)
        await send_below(query, views.roster_text(roster), views.roster_markup(roster))
    elif action == ClubAction.WALK_IN:
        await attendance.roster(session, actor, event_id, now)  # the organiser's, started
        await state.set_state(ClubAfter.walk_in)
        await state.set_data({"event_id": event_id})
        await send_below(query, t("club.attend.ask_name"))
    elif action == ClubAction.FINISH:
        n = await attendance.ask_ratings(session, actor, event_id, now)
        await edit_or_send(query, t("club.attend.done", n=n))
    elif action == ClubAction.ADD_MATERIAL:
        await scope.event_to_organise(session, actor, event_id)
        await state.set_state(ClubAfter.material)
        await state.set_data({"event_id": event_id})
        await send_below(query, t("club.material.ask"))
    elif action == ClubAction.MATERIALS:
        await events.card_of(session, actor, event_id, now)  # may the person see it
        found = await attendance.materials_of(session, event_id)
        if not isinstance(query.message, Message):
            return
        for material in found:
            await query.message.answer_document(material.file_id, caption=material.file_name)


async def walk_in_name(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    text = (message.text or "").strip()
    if len(text) < 2 or len(text) > 100:
        await message.answer(t("club.attend.ask_name"))
        return
    event_id = int((await state.get_data()).get("event_id") or 0)
    found = await attendance.walk_in_candidates(session, actor, event_id, text, clock.now())
    if not found:
        await message.answer(t("club.attend.nobody", query=text))
        return
    await state.clear()
    await message.answer(t("club.attend.pick"), reply_markup=views.walk_in_markup(event_id, found))


async def toggle(
    query: CallbackQuery,
    callback_data: ClubMarkCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    now = clock.now()
    await attendance.toggle(
        session, actor, callback_data.event_id, callback_data.participant_id, now
    )
    roster = await attendance.roster(session, actor, callback_data.event_id, now)
    await edit_or_send(query, views.roster_text(roster), views.roster_markup(roster))


async def material_file(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    document = message.document
    if document is None:
        await message.answer(t("club.material.file_only"))
        return
    event_id = int((await state.get_data()).get("event_id") or 0)
    await state.clear()
    n = await attendance.add_material(
        session, actor, event_id, document.file_id, document.file_name or "", clock.now()
    )
    await message.answer(t("club.material.sent", n=n))


async def rated(
    query: CallbackQuery,
    callback_data: ClubRateCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
) -> None:
    title = await attendance.rate(session, actor, callback_data.event_id, callback_data.score)
    await state.set_state(ClubAfter.reflection)
    await state.set_data({"event_id": callback_data.event_id})
    await edit_or_send(query, t("club.rate.thanks", title=title, score=callback_data.score))


async def reflection(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor
) -> None:
    if not message.text:
        await message.answer(t("club.rate.text_only"))
        return
    event_id = int((await state.get_data()).get("event_id") or 0)
    try:
        await attendance.reflect(session, actor, event_id, message.text)
    except FieldError as exc:
        await message.answer(t(exc.code, **exc.params))
        return
    await state.clear()
    await message.answer(t("club.rate.reflection_saved"))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_button, ClubCb.filter(F.action.in_(AFTER)))
    router.callback_query.register(toggle, ClubMarkCb.filter())
    router.callback_query.register(rated, ClubRateCb.filter())
    router.message.register(walk_in_name, ClubAfter.walk_in, NotCommand())
    router.message.register(material_file, ClubAfter.material, NotCommand())
    router.message.register(reflection, ClubAfter.reflection, NotCommand())
    return router
