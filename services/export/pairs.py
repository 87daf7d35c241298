"""«Пары и группы» (the pairs that worked in the academic year) and «Персонализированные
программы» (each goal of each plan), keyset pages with a grouped query per page."""

from __future__ import annotations

import zoneinfo
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingStatus, Pair, PairAddendum, PairStatus, PlanGoal
from services.export.lookups import Lookups, pair_in_year
from services.export.scope import ExportScope
from services.export.workbook import Column, Kind, Row

CHUNK = 2000


def pair_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.school"), width=28),
        Column(t("export.col.mentor"), width=30),
        Column(t("export.col.mentees"), width=40),
        Column(t("export.col.pair_or_group"), width=11),
        Column(t("export.col.order_number"), width=12),
        Column(t("export.col.order_date"), Kind.DATE, 13),
        Column(t("export.col.started"), Kind.DATE, 12),
        Column(t("export.col.stage"), width=30),
        Column(t("export.col.meetings_held"), Kind.INT, 10),
        Column(t("export.col.finished"), Kind.DATE, 13),
        Column(t("export.col.pair_outcome"), width=24),
        Column(t("export.col.addendum"), width=40),
    ]


def goal_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.school"), width=28),
        Column(t("export.col.pair"), width=44),
        Column(t("export.col.mentee"), width=30),
        Column(t("export.col.deficit"), width=32),
        Column(t("export.col.goal"), width=50),
        Column(t("export.col.deadline"), Kind.DATE, 12),
        Column(t("export.col.goal_status"), width=14),
    ]


def _addendum(a: PairAddendum | None, t: Any) -> str:
    """The addendum's details, or a flag: a pair without one is to be seen at once."""
    if a is None:
        return str(t("export.addendum.none"))
    return str(
        t(
            "export.addendum.value",
            number=a.number,
            signed=a.signed_on.strftime("%d.%m.%Y"),
            starts=a.starts_on.strftime("%d.%m.%Y"),
            ends=a.ends_on.strftime("%d.%m.%Y"),
            form=t(f"addendum.form.{a.form.value}"),
            paid=t("addendum.paid.yes") if a.paid else t("addendum.paid.no"),
        )
    )


def _local_date(at: Any, zone: str) -> Any:
    return at.astimezone(zoneinfo.ZoneInfo(zone)).date() if at is not None else None


async def pair_rows(session: AsyncSession, scope: ExportScope, lk: Lookups) -> AsyncIterator[Row]:
    t = lk.text
    base = (
        select(
            Pair.id,
            Pair.school_id,
            Pair.status,
            Pair.next_kind,
            Pair.order_number,
            Pair.order_date,
            Pair.formed_at,
            Pair.stage_since,
            Pair.ended_at,
        )
        .where(pair_in_year(scope))
        .order_by(Pair.id)
        .limit(CHUNK)
    )
    last = 0
    while True:
        chunk = (await session.execute(base.where(Pair.id > last))).all()
        if not chunk:
            return
        lo, hi = chunk[0].id, chunk[-1].id
        held = {
            pair_id: int(n)
            for pair_id, n in await session.execute(
                select(Meeting.pair_id, func.count(Meeting.id))
                .where(
                    Meeting.pair_id.between(lo, hi),
                    Meeting.status == MeetingStatus.HELD,
                    Meeting.starts_at >= scope.starts,
                    Meeting.starts_at < scope.ends,
                )
                .group_by(Meeting.pair_id)
            )
        }
        addenda = {
            a.pair_id: a
            for a in await session.scalars(
                select(PairAddendum)
                .where(PairAddendum.pair_id.between(lo, hi))
                .order_by(PairAddendum.id)
            )
        }  # the latest of each pair wins
        for p in chunk:
            zone = scope.zones[p.school_id]
            mentor, mentees = lk.pairs.get(p.id, (0, []))
            if p.status == PairStatus.COMPLETED:
                stage, finished = t("export.stage.completed"), _local_date(p.stage_since, zone)
            elif p.status == PairStatus.ENDED:
                stage, finished = t("export.stage.ended"), _local_date(p.ended_at, zone)
            else:
                kind = p.next_kind.value if p.next_kind is not None else "none"
                stage, finished = t(f"export.stage.next.{kind}"), None
                if p.status == PairStatus.PAUSED:
                    stage = t("export.stage.paused", stage=stage)
            yield (
                scope.school_names[p.school_id],
                lk.name(mentor),
                ", ".join(lk.name(m) or "" for m in mentees) or None,
                t("export.group") if len(mentees) > 1 else t("export.pair"),
                p.order_number,
                p.order_date,
                _local_date(p.formed_at, zone),
                stage,
                held.get(p.id, 0),
                finished,
                t(f"export.pair_outcome.{p.status.value}"),
                _addendum(addenda.get(p.id), t),
            )
        last = hi


async def goal_rows(session: AsyncSession, scope: ExportScope, lk: Lookups) -> AsyncIterator[Row]:
    t = lk.text
    in_year = select(Pair.id).where(pair_in_year(scope))
    base = (
        select(
            PlanGoal.id,
            PlanGoal.pair_id,
            PlanGoal.mentee_id,
            PlanGoal.catalogue_item_id,
            PlanGoal.title,
            PlanGoal.target_month,
            PlanGoal.status,
            Pair.school_id,
        )
        .join(Pair, Pair.id == PlanGoal.pair_id)
        .where(PlanGoal.pair_id.in_(in_year))
        .order_by(PlanGoal.id)
        .limit(CHUNK)
    )
    last = 0
    while True:
        chunk = (await session.execute(base.where(PlanGoal.id > last))).all()
        if not chunk:
            return
        for g in chunk:
            yield (
                scope.school_names[g.school_id],
                lk.pair_label(g.pair_id),
                lk.name(g.mentee_id) if g.mentee_id else t("export.goal.whole_group"),
                lk.catalogue.get(g.catalogue_item_id) if g.catalogue_item_id else None,
                g.title,
                g.target_month,
                t(f"export.goal.{g.status.value}"),
            )
        last = chunk[-1].id
