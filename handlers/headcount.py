"""/headcount: a school's real headcount for the academic year, typed in three answers
(a bad one gets a hint and the same question); a coordinator, or a curator of several
schools, first picks the school. Many schools at once: a file (handlers/imports.py) or
the CLI."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.surveys import headcount as view
from bot.ui.surveys import school_pick as pick
from bot.ui.surveys.callbacks import HeadcountCb
from services import headcounts, staff_scope
from services.access import Actor
from services.clock import Clock
from services.headcounts import Counts
from services.staff_scope import Own
from services.validation import FieldError


class HeadcountForm(StatesGroup):
    """One state; FSM data: school (id), year, field, and the numbers given so far."""

    number = State()


def _open_place(place: Own) -> HeadcountCb:
    if place.level == "municipality":
        return HeadcountCb(action="page", m=place.id)
    return HeadcountCb(action="show", s=place.id)


async def command(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    where = await staff_scope.default_scope(session, actor)
    if places := await staff_scope.places_to_pick(session, actor):
        await message.answer(
            pick.places_text("/headcount", places),
            reply_markup=pick.places_markup(places, _open_place),
        )
        return
    if where.school_id:
        info = await headcounts.current(session, actor, where.school_id, clock.now())
        await message.answer(view.school_text(info), reply_markup=view.school_markup(info))
        return
    found = await headcounts.for_municipality(session, actor, where.municipality_id, clock.now())
    await message.answer(
        view.list_text(found.name, found.year, found.rows, 0),
        reply_markup=view.list_markup(found.municipality_id, found.rows, 0),
    )


async def page(
    query: CallbackQuery,
    callback_data: HeadcountCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    found = await headcounts.for_municipality(session, actor, callback_data.m, clock.now())
    if isinstance(query.message, Message):
        await query.message.edit_text(
            view.list_text(found.name, found.year, found.rows, callback_data.p),
            reply_markup=view.list_markup(found.municipality_id, found.rows, callback_data.p),
        )


async def show(
    query: CallbackQuery,
    callback_data: HeadcountCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    info = await headcounts.current(session, actor, callback_data.s, clock.now())
    if isinstance(query.message, Message):
        await query.message.answer(view.school_text(info), reply_markup=view.school_markup(info))


async def edit(
    query: CallbackQuery,
    callback_data: HeadcountCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    state: FSMContext,
) -> None:
    info = await headcounts.current(session, actor, callback_data.s, clock.now())
    await state.set_state(HeadcountForm.number)
    await state.set_data({"school": info.school_id, "year": info.year, "field": view.QUESTIONS[0]})
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(view.question(view.QUESTIONS[0], info.year))


async def typed(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    data = await state.get_data()
    field, year = str(data["field"]), str(data["year"])
    try:
        number = headcounts.parse_count(message.text)
        headcounts.check_part(field, number, data.get("teachers"))
    except FieldError as err:
        await message.answer(view.question(field, year, lead=t(err.code, **err.params)))
        return
    data[field] = number
    following = view.QUESTIONS.index(field) + 1
    if following < len(view.QUESTIONS):
        data["field"] = view.QUESTIONS[following]
        await state.set_data(data)
        await message.answer(view.question(view.QUESTIONS[following], year))
        return
    counts = Counts(int(data["teachers"]), int(data["under_35"]), int(data["young_specialists"]))
    info = await headcounts.enter(session, actor, int(data["school"]), year, counts, clock.now())
    await state.clear()
    await message.answer(
        view.school_text(info, lead=t("headcount.saved")), reply_markup=view.school_markup(info)
    )


def _not_a_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("headcount"))
    router.message.register(typed, HeadcountForm.number, _not_a_command)
    router.callback_query.register(page, HeadcountCb.filter(F.action == "page"))
    router.callback_query.register(show, HeadcountCb.filter(F.action == "show"))
    router.callback_query.register(edit, HeadcountCb.filter(F.action == "edit"))
    return router
