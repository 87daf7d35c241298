"""States, windows, getters and handlers of the event form. Everything in the dialog's
data is a string or a number (JSON-safe, as it is in Redis)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import ChatEvent, Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.utils import CB_SEP
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Group, Row, Select, SwitchTo
from aiogram_dialog.widgets.kbd.calendar_kbd import ManagedCalendar
from aiogram_dialog.widgets.text import Format, Text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.dates import day_text
from bot.ui.dialog_parts import chosen
from bot.ui.meetings_dialog.calendar import MeetingCalendar, today_of
from bot.ui.views.club import audience_title, card_markup, card_text, event_block, kind_title
from models import ClubAudience, ClubEventKind
from services.access import Actor
from services.clock import Clock, local_to_utc
from services.club import events, publishing, scope
from services.errors import DomainError
from services.validation import FieldError, plain_digits

TIMES = [f"{h:02d}:{m:02d}" for h in range(8, 21) for m in (0, 30)]
CAPACITIES = (10, 20, 30, 50, 100)


class ClubForm(StatesGroup):
    title = State()
    kind = State()
    date = State()
    time = State()
    place = State()
    audience = State()
    capacity = State()
    description = State()
    confirm = State()


async def start_add(manager: DialogManager, place: tuple[int, int] | None = None) -> None:
    """``place``: the (municipality, school) chosen among several (school 0: the
    municipality's club); None: the person's only place."""
    m, school = place or (0, 0)
    await manager.start(
        ClubForm.title,
        data={"event_id": 0, "m": m, "s": school},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def start_edit(manager: DialogManager, event_id: int) -> None:
    await manager.start(
        ClubForm.confirm,
        data={"event_id": event_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


def _deps(manager: DialogManager) -> tuple[AsyncSession, Clock, Actor]:
    data = manager.middleware_data
    return data["session"], data["clock"], data["actor"]


class Tr(Text):
    def __init__(self, key: str, when: Any = None) -> None:
        super().__init__(when=when)
        self.key = key

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return t(self.key)


# --- start -------------------------------------------------------------------------------


async def on_start(start_data: Any, manager: DialogManager) -> None:
    session, _, actor = _deps(manager)
    assert isinstance(start_data, dict)
    event_id = int(start_data.get("event_id") or 0)
    d = manager.dialog_data
    if not event_id:
        m, school = int(start_data.get("m") or 0), int(start_data.get("s") or 0)
        if m or school:
            where = await scope.organising_at(session, actor, m, school)
        else:
            where = await scope.organising(session, actor)
        d.update(event_id=0, zone=where.zone, review=False, m=m, s=school)
        return
    draft, zone = await events.draft_of(session, actor, event_id)
    local = draft.starts_at.astimezone(zoneinfo.ZoneInfo(zone))
    d.update(
        event_id=event_id,
        zone=zone,
        review=True,
        title=draft.title,
        kind=draft.kind.value,
        date=local.date().isoformat(),
        time=local.strftime("%H:%M"),
        place=draft.place or "",
        audience=draft.audience.value,
        capacity=draft.capacity or 0,
        description=draft.description or "",
    )


def _draft(manager: DialogManager) -> events.Draft:
    d = manager.dialog_data
    return events.Draft(
        title=str(d["title"]),
        kind=ClubEventKind(str(d["kind"])),
        starts_at=local_to_utc(
            dt.date.fromisoformat(str(d["date"])), str(d["time"]), str(d["zone"])
        ),
        audience=ClubAudience(str(d["audience"])),
        place=str(d.get("place") or "") or None,
        capacity=int(d.get("capacity") or 0) or None,
        description=str(d.get("description") or "") or None,
    )


def _place(manager: DialogManager) -> tuple[int, int] | None:
    """The place chosen for a new event, if there was a choice."""
    d = manager.dialog_data
    m, school = int(d.get("m") or 0), int(d.get("s") or 0)
    return (m, school) if m or school else None


async def _next(manager: DialogManager, state: State, *, typed: bool = False) -> None:
    """On to the next question, or back to the summary when a field was changed from it."""
    target = ClubForm.confirm if manager.dialog_data.get("review") else state
    await manager.switch_to(target, show_mode=ShowMode.SEND if typed else None)


async def _typed(
    message: Message, manager: DialogManager, key: str, clean: Any, after: State
) -> None:
    if not message.text:
        manager.show_mode = ShowMode.SEND
        await message.answer(t("club.dlg.text_only"))
        return
    try:
        value = clean(message.text)
    except FieldError as exc:
        manager.show_mode = ShowMode.SEND
        await message.answer(t(exc.code, **exc.params))
        return
    manager.dialog_data[key] = value
    await _next(manager, after, typed=True)


async def on_title(message: Message, widget: Any, manager: DialogManager) -> None:
    await _typed(message, manager, "title", events.clean_title, ClubForm.kind)


async def on_kind(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    manager.dialog_data["kind"] = chosen(ClubEventKind, item_id).value
    await _next(manager, ClubForm.date)


async def on_date(
    event: ChatEvent, widget: ManagedCalendar, manager: DialogManager, day: dt.date, /
) -> None:
    if day < today_of(manager):
        raise DomainError("club.error.past_day")
    manager.dialog_data["date"] = day.isoformat()
    await manager.switch_to(ClubForm.time)


async def on_time(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    _, clock, _ = _deps(manager)
    value = f"{item_id[:2]}:{item_id[2:]}"
    if value not in TIMES:
        raise DomainError("error.stale_button")
    d = manager.dialog_data
    if local_to_utc(dt.date.fromisoformat(str(d["date"])), value, str(d["zone"])) <= clock.now():
        raise DomainError("club.error.past")
    d["time"] = value
    await _next(manager, ClubForm.place)


async def on_place(message: Message, widget: Any, manager: DialogManager) -> None:
    await _typed(message, manager, "place", events.clean_place, ClubForm.audience)


async def on_skip_place(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["place"] = ""
    await _next(manager, ClubForm.audience)


async def on_audience(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    manager.dialog_data["audience"] = chosen(ClubAudience, item_id).value
    await _next(manager, ClubForm.capacity)


async def on_capacity(
    callback: CallbackQuery, widget: Any, manager: DialogManager, item_id: str
) -> None:
    # A button's id (a forged one is any text): a few plain digits, else no limit.
    fits = plain_digits(item_id) and len(item_id) <= 5
    manager.dialog_data["capacity"] = int(item_id) if fits else 0
    await _next(manager, ClubForm.description)


async def on_capacity_typed(message: Message, widget: Any, manager: DialogManager) -> None:
    await _typed(message, manager, "capacity", events.clean_capacity, ClubForm.description)


async def on_description(message: Message, widget: Any, manager: DialogManager) -> None:
    await _typed(message, manager, "description", events.clean_description, ClubForm.confirm)


async def on_skip_description(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data["description"] = ""
    await _next(manager, ClubForm.confirm)


async def _finish(
    callback: CallbackQuery, manager: DialogManager, event_id: int, note: str
) -> None:
    session, clock, actor = _deps(manager)
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    card = await events.card_of(session, actor, event_id, clock.now())
    if isinstance(callback.message, Message):
        await callback.message.edit_text(
            note + "\n\n" + card_text(card), reply_markup=card_markup(card)
        )


async def on_save(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    session, clock, actor = _deps(manager)
    event_id = int(manager.dialog_data.get("event_id") or 0)
    if event_id:
        told = await events.update(session, actor, event_id, _draft(manager), clock.now())
        note = t("club.dlg.updated.told" if told else "club.dlg.updated")
    else:
        event_id = await events.create(
            session, actor, _draft(manager), clock.now(), place=_place(manager)
        )
        note = t("club.dlg.saved")
    await _finish(callback, manager, event_id, note)


async def on_publish(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    session, clock, actor = _deps(manager)
    event_id = await events.create(
        session, actor, _draft(manager), clock.now(), place=_place(manager)
    )
    reached = await publishing.publish(session, actor, event_id, clock.now())
    await _finish(callback, manager, event_id, t("club.published", n=reached))


async def on_cancel(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    await manager.done(show_mode=ShowMode.NO_UPDATE)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(t("club.dlg.cancelled"), reply_markup=None)


async def on_stray(message: Message, widget: Any, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.SEND
    await message.answer(t("club.dlg.use_buttons"))


# --- getters -----------------------------------------------------------------------------


async def title_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("club.dlg.title")}


async def kind_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {
        "text": t("club.dlg.kind", title=str(dialog_manager.dialog_data["title"])),
        "kinds": [(k.value, kind_title(k)) for k in ClubEventKind],
    }


async def date_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("club.dlg.date")}


async def time_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    day = dt.date.fromisoformat(str(dialog_manager.dialog_data["date"]))
    return {"text": t("club.dlg.time", day=day_text(day)), "times": TIMES}


async def place_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("club.dlg.place")}


async def audience_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {
        "text": t("club.dlg.audience"),
        "audiences": [(a.value, audience_title(a)) for a in ClubAudience],
    }


async def capacity_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    options = [("0", t("club.dlg.capacity.none"))] + [(str(n), str(n)) for n in CAPACITIES]
    return {"text": t("club.dlg.capacity"), "capacities": options}


async def description_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("club.dlg.description")}


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    draft = _draft(dialog_manager)
    block = event_block(
        title=draft.title,
        kind=draft.kind,
        starts_at=draft.starts_at,
        zone=str(dialog_manager.dialog_data["zone"]),
        place=draft.place,
        audience=draft.audience,
        capacity=draft.capacity,
        description=draft.description,
    )
    dialog_manager.dialog_data["review"] = True
    editing = bool(dialog_manager.dialog_data.get("event_id"))
    return {
        "text": t("club.dlg.confirm.edit" if editing else "club.dlg.confirm", event=Html(block)),
        "adding": not editing,
        "editing": editing,
    }


# --- the dialog ----------------------------------------------------------------------------


def _cancel() -> Button:
    return Button(Tr("club.dlg.cancel"), id="cancel", on_click=on_cancel)


def _select(id: str, items: str, on_click: Any) -> Select[Any]:
    return Select(
        Format("{item[1]}"),
        id=id,
        item_id_getter=lambda item: item[0],
        items=items,
        on_click=on_click,
    )


def _change(key: str, state: State) -> SwitchTo:
    return SwitchTo(Tr(f"club.dlg.change.{key}"), id=f"ch_{key}", state=state)


def create_dialog() -> Dialog:
    dialog = Dialog(
        Window(
            Format("{text}"),
            _cancel(),
            MessageInput(on_title),
            state=ClubForm.title,
            getter=title_getter,
        ),
        Window(
            Format("{text}"),
            Group(_select("kind", "kinds", on_kind), width=2),
            _cancel(),
            MessageInput(on_stray),
            state=ClubForm.kind,
            getter=kind_getter,
        ),
        Window(
            Format("{text}"),
            MeetingCalendar(id="cal", on_click=on_date),
            _cancel(),
            MessageInput(on_stray),
            state=ClubForm.date,
            getter=date_getter,
        ),
        Window(
            Format("{text}"),
            Group(
                Select(
                    Format("{item}"),
                    id="time",
                    item_id_getter=lambda item: item.replace(":", ""),
                    items="times",
                    on_click=on_time,
                ),
                width=4,
            ),
            Row(SwitchTo(Tr("club.dlg.back"), id="back_date", state=ClubForm.date), _cancel()),
            MessageInput(on_stray),
            state=ClubForm.time,
            getter=time_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("club.dlg.skip_place"), id="skip_place", on_click=on_skip_place),
            _cancel(),
            MessageInput(on_place),
            state=ClubForm.place,
            getter=place_getter,
        ),
        Window(
            Format("{text}"),
            Group(_select("aud", "audiences", on_audience), width=1),
            _cancel(),
            MessageInput(on_stray),
            state=ClubForm.audience,
            getter=audience_getter,
        ),
        Window(
            Format("{text}"),
            Group(_select("cap", "capacities", on_capacity), width=3),
            _cancel(),
            MessageInput(on_capacity_typed),
            state=ClubForm.capacity,
            getter=capacity_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("club.dlg.skip_description"), id="skip_desc", on_click=on_skip_description),
            _cancel(),
            MessageInput(on_description),
            state=ClubForm.description,
            getter=description_getter,
        ),
        Window(
            Format("{text}"),
            Button(Tr("club.dlg.publish"), id="publish", on_click=on_publish, when="adding"),
            Button(Tr("club.dlg.save"), id="save", on_click=on_save, when="adding"),
            Button(Tr("club.dlg.save_changes"), id="save_ch", on_click=on_save, when="editing"),
            Row(_change("title", ClubForm.title), _change("kind", ClubForm.kind)),
            Row(_change("date", ClubForm.date), _change("place", ClubForm.place)),
            Row(_change("audience", ClubForm.audience), _change("capacity", ClubForm.capacity)),
            Row(_change("description", ClubForm.description), _cancel()),
            MessageInput(on_stray),
            state=ClubForm.confirm,
            getter=confirm_getter,
        ),
        on_start=on_start,
        name="club_event",
    )
    dialog.callback_query.filter(F.data.contains(CB_SEP))
    dialog.message.filter(StateFilter(None))
    return dialog
