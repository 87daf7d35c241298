"""/club_import: the organiser sends the year's plan of the club as an .xlsx or .csv;
the bot shows what it will add row by row (and every bad row), then adds the events as
drafts on «Загрузить». Nothing is written before the button; the button re-reads the
file. An organiser with several places (a curator of two schools, a coordinator who
curates a school elsewhere) first picks where the plan's events go; the place is kept
with the file and checked again on «Загрузить». Registered before the schools' import so
the file in this state comes here."""

from __future__ import annotations

import io
import secrets

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.ui.callbacks import ClubImportCb, ClubPlace, ClubPlaceCb
from bot.ui.views import club as club_views
from bot.ui.views import club_import as view
from services.access import Actor
from services.clock import Clock
from services.club import plan_import, scope
from services.club.scope import Organising
from services.imports import files, template
from services.imports.specs import CLUB_PLAN

_PENDING = "club_plan_import"


class ClubImport(StatesGroup):
    file = State()


_PLACE = "club_plan_place"  # [municipality, school] chosen among several


async def ask(message: Message, state: FSMContext, session: AsyncSession, actor: Actor) -> None:
    if not scope.is_organiser(actor):
        await message.answer(t("club.error.organisers_only"))
        return
    if places := await scope.places(session, actor):
        # No file is taken until the place is chosen (nor for an earlier choice).
        await state.set_state(None)
        await state.update_data({_PLACE: None})
        markup = club_views.places_markup(ClubPlace.PLAN, places)
        await message.answer(t("club.import.pick_place"), reply_markup=markup)
        return
    await _ask_file(message, state, None)


async def _ask_file(message: Message, state: FSMContext, place: list[int] | None) -> None:
    await state.set_state(ClubImport.file)
    await state.update_data({_PLACE: place})
    await message.answer(t("club.import.ask"))
    await message.answer_document(
        BufferedInputFile(template.xlsx(CLUB_PLAN), filename=template.filename(CLUB_PLAN))
    )


async def on_place(
    query: CallbackQuery,
    callback_data: ClubPlaceCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
) -> None:
    where = await scope.organising_at(session, actor, *callback_data.place)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _ask_file(query.message, state, [where.municipality_id, where.school_id or 0])


async def _where(session: AsyncSession, actor: Actor, place: list[int] | None) -> Organising:
    """The place chosen at /club_import (checked again), else the person's only one."""
    if place:
        return await scope.organising_at(session, actor, int(place[0]), int(place[1]))
    return await scope.organising(session, actor)


async def _read(bot: Bot, session: AsyncSession, file_id: str) -> bytes:
    await session.close()  # no transaction open while Telegram sends the file
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    return buffer.getvalue()


async def received(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    document = message.document
    assert document is not None
    place = (await state.get_data()).get(_PLACE)
    where = await _where(session, actor, place)
    if (document.file_size or 0) > files.MAX_BYTES:
        await message.answer(
            t("imports.too_big_for_bot", megabytes=files.MAX_BYTES // (1024 * 1024))
        )
        return
    name = document.file_name or "file"
    data = await _read(bot, session, document.file_id)
    plan = await plan_import.preview(session, data, name, where, clock.now())
    await session.close()
    token = secrets.token_hex(4)
    await state.set_state(None)
    pending = {"file_id": document.file_id, "name": name, "token": token, "place": place}
    await state.update_data({_PENDING: pending})
    await message.answer(
        view.preview_text(plan, name, where.zone, limit=view.BOT_LIMIT),
        reply_markup=view.confirm_markup(plan, token),
    )


async def not_a_file(message: Message) -> None:
    await message.answer(t("club.import.send_file"))


async def confirmed(
    query: CallbackQuery,
    callback_data: ClubImportCb,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    pending = (await state.get_data()).get(_PENDING)
    if not pending or pending.get("token") != callback_data.token:
        callback_answer.text = t("imports.stale")
        callback_answer.show_alert = True
        return
    await state.update_data({_PENDING: None})  # one press wins
    message = query.message if isinstance(query.message, Message) else None
    if callback_data.action != "go":
        if message:
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(t("imports.cancelled"))
        return
    where = await _where(session, actor, pending.get("place"))
    data = await _read(bot, session, pending["file_id"])
    done = await plan_import.apply(
        session, data, pending["name"], where, actor.participant_id, clock.now()
    )
    if message:
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(view.done_text(done))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ask, Command("club_import"))
    router.message.register(received, ClubImport.file, F.document)
    router.message.register(not_a_file, ClubImport.file, NotCommand())
    router.callback_query.register(confirmed, ClubImportCb.filter())
    router.callback_query.register(on_place, ClubPlaceCb.filter(F.what == ClubPlace.PLAN))
    return router
