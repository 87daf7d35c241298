"""«Учёт работы наставников»: per mentor and month, pairs, meetings held (their minutes),
the minutes logged by kind, and the total in hours. The same rows make the sheet of the
export (every month of the academic year so far) and the xlsx of the monthly table."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from services import hours
from services.export.lookups import Text
from services.export.scope import ExportScope
from services.export.workbook import Column, Kind, Row, Sheet, write


def columns(text: Text) -> list[Column]:
    return [
        Column(text("export.col.school"), width=28),
        Column(text("hours.col.month"), Kind.DATE, 11),
        Column(text("export.col.mentor"), width=30),
        Column(text("hours.col.pairs"), Kind.INT, 8),
        Column(text("hours.col.meetings"), Kind.INT, 9),
        Column(text("hours.col.meeting_minutes"), Kind.INT, 11),
        *(Column(text(f"hours.col.kind.{k.value}"), Kind.INT, 14) for k in hours.KINDS),
        Column(text("hours.col.total_minutes"), Kind.INT, 11),
        Column(text("hours.col.total_hours"), Kind.NUMBER, 10),
    ]


def row(school_name: str, month: dt.date, r: hours.MentorMonth, text: Text) -> Row:
    return [
        school_name,
        month,
        r.name or text("pairs.name.erased"),
        r.pairs,
        r.meetings,
        r.meeting_minutes,
        *(r.by_kind.get(k, 0) for k in hours.KINDS),
        r.total_minutes,
        round(r.total_minutes / 60, 1),
    ]


def _months(scope: ExportScope) -> list[dt.date]:
    first = scope.starts.astimezone(scope.tz).date().replace(day=1)
    last = min(scope.today, (scope.ends - dt.timedelta(days=1)).astimezone(scope.tz).date())
    months, m = [], first
    while m <= last:
        months.append(m)
        m = hours.next_month(m)
    return months


async def export_rows(session: AsyncSession, scope: ExportScope, text: Text) -> AsyncIterator[Row]:
    for month in _months(scope):
        for school_id in scope.school_ids:
            found = await hours.school_month(session, school_id, month)
            for r in found.rows:
                yield row(found.school_name, month, r, text)


async def month_workbook(found: hours.SchoolMonth, text: Text) -> bytes:
    """The monthly table as an xlsx (one sheet)."""

    async def rows() -> AsyncIterator[Row]:
        for r in found.rows:
            yield row(found.school_name, found.month, r, text)

    title = text("export.sheet.hours")
    heading = text(
        "hours.xlsx.heading", school=found.school_name, month=found.month.strftime("%m.%Y")
    )
    buf = io.BytesIO()
    await write(buf, [Sheet(title, heading, columns(text), rows())])
    return buf.getvalue()
