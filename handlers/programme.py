"""/programme: the rhythm and thresholds reminders follow (meetings every N days, the
feedback deadline, when a pair counts as silent and a stage as stuck, quiet hours), as
buttons: a curator changes their school's (a curator of several schools picks it
first), a coordinator the municipality's (every school's with it). On the staff router;
every id from a button is checked by services.programme_settings against who pressed
it. The programme's period is picked in a calendar (bot.ui.programme_dialog)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui import programme_dialog
from bot.ui.callbacks import ProgrammeAction, ProgrammeCb
from bot.ui.replies import edit_or_send
from bot.ui.surveys import school_pick as pick
from bot.ui.views import programme as views
from services import programme_settings, staff_scope
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.staff_scope import Own


def _open_place(place: Own) -> ProgrammeCb:
    level = "m" if place.level == "municipality" else "s"
    return ProgrammeCb(action=ProgrammeAction.VIEW, lvl=level, id=place.id)


async def command(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    level, scope_id = await programme_settings.default_scope(session, actor)
    if places := await staff_scope.places_to_pick(session, actor):
        # Several schools or municipalities: which one's programme (each has its own).
        await message.answer(
            pick.places_text("/programme", places),
            reply_markup=pick.places_markup(places, _open_place),
        )
        return
    rules = await programme_settings.rules(session, actor, level, scope_id, clock.now().date())
    await message.answer(views.rules_text(rules), reply_markup=views.rules_markup(rules))


async def on_button(
    query: CallbackQuery,
    callback_data: ProgrammeCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    level = views.LEVEL_OF.get(callback_data.lvl)
    setting = views.BY_CODE.get(callback_data.f)
    if level is None or (callback_data.action != ProgrammeAction.VIEW and setting is None):
        raise DomainError("error.stale_button")
    today = clock.now().date()
    if callback_data.action == ProgrammeAction.SET:
        assert setting is not None
        if callback_data.i >= len(setting.choices):
            raise DomainError("error.stale_button")
        choice = setting.choices[callback_data.i]
        rules = await programme_settings.change(
            session, actor, level, callback_data.id, choice, today, clock.now()
        )
        saved = t(
            "programme.saved",
            setting=t(f"programme.button.{setting.code}"),
            value=views.value_text(setting.code, choice),
        )
        await edit_or_send(query, views.rules_text(rules, saved), views.rules_markup(rules))
        return
    rules = await programme_settings.rules(session, actor, level, callback_data.id, today)
    if callback_data.action == ProgrammeAction.FIELD:
        assert setting is not None
        code = setting.code
        await edit_or_send(
            query, views.setting_text(rules, code), views.setting_markup(rules, code)
        )
        return
    await edit_or_send(query, views.rules_text(rules), views.rules_markup(rules))


async def on_period(
    query: CallbackQuery,
    callback_data: ProgrammeCb,
    session: AsyncSession,
    actor: Actor,
    dialog_manager: DialogManager,
) -> None:
    """«🗓 Сроки программы»: the calendar dialog (bot.ui.programme_dialog), for whoever
    may change this programme."""
    level = views.LEVEL_OF.get(callback_data.lvl)
    if level is None:
        raise DomainError("error.stale_button")
    await programme_settings.may_change(session, actor, level, callback_data.id)
    await query.answer()
    await programme_dialog.start(dialog_manager, level, callback_data.id)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("programme"))
    router.callback_query.register(
        on_period, ProgrammeCb.filter(F.action == ProgrammeAction.PERIOD)
    )
    router.callback_query.register(on_button, ProgrammeCb.filter())
    return router
