"""A coordinator adds school holidays: the first day and the last day picked from
aiogram-dialog's Calendar (never typed), which holidays they are (buttons), then
«Сохранить». The municipality id comes from the start data a handler wrote after
checking the presser; the service checks it again when saving. Everything in the
dialog's data is a string or a number (JSON-safe)."""

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
from bot.ui.views import holidays as views
from services import holidays
from services.errors import AccessDenied

# Which holidays: the button's id is the kind, its text and the stored title come from
# the locale («Зимние каникулы»).
KINDS = ("autumn", "winter", "spring", "summer", "extra")


class HolidayForm(StatesGroup):
    starts = State()
    ends = State()
    kind = State()
    confirm = State()


async def start(manager: DialogManager, municipality_id: int) -> None:
    await manager.start(
        HolidayForm.starts,
        data={"municipality_id": municipality_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def on_start(start_data: Any, manager: DialogManager) -> None:
    assert isinstance(start_data, dict)
    municipality_id = int(start_data["municipality_id"])
    if not holidays.may_edit(actor_of(manager), municipality_id):
        raise AccessDenied()
    today = await holidays.today_in(session_of(manager), municipality_id, clock_of(manager).now())
    manager.dialog_data.update(
        municipality_id=municipality_id,
        starts=today.isoformat(),
        ends=today.isoformat(),
        kind=KINDS[0],
    )


def _title(manager: DialogManager) -> str:
    return t(f"holidays.kind.{manager.dialog_data['kind']}")


async def starts_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("holidays.add.starts")}


async def ends_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("holidays.add.ends", starts=text_day(day_of(dialog_manager, "starts")))}


async def kind_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    starts, ends = day_of(dialog_manager, "starts"), day_of(dialog_manager, "ends")
    return {"text": t("holidays.add.kind", starts=text_day(starts), ends=text_day(ends))}


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    text = t(
        "holidays.add.confirm",
        title=_title(dialog_manager),
        starts=text_day(day_of(dialog_manager, "starts")),
        ends=text_day(day_of(dialog_manager, "ends")),
    )
    return {"text": text}


async def on_starts(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: Any, /
) -> None:
    manager.dialog_data["starts"] = day.isoformat()
    if day_of(manager, "ends") < day:
        manager.dialog_data["ends"] = day.isoformat()
    await manager.switch_to(HolidayForm.ends)


async def on_ends(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: Any, /
) -> None:
    holidays.check_period(day_of(manager, "starts"), day)  # a refusal keeps the step
    manager.dialog_data["ends"] = day.isoformat()
    await manager.switch_to(HolidayForm.kind)


async def on_kind(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["kind"] = widget.widget_id
    await manager.switch_to(HolidayForm.confirm)


async def on_save(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    session, actor, clock = session_of(manager), actor_of(manager), clock_of(manager)
    municipality_id = int(manager.dialog_data["municipality_id"])
    added = await holidays.add(
        session,
        municipality_id,
        _title(manager),
        day_of(manager, "starts"),
        day_of(manager, "ends"),
        clock.now(),
        actor=actor,
    )
    found = await holidays.of_year(session, actor, municipality_id, clock.now())
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if isinstance(callback.message, Message):
        text = t("holidays.add.saved", period=views.period(added)) + "\n\n" + views.list_text(found)
        await callback.message.edit_text(text, reply_markup=views.list_markup(found))


def _cancel() -> Button:
    return cancel_button("holidays.button.cancel", "holidays.add.cancelled")


def _typed() -> MessageInput:
    return typed_hint("holidays.add.use_buttons")


def create_dialog() -> Dialog:
    """A new Dialog (a Router) for each Dispatcher."""
    dialog = Dialog(
        Window(
            Format("{text}"),
            RoundCalendar(id="starts", on_click=on_starts, key="starts"),
            _cancel(),
            _typed(),
            state=HolidayForm.starts,
            getter=starts_getter,
        ),
        Window(
            Format("{text}"),
            RoundCalendar(id="ends", on_click=on_ends, key="ends"),
            Row(
                SwitchTo(Tr("holidays.button.back"), id="back", state=HolidayForm.starts),
                _cancel(),
            ),
            _typed(),
            state=HolidayForm.ends,
            getter=ends_getter,
        ),
        Window(
            Format("{text}"),
            *(Button(Tr(f"holidays.kind.{k}"), id=k, on_click=on_kind) for k in KINDS),
            Row(
                SwitchTo(Tr("holidays.button.back"), id="back", state=HolidayForm.ends),
                _cancel(),
            ),
            _typed(),
            state=HolidayForm.kind,
            getter=kind_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("holidays.button.save"), id="save", on_click=on_save),
            Row(
                SwitchTo(Tr("holidays.button.back"), id="back", state=HolidayForm.kind),
                _cancel(),
            ),
            _typed(),
            state=HolidayForm.confirm,
            getter=confirm_getter,
        ),
        on_start=on_start,
        name="school_holidays",
    )
    return own_updates_only(dialog)
