"""The Excel export: one .xlsx for a school (its curator), a municipality (its
coordinator) or a region (its regional coordinator: «Сводная по муниципалитетам», then
«Сводная по ОО» of all its schools, the other sheets over the whole region), with the
seeds' sheets and column names (shared/domain/reporting.md).

Written by openpyxl in write-only mode, each long sheet streamed from the database in
keyset pages, so the memory it takes does not grow with the number of meetings. Texts
(sheet names, headers, values such as a meeting's kind) come from the caller's locale
through ``text``: services import no aiogram. Every export is written to the audit log:
who, which scope, when (never the content).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy.ext.asyncio import AsyncSession

from services import audit, regions
from services.access import Actor
from services.export import club, figures, hours, lookups, meetings, pairs, people
from services.export.lookups import Text
from services.export.scope import ExportScope, Level, file_stem
from services.export.workbook import Column, Row, Sheet, write

AUDIT_ACTION = "export.xlsx"
AUDIT_WITH_DIGEST = "export.xlsx.digest"  # sent by the scheduler with a digest


@dataclass(frozen=True)
class Exported:
    filename: str
    rows: dict[str, int]  # sheet → data rows


def filename(scope: ExportScope, text: Text) -> str:
    return file_stem(scope, text("export.file_prefix")) + ".xlsx"


async def sheets(
    session: AsyncSession, actor: Actor, scope: ExportScope, text: Text
) -> list[Sheet]:
    """The sheets in order, each with its rows still to be read (an async generator)."""
    lk = await lookups.load(session, scope, text)
    by_region = (
        await regions.region_report(session, actor, scope.id, scope.now)
        if scope.level == Level.REGION
        else None
    )
    report = (
        figures.region_as_report(by_region)
        if by_region is not None
        else await figures.indicator_report(session, actor, scope)
    )
    at = figures.generated_at(scope)
    period = text(
        "export.heading",
        scope=scope.name,
        year=scope.year,
        at=at.strftime("%d.%m.%Y %H:%M"),
    )

    def sheet(key: str, columns: list[Column], rows: AsyncIterator[Row]) -> Sheet:
        title = text(f"export.sheet.{key}")
        return Sheet(title, text("export.heading.sheet", sheet=title, period=period), columns, rows)

    out = [
        sheet(
            "indicators",
            figures.indicator_columns(lk, scope.year),
            figures.indicator_rows(report, scope, lk),
        ),
        sheet("mentees", people.mentee_columns(lk), people.mentee_rows(session, scope, lk)),
        sheet("mentors", people.mentor_columns(lk), people.mentor_rows(session, scope, lk)),
        sheet("pairs", pairs.pair_columns(lk), pairs.pair_rows(session, scope, lk)),
        sheet("programmes", pairs.goal_columns(lk), pairs.goal_rows(session, scope, lk)),
        sheet("meetings", meetings.meeting_columns(lk), meetings.meeting_rows(session, scope, lk)),
        sheet(
            "feedback", meetings.feedback_columns(lk), meetings.feedback_rows(session, scope, lk)
        ),
        sheet(
            "surveys", figures.survey_columns(lk), figures.survey_rows(session, actor, scope, lk)
        ),
        sheet("club", club.club_columns(lk), club.club_rows(session, scope, lk)),
        sheet(
            "achievements",
            club.achievement_columns(lk),
            club.achievement_rows(session, scope, lk),
        ),
        sheet("hours", hours.columns(text), hours.export_rows(session, scope, text)),
    ]
    if by_region is not None:
        out.append(
            sheet(
                "region_summary",
                figures.region_summary_columns(lk),
                figures.region_summary_rows(session, scope, by_region, lk),
            )
        )
    if scope.level in (Level.MUNICIPALITY, Level.REGION):
        out.append(
            sheet(
                "summary",
                figures.summary_columns(lk),
                figures.summary_rows(session, scope, report, lk),
            )
        )
    return out


async def export(
    session: AsyncSession,
    actor: Actor,
    scope: ExportScope,
    text: Text,
    target: str | Path | IO[bytes],
    *,
    action: str = AUDIT_ACTION,
) -> Exported:
    """Write the workbook to ``target`` and record the export in the audit log (the
    caller's transaction is committed here: the use case ends with it)."""
    rows = await write(target, await sheets(session, actor, scope, text))
    audit.record(
        session,
        scope.now,
        action,
        actor_id=actor.participant_id,
        object_type=scope.level.value,
        object_id=scope.id,
    )
    await session.commit()
    return Exported(filename(scope, text), rows)
