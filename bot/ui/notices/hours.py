"""Last month's hours table for a curator (or a coordinator, per school): in chat and
as xlsx. Nothing is sent for a month without any mentoring recorded."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.notices.base import Notice, Renderer
from bot.ui.views.hours import table_text
from models import Outbox
from services import hours
from services.export.hours import month_workbook
from services.outbox import Kind


async def monthly(session: AsyncSession, row: Outbox) -> Notice | None:
    month = dt.date.fromisoformat(str(row.payload["month"]) + "-01")
    found = await hours.school_month(session, int(row.payload["school_id"]), month)
    if not found.rows:
        return None
    text = table_text(found)
    data = await month_workbook(found, t)
    name = f"hours-{month:%Y-%m}-school{found.school_id}.xlsx"
    return Notice(text, attachment=(name, data), attachment_caption=t("hours.xlsx.caption"))


RENDERERS: dict[str, Renderer] = {Kind.HOURS_MONTHLY: monthly}
