"""«Встречи» and «Обратная связь» of the academic year: the two long sheets (a
municipality has a hundred thousand meetings), streamed in keyset pages of CHUNK rows,
the next page read while this one is written (services.export.paging).

Feedback texts leave the bot in a file that may be forwarded (the seeds send the bases
to the methodical centre), so the file carries only what the author opened: in a
curator's export, the texts the author let the other side of the pair read; the ones
kept «Только куратору» stay in the bot (the pair card) and the file says so. The consent
names the school's curator as the reader of feedback, not the coordinator: a
coordinator's export carries ratings, never texts.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Feedback, FeedbackStatus, Meeting, Pair
from services.export.lookups import Lookups
from services.export.paging import read_ahead, turn
from services.export.scope import ExportScope, Level
from services.export.workbook import Column, Kind, Row, naive_local

CHUNK = 5000


def meeting_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.school"), width=28),
        Column(t("export.col.pair"), width=44),
        Column(t("export.col.meeting_kind"), width=22),
        Column(t("export.col.starts_at"), Kind.DATETIME, 17),
        Column(t("export.col.meeting_status"), width=18),
        Column(t("export.col.duration"), Kind.INT, 12),
        Column(t("export.col.format"), width=10),
        Column(t("export.col.topic"), width=36),
        Column(t("export.col.mentor_rating"), Kind.INT, 12),
        Column(t("export.col.mentee_rating"), Kind.NUMBER, 14),
        Column(t("export.col.feedback_given"), Kind.INT, 11),
        Column(t("export.col.feedback_asked"), Kind.INT, 11),
    ]


def feedback_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.school"), width=28),
        Column(t("export.col.pair"), width=44),
        Column(t("export.col.meeting_kind"), width=22),
        Column(t("export.col.meeting_date"), Kind.DATE, 13),
        Column(t("export.col.author"), width=30),
        Column(t("export.col.role"), width=14),
        Column(t("export.col.feedback_status"), width=14),
        Column(t("export.col.score"), Kind.INT, 9),
        Column(t("export.col.helped"), width=44),
        Column(t("export.col.hard"), width=44),
    ]


def texts_leave_bot(level: Level, shared: bool) -> bool:
    """Whether a feedback's texts may go into this export (see the module's note)."""
    return level == Level.SCHOOL and shared


def _meetings_of_scope(scope: ExportScope) -> Any:
    return (
        Pair.school_id.in_(scope.school_ids)
        & (Meeting.starts_at >= scope.starts)
        & (Meeting.starts_at < scope.ends)
    )


async def meeting_rows(
    session: AsyncSession, scope: ExportScope, lk: Lookups
) -> AsyncIterator[Row]:
    t = lk.text
    kinds = {k: t(f"export.kind.{k}") for k in ("intro", "trial", "planning", "regular", "final")}
    statuses: dict[str, str] = {}
    formats: dict[str, str] = {}
    zones = {s: zoneinfo.ZoneInfo(z) for s, z in scope.zones.items()}
    base = (
        select(
            Meeting.id,
            Meeting.pair_id,
            Meeting.kind,
            Meeting.status,
            Meeting.starts_at,
            Meeting.duration_min,
            Meeting.format,
            Meeting.topic,
            Pair.school_id,
        )
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(_meetings_of_scope(scope))
        .order_by(Meeting.id)
        .limit(CHUNK)
    )
    # Core execution on the session's connection: the ORM's row processing is not
    # needed for plain columns, and a hundred thousand rows feel it.
    conn = await session.connection()

    async def page(after: int) -> tuple[list[Any], dict[int, list[tuple[int, Any, Any]]]]:
        chunk = list((await conn.execute(base.where(Meeting.id > after))).all())
        ratings: dict[int, list[tuple[int, Any, Any]]] = {}
        if not chunk:
            return chunk, ratings
        for meeting_id, pid, status, rating in await conn.execute(
            select(Feedback.meeting_id, Feedback.participant_id, Feedback.status, Feedback.rating)
            .join(Meeting, Meeting.id == Feedback.meeting_id)
            .join(Pair, Pair.id == Meeting.pair_id)
            .where(Meeting.id.between(chunk[0].id, chunk[-1].id), _meetings_of_scope(scope))
        ):
            ratings.setdefault(meeting_id, []).append((pid, status, rating))
        return chunk, ratings

    def last_id(p: tuple[list[Any], Any]) -> int | None:
        return p[0][-1].id if p[0] else None

    async for chunk, ratings in read_ahead(page, last_id):
        for n, m in enumerate(chunk):
            await turn(n)
            mentor = lk.pairs.get(m.pair_id, (0, []))[0]
            mentor_rating = None
            mentee_scores: list[int] = []
            given = 0
            fbs = ratings.get(m.id, [])
            for pid, status, rating in fbs:
                if status == FeedbackStatus.GIVEN:
                    given += 1
                    if rating is not None:
                        if pid == mentor:
                            mentor_rating = rating
                        else:
                            mentee_scores.append(rating)
            status_value = m.status.value
            if status_value not in statuses:
                statuses[status_value] = t(f"export.meeting_status.{status_value}")
            fmt = m.format.value if m.format is not None else None
            if fmt is not None and fmt not in formats:
                formats[fmt] = t(f"export.format.{fmt}")
            yield (
                scope.school_names[m.school_id],
                lk.pair_label(m.pair_id),
                kinds[m.kind.value],
                naive_local(m.starts_at, zones[m.school_id]),
                statuses[status_value],
                m.duration_min,
                formats[fmt] if fmt is not None else None,
                m.topic,
                mentor_rating,
                round(sum(mentee_scores) / len(mentee_scores), 1) if mentee_scores else None,
                given,
                len(fbs),
            )


async def feedback_rows(
    session: AsyncSession, scope: ExportScope, lk: Lookups
) -> AsyncIterator[Row]:
    t = lk.text
    kinds = {k: t(f"export.kind.{k}") for k in ("intro", "trial", "planning", "regular", "final")}
    roles = {"mentor": t("export.role.mentor"), "mentee": t("export.role.mentee")}
    statuses = {s.value: t(f"export.feedback_status.{s.value}") for s in FeedbackStatus}
    hidden = t(
        "export.text.private" if scope.level == Level.SCHOOL else "export.text.not_for_coordinator"
    )
    zones = {s: zoneinfo.ZoneInfo(z) for s, z in scope.zones.items()}
    base = (
        select(
            Feedback.id,
            Feedback.participant_id,
            Feedback.status,
            Feedback.rating,
            Feedback.helped,
            Feedback.hard,
            Feedback.shared,
            Meeting.pair_id,
            Meeting.kind,
            Meeting.starts_at,
            Pair.school_id,
        )
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(_meetings_of_scope(scope))
        .order_by(Feedback.id)
        .limit(CHUNK)
    )
    conn = await session.connection()

    async def page(after: int) -> list[Any]:
        return list((await conn.execute(base.where(Feedback.id > after))).all())

    async for chunk in read_ahead(page, lambda p: p[-1].id if p else None):
        for n, f in enumerate(chunk):
            await turn(n)
            mentor = lk.pairs.get(f.pair_id, (0, []))[0]
            helped, hard = f.helped, f.hard
            if (helped or hard) and not texts_leave_bot(scope.level, f.shared):
                helped, hard = hidden, None
            yield (
                scope.school_names[f.school_id],
                lk.pair_label(f.pair_id),
                kinds[f.kind.value],
                f.starts_at.astimezone(zones[f.school_id]).date(),
                lk.name(f.participant_id),
                roles["mentor" if f.participant_id == mentor else "mentee"],
                statuses[f.status.value],
                f.rating,
                helped,
                hard,
            )
