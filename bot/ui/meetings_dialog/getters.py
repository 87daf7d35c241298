"""What each window shows. Getters take the session, the clock and the actor from the
middleware data, like handlers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.dates import day_text, zone_city
from bot.ui.kinds import kind_title
from bot.ui.meetings_dialog.context import PARTS, draft_block, flags, mode, others
from bot.ui.meetings_dialog.states import Mode
from models import MeetingFormat, MeetingKind
from services import meetings
from services.access import Actor


async def my_pair(manager: DialogManager, session: AsyncSession, actor: Actor) -> meetings.MyPair:
    return await meetings.card_of(
        session, actor.participant_id or 0, int(manager.dialog_data["pair_id"])
    )


async def kind_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, **_: Any
) -> dict[str, Any]:
    card = await my_pair(dialog_manager, session, actor)
    key = (
        "meeting.dlg.kind.log" if mode(dialog_manager) == Mode.LOG else "meeting.dlg.kind.schedule"
    )
    text = t(key, others=others(card), kind=kind_title(card.next_kind) if card.next_kind else "—")
    if MeetingKind.FINAL in card.kinds and card.next_kind != MeetingKind.FINAL:
        text += "\n\n" + t("meeting.dlg.kind.final_hint")
    return {"text": text, "kinds": [(k.value, kind_title(k)) for k in card.kinds]}


async def date_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    kind = kind_title(dialog_manager.dialog_data["kind"])
    text = t(f"meeting.dlg.date.{mode(dialog_manager).value}", kind=kind)
    return {"text": text, **flags(dialog_manager)}


async def time_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    d = dialog_manager.dialog_data
    text = t(
        "meeting.dlg.time",
        kind=kind_title(d["kind"]),
        day=day_text(dt.date.fromisoformat(d["date"])),
        city=zone_city(d["zone"]),
    )
    first, last = PARTS[d["part"]]
    times = [s for s in meetings.slots() if first <= s <= last]
    parts = [
        (
            name,
            ("• " + t(f"meeting.dlg.part.{name}") + " •")
            if name == d["part"]
            else t(f"meeting.dlg.part.{name}"),
        )
        for name in PARTS
    ]
    return {"text": text, "times": times, "parts": parts, **flags(dialog_manager)}


async def format_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": t("meeting.dlg.format", meeting=draft_block(dialog_manager))}


async def place_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    fmt = dialog_manager.dialog_data.get("format") or MeetingFormat.OFFLINE.value
    return {"text": t(f"meeting.dlg.place.{fmt}")}


async def confirm_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, **_: Any
) -> dict[str, Any]:
    card = await my_pair(dialog_manager, session, actor)
    shown = flags(dialog_manager)
    key = "meeting.dlg.confirm.move" if shown["is_move"] else "meeting.dlg.confirm"
    text = t(key, meeting=draft_block(dialog_manager), others=others(card))
    return {"text": text, **shown}


async def duration_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    text = t("meeting.dlg.duration", meeting=draft_block(dialog_manager))
    durations = [(str(n), t("meeting.button.minutes", n=n)) for n in meetings.DURATIONS]
    return {"text": text, "durations": durations}


async def log_confirm_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, **_: Any
) -> dict[str, Any]:
    card = await my_pair(dialog_manager, session, actor)
    text = t(
        "meeting.dlg.log_confirm",
        others=others(card),
        meeting=draft_block(dialog_manager),
        minutes=int(dialog_manager.dialog_data["duration"]),
    )
    return {"text": text, **flags(dialog_manager)}
