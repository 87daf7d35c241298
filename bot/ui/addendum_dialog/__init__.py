"""The curator records a pair's addendum (дополнительное соглашение): the number
(typed), its date, the period's start and end (aiogram-dialog's Calendar, never typed),
the form, paid or not and the rate type (typed, optional), then «Сохранить». The pair id
comes from the start data a handler wrote after checking the presser; the service
checks it again when saving. Everything in the dialog's data is JSON-safe."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import ChatEvent, Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.utils import CB_SEP
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Row
from aiogram_dialog.widgets.kbd.calendar_kbd import ManagedCalendar
from aiogram_dialog.widgets.text import Format

from bot.i18n import t
from bot.ui.dates import day as text_day
from bot.ui.dialog_data import actor_of, clock_of, day_of, session_of
from bot.ui.surveys.dates_dialog import RoundCalendar, Tr
from bot.ui.views.pairs import card_button
from models import MentoringForm
from services import programmes
from services.clock import local_today
from services.errors import DomainError
from services.pairs import addenda
from services.pairs.loading import pair_in_scope


class AddendumForm(StatesGroup):
    number = State()
    signed = State()
    starts = State()
    ends = State()
    form = State()
    paid = State()
    rate = State()
    confirm = State()


async def start(manager: DialogManager, pair_id: int) -> None:
    await manager.start(
        AddendumForm.number,
        data={"pair_id": pair_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def on_start(start_data: Any, manager: DialogManager) -> None:
    assert isinstance(start_data, dict)
    session, actor = session_of(manager), actor_of(manager)
    clock = clock_of(manager)
    pair_id = int(start_data["pair_id"])
    await addenda.check_pair(session, actor, pair_id)
    loaded = await pair_in_scope(session, actor, pair_id)
    today = local_today(clock.now(), loaded.zone)
    programme = await programmes.for_school(session, loaded.pair.school_id, today)
    manager.dialog_data.update(
        pair_id=pair_id,
        signed=today.isoformat(),
        starts=today.isoformat(),
        ends=max(programme.ends_on, today + dt.timedelta(days=1)).isoformat(),
        group=len(loaded.pair.active_members) > 1,
    )


def _summary(manager: DialogManager) -> str:
    d = manager.dialog_data
    return t(
        "addendum.summary",
        number=str(d.get("number", "—")),
        signed=text_day(day_of(manager, "signed")),
        starts=text_day(day_of(manager, "starts")),
        ends=text_day(day_of(manager, "ends")),
        form=t(f"addendum.form.{d.get('form', 'individual')}"),
        paid=t("addendum.paid.yes") if d.get("paid") else t("addendum.paid.no"),
        rate=str(d.get("rate") or "—"),
    )


async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    state = dialog_manager.current_context().state
    step = state.state.split(":")[-1] if state and state.state else "number"
    d = dialog_manager.dialog_data
    params: dict[str, Any] = {"number": str(d.get("number", ""))}
    if step == "ends":
        params["starts"] = text_day(day_of(dialog_manager, "starts"))
    if step == "confirm":
        return {"text": _summary(dialog_manager)}
    return {"text": t(f"addendum.ask.{step}", **params)}


async def on_number(message: Message, widget: Any, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.SEND
    try:
        manager.dialog_data["number"] = addenda.clean_number(message.text or "")
    except DomainError as err:
        await message.answer(t(err.code, **err.params))
        return
    await manager.switch_to(AddendumForm.signed)


async def on_signed(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    manager.dialog_data["signed"] = day.isoformat()
    await manager.switch_to(AddendumForm.starts)


async def on_starts(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    manager.dialog_data["starts"] = day.isoformat()
    if day_of(manager, "ends") <= day:
        manager.dialog_data["ends"] = (day + dt.timedelta(days=1)).isoformat()
    await manager.switch_to(AddendumForm.ends)


async def on_ends(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    if day <= day_of(manager, "starts"):
        raise DomainError("addendum.bad_period")
    manager.dialog_data["ends"] = day.isoformat()
    await manager.switch_to(AddendumForm.form)


def _choice(key: str, value: Any, then: State) -> Any:
    async def chosen(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
        manager.dialog_data[key] = value
        await manager.switch_to(then)

    return chosen


async def on_paid(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["paid"] = True
    await manager.switch_to(AddendumForm.rate)


async def on_rate(message: Message, widget: Any, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.SEND
    try:
        manager.dialog_data["rate"] = addenda.clean_rate(message.text or "")
    except DomainError as err:
        await message.answer(t(err.code, **err.params))
        return
    await manager.switch_to(AddendumForm.confirm)


async def _finish(callback: CallbackQuery, manager: DialogManager, text: str) -> None:
    pair_id = int(manager.dialog_data["pair_id"])
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=card_button(pair_id))


async def on_save(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    d = manager.dialog_data
    clock = clock_of(manager)
    saved = await addenda.record(
        session_of(manager),
        actor_of(manager),
        int(d["pair_id"]),
        addenda.Terms(
            number=str(d["number"]),
            signed_on=day_of(manager, "signed"),
            starts_on=day_of(manager, "starts"),
            ends_on=day_of(manager, "ends"),
            form=MentoringForm(str(d.get("form", "individual"))),
            paid=bool(d.get("paid")),
            rate_type=str(d["rate"]) if d.get("rate") else None,
        ),
        clock,
    )
    await _finish(callback, manager, t("addendum.saved", number=saved.number))


async def on_cancel(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    await _finish(callback, manager, t("addendum.cancelled"))


async def on_stray(message: Message, widget: Any, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.SEND
    await message.answer(t("surveys.dates.use_buttons"))


def _cancel() -> Button:
    return Button(Tr("addendum.button.cancel"), id="cancel", on_click=on_cancel)


def _window(state: State, *widgets: Any) -> Window:
    return Window(Format("{text}"), *widgets, state=state, getter=getter)


def create_dialog() -> Dialog:
    """A new Dialog (a Router) for each Dispatcher."""
    dialog = Dialog(
        _window(AddendumForm.number, _cancel(), MessageInput(on_number)),
        _window(
            AddendumForm.signed,
            RoundCalendar(id="signed", on_click=on_signed, key="signed"),
            _cancel(),
            MessageInput(on_stray),
        ),
        _window(
            AddendumForm.starts,
            RoundCalendar(id="starts", on_click=on_starts, key="starts"),
            _cancel(),
            MessageInput(on_stray),
        ),
        _window(
            AddendumForm.ends,
            RoundCalendar(id="ends", on_click=on_ends, key="ends"),
            _cancel(),
            MessageInput(on_stray),
        ),
        _window(
            AddendumForm.form,
            Row(
                Button(
                    Tr("addendum.form.individual"),
                    id="individual",
                    on_click=_choice("form", "individual", AddendumForm.paid),
                ),
                Button(
                    Tr("addendum.form.group"),
                    id="group",
                    on_click=_choice("form", "group", AddendumForm.paid),
                ),
            ),
            _cancel(),
            MessageInput(on_stray),
        ),
        _window(
            AddendumForm.paid,
            Row(
                Button(Tr("addendum.paid.yes"), id="paid", on_click=on_paid),
                Button(
                    Tr("addendum.paid.no"),
                    id="unpaid",
                    on_click=_choice("paid", False, AddendumForm.confirm),
                ),
            ),
            _cancel(),
            MessageInput(on_stray),
        ),
        _window(
            AddendumForm.rate,
            Button(
                Tr("addendum.button.skip_rate"),
                id="skip_rate",
                on_click=_choice("rate", None, AddendumForm.confirm),
            ),
            _cancel(),
            MessageInput(on_rate),
        ),
        _window(
            AddendumForm.confirm,
            Button(Tr("addendum.button.save"), id="save", on_click=on_save),
            _cancel(),
            MessageInput(on_stray),
        ),
        on_start=on_start,
        name="pair_addendum",
    )
    dialog.callback_query.filter(F.data.contains(CB_SEP))
    dialog.message.filter(StateFilter(None))
    return dialog
