"""/indicators for curators (their school) and coordinators (the municipality, then
each school, a page at a time), and «Методика расчёта»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.surveys import indicators as view
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


async def show(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    where = await staff_scope.default_scope(session, actor)
    report = await _report(session, actor, clock, where.school_id, where.municipality_id)
    await message.answer(
        view.report_text(report),
        reply_markup=view.report_markup(report, where.school_id, where.municipality_id),
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
    if isinstance(query.message, Message):
        await query.message.edit_text(
            view.report_text(report, cb.p),
            reply_markup=view.report_markup(report, cb.s, cb.m, cb.p),
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
    return router
