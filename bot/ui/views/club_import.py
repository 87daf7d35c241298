"""The club plan import as people read it: what will be added (row by row), what is
already in the plan, and every bad row with its column and value."""

from __future__ import annotations

import zoneinfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import ClubImportCb
from bot.ui.imports import bullet_list, error_line
from bot.ui.views.club import audience_title, kind_title
from services.club.plan_import import PlanImport, PlannedEvent

BOT_LIMIT = 30


def event_line(event: PlannedEvent, zone: str) -> str:
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo(zone))
    when = local.strftime("%d.%m.%Y %H:%M" if event.timed else "%d.%m.%Y")
    return t(
        "club.import.line",
        row=event.row,
        when=when,
        title=event.title,
        kind=kind_title(event.kind),
        audience=audience_title(event.audience),
    )


def preview_text(
    plan: PlanImport, filename: str, zone: str, *, limit: int | None, in_bot: bool = True
) -> str:
    parts = [t("club.import.title", file=filename)]
    if plan.events:
        parts.append(t("club.import.adding", n=len(plan.events)))
        parts.append(bullet_list((event_line(e, zone) for e in plan.events), limit))
        if any(not e.timed for e in plan.events):
            parts.append(t("club.import.default_time"))
    if plan.known:
        parts.append(t("club.import.known", n=len(plan.known)))
    if plan.errors:
        parts.append(t("club.import.errors", n=len(plan.errors)))
        parts.append(bullet_list((error_line(e) for e in plan.errors), limit))
        parts.append(t("club.import.fix_and_resend" if in_bot else "club.import.fix_and_rerun"))
    elif not plan.events:
        parts.append(t("club.import.nothing"))
    return "\n\n".join(parts)


def confirm_markup(plan: PlanImport, token: str) -> InlineKeyboardMarkup | None:
    if plan.errors or not plan.events:
        return None
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("club.import.button", n=len(plan.events)),
        callback_data=ClubImportCb(action="go", token=token),
    )
    kb.button(text=t("club.dlg.cancel"), callback_data=ClubImportCb(action="cancel", token=token))
    kb.adjust(1)
    return kb.as_markup()


def done_text(plan: PlanImport) -> str:
    return t("club.import.done", n=plan.added)
