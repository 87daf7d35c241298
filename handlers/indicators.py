"""/indicators for curators (their school) and coordinators (the municipality, then
each school, a page at a time), and «Методика расчёта»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.surveys import indicators as view
from bot.ui.surveys import school_pick as pick
from bot.ui.surveys.callbacks import IndicatorsCb
from services import indicators, staff_scope
from services.access import Actor
from services.clock import Clock
from services.indicators import Report


async def _report(
    session: AsyncSession, actor: Actor, clock: Clock, school_id: int, municipality_id: int
) -> Report:
    if school_id:
        return await indicators.for_school(session, actor, school_id, clock.now())
    return await indicators.for_municipality(session, actor, municipality_id, clock.now())


def _open_school(school_id: int) -> IndicatorsCb:
    return IndicatorsCb(action="page", s=school_id)


async def show(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    where = await staff_scope.default_scope(session, actor)
    if choices := await staff_scope.schools_to_pick(session, actor):
        await message.answer(
            pick.pick_text("/indicators"), reply_markup=pick.pick_markup(choices, _open_school)
        )
        return
    report = await _report(session, actor, clock, where.school_id, where.municipality_id)
    await message.answer(
        view.report_text(report),
        reply_markup=view.report_markup(report, where.school_id, where.municipality_id),
    )


async def choose(query: CallbackQuery, session: AsyncSession, actor: Actor) -> None:
    """«Другая школа» under a school's indicators: the curator's schools again."""
    choices = await staff_scope.schools_to_pick(session, actor)
    if choices and isinstance(query.message, Message):
        await query.message.edit_text(
            pick.pick_text("/indicators"), reply_markup=pick.pick_markup(choices, _open_school)
        )


async def page(
    query: CallbackQuery,
    callback_data: IndicatorsCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    cb = callback_data
    report = await _report(session, actor, clock, cb.s, cb.m)
    several = bool(cb.s) and len(actor.curator_school_ids) > 1
    if isinstance(query.message, Message):
        await query.message.edit_text(
            view.report_text(report, cb.p),
            reply_markup=view.report_markup(report, cb.s, cb.m, cb.p, other_school=several),
        )


async def method(
    query: CallbackQuery,
    callback_data: IndicatorsCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    report = await _report(session, actor, clock, callback_data.s, callback_data.m)
    if isinstance(query.message, Message):
        await query.message.answer(view.method_text(report))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show, Command("indicators"))
    router.callback_query.register(page, IndicatorsCb.filter(F.action == "page"))
    router.callback_query.register(method, IndicatorsCb.filter(F.action == "method"))
    router.callback_query.register(choose, IndicatorsCb.filter(F.action == "pick"))
    return router
