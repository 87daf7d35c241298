"""«🗓 Сроки программы» in /programme: the first day and the last day of the programme
picked from aiogram-dialog's Calendar (never typed), then «Сохранить». The school or
municipality comes from the start data a handler wrote from a button; the presser is
checked on start and again by the service when saving. Everything in the dialog's data
is a string or a number (JSON-safe)."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import ChatEvent, Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Row, SwitchTo
from aiogram_dialog.widgets.kbd.calendar_kbd import ManagedCalendar
from aiogram_dialog.widgets.text import Format

from bot.i18n import t
from bot.ui.dates import day as text_day
from bot.ui.dialog_data import actor_of, clock_of, day_of, session_of
from bot.ui.dialog_parts import cancel_button, own_updates_only, typed_hint
from bot.ui.surveys.dates_dialog import RoundCalendar, Tr
from bot.ui.views import programme as views
from services import programme_settings
from services.errors import DomainError
from services.programme_settings import Changes


class PeriodForm(StatesGroup):
    starts = State()
    ends = State()
    confirm = State()


async def start(manager: DialogManager, level: str, scope_id: int) -> None:
    await manager.start(
        PeriodForm.starts,
        data={"level": level, "scope_id": scope_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def on_start(start_data: Any, manager: DialogManager) -> None:
    assert isinstance(start_data, dict)
    level, scope_id = str(start_data["level"]), int(start_data["scope_id"])
    session = session_of(manager)
    await programme_settings.may_change(session, actor_of(manager), level, scope_id)
    today = clock_of(manager).now().date()
    now = await programme_settings.rules(session, actor_of(manager), level, scope_id, today)
    manager.dialog_data.update(
        level=level,
        scope_id=scope_id,
        starts=now.starts_on.isoformat(),
        ends=now.ends_on.isoformat(),
        was=views.period_text(now.starts_on, now.ends_on),
    )


def _period(manager: DialogManager) -> str:
    return views.period_text(day_of(manager, "starts"), day_of(manager, "ends"))


async def starts_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("programme.period.starts", was=dialog_manager.dialog_data["was"])}


async def ends_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("programme.period.ends", starts=text_day(day_of(dialog_manager, "starts")))}


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("programme.period.confirm", period=_period(dialog_manager))}


async def on_starts(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: Any, /
) -> None:
    programme_settings.check_in_year(day, clock_of(manager).now().date())  # keeps the step
    manager.dialog_data["starts"] = day.isoformat()
    if day_of(manager, "ends") <= day:
        manager.dialog_data["ends"] = day.isoformat()
    await manager.switch_to(PeriodForm.ends)


async def on_ends(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: Any, /
) -> None:
    if day <= day_of(manager, "starts"):
        raise DomainError("programme.bad_dates")  # the step is kept
    programme_settings.check_in_year(day, clock_of(manager).now().date())
    manager.dialog_data["ends"] = day.isoformat()
    await manager.switch_to(PeriodForm.confirm)


async def on_save(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    session, actor, clock = session_of(manager), actor_of(manager), clock_of(manager)
    changes = Changes(starts_on=day_of(manager, "starts"), ends_on=day_of(manager, "ends"))
    rules = await programme_settings.change(
        session,
        actor,
        str(manager.dialog_data["level"]),
        int(manager.dialog_data["scope_id"]),
        changes,
        clock.now().date(),
        clock.now(),
    )
    saved = t("programme.saved", setting=t("programme.button.period"), value=_period(manager))
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(
            views.rules_text(rules, saved), reply_markup=views.rules_markup(rules)
        )


def _cancel() -> Button:
    return cancel_button("programme.button.cancel", "programme.period.cancelled")


def _typed() -> MessageInput:
    return typed_hint("programme.period.use_buttons")


def create_dialog() -> Dialog:
    """A new Dialog (a Router) for each Dispatcher."""
    dialog = Dialog(
        Window(
            Format("{text}"),
            RoundCalendar(id="starts", on_click=on_starts, key="starts"),
            _cancel(),
            _typed(),
            state=PeriodForm.starts,
            getter=starts_getter,
        ),
        Window(
            Format("{text}"),
            RoundCalendar(id="ends", on_click=on_ends, key="ends"),
            Row(
                SwitchTo(Tr("programme.button.back"), id="back", state=PeriodForm.starts),
                _cancel(),
            ),
            _typed(),
            state=PeriodForm.ends,
            getter=ends_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("programme.button.save"), id="save", on_click=on_save),
            Row(
                SwitchTo(Tr("programme.button.back"), id="back", state=PeriodForm.ends),
                _cancel(),
            ),
            _typed(),
            state=PeriodForm.confirm,
            getter=confirm_getter,
        ),
        on_start=on_start,
        name="programme_period",
    )
    return own_updates_only(dialog)
