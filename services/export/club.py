"""The sheet «Мероприятия»: the club's events of the year in the scope (the
municipality's club and the scope's schools' own events): form, time, audience,
places, how many said they would come, waited, came, and their mean rating."""

from __future__ import annotations

import zoneinfo
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Achievement, ClubAttendance, ClubEvent, ClubRsvp, Participant, RsvpStatus
from services.export.lookups import Lookups
from services.export.scope import ExportScope
from services.export.workbook import Column, Kind, Row, naive_local


def club_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.club_title"), width=40),
        Column(t("export.col.club_kind"), width=18),
        Column(t("export.col.starts_at"), Kind.DATETIME, 17),
        Column(t("export.col.school"), width=28),
        Column(t("export.col.club_place"), width=30),
        Column(t("export.col.club_audience"), width=20),
        Column(t("export.col.club_capacity"), Kind.INT, 10),
        Column(t("export.col.club_status"), width=14),
        Column(t("export.col.club_going"), Kind.INT, 12),
        Column(t("export.col.club_waiting"), Kind.INT, 12),
        Column(t("export.col.club_came"), Kind.INT, 10),
        Column(t("export.col.club_rating"), Kind.NUMBER, 12),
    ]


async def club_rows(session: AsyncSession, scope: ExportScope, lk: Lookups) -> AsyncIterator[Row]:
    t = lk.text
    zone = zoneinfo.ZoneInfo(scope.zone)

    def count(status: RsvpStatus) -> Any:
        return (
            select(func.count())
            .where(ClubRsvp.event_id == ClubEvent.id, ClubRsvp.status == status)
            .scalar_subquery()
        )

    came = select(func.count()).where(ClubAttendance.event_id == ClubEvent.id).scalar_subquery()
    rating = (
        select(func.avg(ClubAttendance.rating))
        .where(ClubAttendance.event_id == ClubEvent.id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(ClubEvent, count(RsvpStatus.GOING), count(RsvpStatus.WAITING), came, rating)
        .where(
            ClubEvent.municipality_id.in_(scope.municipalities),
            or_(ClubEvent.school_id.is_(None), ClubEvent.school_id.in_(scope.school_ids)),
            ClubEvent.starts_at >= scope.starts,
            ClubEvent.starts_at < scope.ends,
        )
        .order_by(ClubEvent.starts_at, ClubEvent.id)
    )
    for event, going, waiting, attended, mean in rows.all():
        yield [
            event.title,
            t(f"club.kind.{event.kind.value}"),
            naive_local(event.starts_at, zone),
            scope.school_names.get(event.school_id, "")
            if event.school_id
            else t("export.club.municipal"),
            event.place or "",
            t(f"club.audience.{event.audience.value}"),
            event.capacity,
            t(f"export.club.status.{event.status.value}"),
            going,
            waiting,
            attended,
            round(float(mean), 1) if mean is not None else None,
        ]


def achievement_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.school"), width=28),
        Column(t("export.col.achievement_person"), width=34),
        Column(t("export.col.achievement_kind"), width=22),
        Column(t("export.col.achievement_title"), width=44),
        Column(t("export.col.achievement_level"), width=22),
        Column(t("export.col.achievement_result"), width=18),
        Column(t("export.col.achievement_date"), Kind.DATE, 13),
    ]


async def achievement_rows(
    session: AsyncSession, scope: ExportScope, lk: Lookups
) -> AsyncIterator[Row]:
    """«Конкурсы и достижения»: the portfolio entries of the scope's participants."""
    t = lk.text
    rows = await session.execute(
        select(Achievement, Participant.school_id)
        .join(Participant, Participant.id == Achievement.participant_id)
        .where(Participant.school_id.in_(scope.school_ids))
        .order_by(Participant.school_id, Achievement.on_date, Achievement.id)
    )
    for entry, school_id in rows.all():
        yield [
            scope.school_names.get(school_id or 0, ""),
            lk.name(entry.participant_id),
            t(f"portfolio.kind.{entry.kind.value}"),
            entry.title,
            t(f"portfolio.level.{entry.level}") if entry.level else "",
            t(f"portfolio.result.{entry.result}") if entry.result else "",
            entry.on_date,
        ]
