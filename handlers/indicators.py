"""/indicators for curators (their school) and coordinators (the municipality, then
each school, a page at a time), and «Методика расчёта»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import RegionCb
from bot.ui.surveys import indicators as view
from bot.ui.surveys import school_pick as pick
from bot.ui.surveys import targets as targets_view
from bot.ui.surveys.callbacks import IndicatorsCb, TargetAction, TargetCb
from bot.ui.views import region as region_view
from bot.ui.views import scope_pick
from services import indicators, regions, staff_scope
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.indicators import Report
from services.staff_scope import Own


async def _report(
    session: AsyncSession, actor: Actor, clock: Clock, school_id: int, municipality_id: int
) -> Report:
    if school_id:
        return await indicators.for_school(session, actor, school_id, clock.now())
    return await indicators.for_municipality(session, actor, municipality_id, clock.now())


def _open_school(school_id: int) -> IndicatorsCb:
    return IndicatorsCb(action="page", s=school_id)


def _open_own(scope: Own) -> CallbackData:
    if scope.level == "region":
        return RegionCb(r=scope.id)
    if scope.level == "municipality":
        return IndicatorsCb(action="page", m=scope.id)
    return _open_school(scope.id)


async def show(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    own = await staff_scope.own_scopes(session, actor)
    if len(own) > 1 and any(o.level != "school" for o in own):
        # A regional coordinator who also curates a school (or coordinates elsewhere):
        # which one. A curator of several schools alone gets the school list below.
        await message.answer(
            t("indicators.pick_scope"), reply_markup=scope_pick.opening(own, _open_own)
        )
        return
    if actor.region_ids:
        # A regional coordinator: the region with a row per municipality.
        found = await regions.region_report(session, actor, min(actor.region_ids), clock.now())
        await message.answer(
            region_view.report_text(found), reply_markup=region_view.report_markup(found)
        )
        return
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
    markup = view.report_markup(report, cb.s, cb.m, cb.p, other_school=several)
    if cb.m and actor.region_ids and cb.m not in actor.coordinator_municipality_ids:
        # Opened from the region's screen: the way back to it.
        markup = region_view.with_back(markup, min(actor.region_ids))
    if isinstance(query.message, Message):
        await query.message.edit_text(view.report_text(report, cb.p), reply_markup=markup)


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


async def targets(
    query: CallbackQuery,
    callback_data: TargetCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    """«🎯 Цели» of a municipality (m) or a school (s): the list, one indicator's values,
    a value chosen, back to the default. The scope is checked by the service."""
    cb, now = callback_data, clock.now()
    if cb.c >= len(indicators.INDICATORS):
        raise DomainError("indicators.error.unknown_code", name=str(cb.c))
    code = indicators.INDICATORS[cb.c].code
    value = cb.v if cb.action == TargetAction.SET else None
    lead = None
    if cb.action in (TargetAction.SET, TargetAction.RESET):
        if cb.s:
            found = await indicators.set_school_target(session, actor, cb.s, code, value, now)
        else:
            found = await indicators.set_municipality_target(session, actor, cb.m, code, value, now)
        done = "targets.reset_done.school" if cb.s else "targets.reset_done"
        lead = t("targets.saved" if value is not None else done)
    elif cb.s:
        found = await indicators.school_targets(session, actor, cb.s, now)
    else:
        found = await indicators.municipality_targets(session, actor, cb.m, now)
    if not isinstance(query.message, Message):
        return
    if cb.action == TargetAction.PICK and any(x.code == code for x in found.lines):
        await query.message.edit_text(
            targets_view.pick_text(found, code), reply_markup=targets_view.pick_markup(found, code)
        )
        return
    await query.message.edit_text(
        targets_view.list_text(found, lead=lead), reply_markup=targets_view.list_markup(found)
    )


async def region_page(
    query: CallbackQuery,
    callback_data: RegionCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    """A page of the region's municipalities; the region is checked by the service."""
    found = await regions.region_report(session, actor, callback_data.r, clock.now())
    if isinstance(query.message, Message):
        await query.message.edit_text(
            region_view.report_text(found, callback_data.p),
            reply_markup=region_view.report_markup(found, callback_data.p),
        )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show, Command("indicators"))
    router.callback_query.register(page, IndicatorsCb.filter(F.action == "page"))
    router.callback_query.register(method, IndicatorsCb.filter(F.action == "method"))
    router.callback_query.register(choose, IndicatorsCb.filter(F.action == "pick"))
    router.callback_query.register(targets, TargetCb.filter())
    router.callback_query.register(region_page, RegionCb.filter())
    return router
