"""«База наставляемых» and «База наставников»: everyone with the role in the scope's
schools, in chunks of CHUNK people (keyset by id), each chunk with a fixed handful of
grouped queries. A withdrawn person stays as a row of the school («выбывший
участник», every attribute erased), so the counts add up and nobody is named."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Row as SqlRow
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgeGroup,
    CatalogueKind,
    CatalogueMark,
    Consent,
    Feedback,
    FeedbackStatus,
    GoalStatus,
    MenteeProfile,
    MentorProfile,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Role,
    RoleGrant,
)
from services.export.lookups import LIVE, Lookups
from services.export.scope import ExportScope
from services.export.workbook import Column, Kind, Row

CHUNK = 2000
YOUNG_MAX_YEARS = 3
SHOWN = (ParticipantStatus.ACTIVE, ParticipantStatus.LEFT)


def mentee_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.full_name"), width=32),
        Column(t("export.col.school"), width=28),
        Column(t("export.col.position_subject"), width=26),
        Column(t("export.col.experience"), Kind.INT, 9),
        Column(t("export.col.young"), width=13),
        Column(t("export.col.under35"), width=9),
        Column(t("export.col.category"), width=22),
        Column(t("export.col.deficits"), width=40),
        Column(t("export.col.request"), width=40),
        Column(t("export.col.consent"), Kind.DATE, 14),
        Column(t("export.col.mentor"), width=30),
        Column(t("export.col.order_number"), width=12),
        Column(t("export.col.order_date"), Kind.DATE, 13),
        Column(t("export.col.goals"), Kind.INT, 11),
        Column(t("export.col.goals_done"), Kind.INT, 11),
        Column(t("export.col.rating"), Kind.NUMBER, 16),
        Column(t("export.col.outcome"), width=30),
    ]


def mentor_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.full_name"), width=32),
        Column(t("export.col.school"), width=28),
        Column(t("export.col.position_subject"), width=26),
        Column(t("export.col.experience"), Kind.INT, 9),
        Column(t("export.col.category"), width=22),
        Column(t("export.col.competencies"), width=40),
        Column(t("export.col.capacity"), Kind.INT, 12),
        Column(t("export.col.leads_now"), Kind.INT, 12),
        Column(t("export.col.mentees"), width=40),
        Column(t("export.col.consent"), Kind.DATE, 14),
        Column(t("export.col.status"), width=24),
    ]


def _with_role(role: Role) -> Any:
    return exists().where(RoleGrant.participant_id == Participant.id, RoleGrant.role == role)


async def _chunks(
    session: AsyncSession, scope: ExportScope, role: Role, extra: Sequence[Any]
) -> AsyncIterator[list[SqlRow[Any]]]:
    base = (
        select(
            Participant.id,
            Participant.full_name,
            Participant.school_id,
            Participant.position,
            Participant.subject,
            Participant.experience_years,
            Participant.age_group,
            Participant.category,
            Participant.status,
            *extra,
        )
        .where(
            Participant.school_id.in_(scope.school_ids),
            Participant.status.in_(SHOWN),
            _with_role(role),
        )
        .order_by(Participant.id)
        .limit(CHUNK)
    )
    if role == Role.MENTEE:
        base = base.outerjoin(MenteeProfile, MenteeProfile.participant_id == Participant.id)
    else:
        base = base.outerjoin(MentorProfile, MentorProfile.participant_id == Participant.id)
    last = 0
    while True:
        chunk = list((await session.execute(base.where(Participant.id > last))).all())
        if not chunk:
            return
        yield chunk
        last = chunk[-1].id


async def _marks(
    session: AsyncSession, kind: CatalogueKind, lo: int, hi: int
) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for pid, item in await session.execute(
        select(CatalogueMark.participant_id, CatalogueMark.item_id).where(
            CatalogueMark.kind == kind, CatalogueMark.participant_id.between(lo, hi)
        )
    ):
        found.setdefault(pid, []).append(item)
    return found


async def _consents(session: AsyncSession, scope: ExportScope, lo: int, hi: int) -> dict[int, Any]:
    return {
        pid: at.astimezone(scope.tz).date() if at else None
        for pid, at in await session.execute(
            select(Consent.participant_id, func.max(Consent.given_at))
            .where(Consent.participant_id.between(lo, hi), Consent.withdrawn_at.is_(None))
            .group_by(Consent.participant_id)
        )
    }


def _position(position: str | None, subject: str | None) -> str | None:
    parts = [p for p in (position, subject) if p]
    return ", ".join(parts) or None


def _yes_no(lk: Lookups, value: bool | None) -> str | None:
    if value is None:
        return None
    return lk.text("export.yes") if value else lk.text("export.no")


def _category(lk: Lookups, value: Any) -> str | None:
    return lk.text(f"export.category.{value.value}") if value is not None else None


async def mentee_rows(session: AsyncSession, scope: ExportScope, lk: Lookups) -> AsyncIterator[Row]:
    async for chunk in _chunks(session, scope, Role.MENTEE, [MenteeProfile.request_text]):
        lo, hi = chunk[0].id, chunk[-1].id
        deficits = await _marks(session, CatalogueKind.DEFICIT, lo, hi)
        consents = await _consents(session, scope, lo, hi)
        # Each mentee's latest membership, a live one first.
        membership: dict[int, tuple[Any, ...]] = {}
        for row in await session.execute(
            select(
                PairMember.mentee_id,
                Pair.id,
                Pair.mentor_id,
                Pair.status,
                Pair.order_number,
                Pair.order_date,
                PairMember.left_at,
            )
            .join(Pair, Pair.id == PairMember.pair_id)
            .where(PairMember.mentee_id.between(lo, hi))
            .order_by(PairMember.joined_at, PairMember.id)
        ):
            mentee_id, _, _, status, _, _, left_at = row
            current = membership.get(mentee_id)
            live = status in LIVE and left_at is None
            if current is None or live or not (current[3] in LIVE and current[6] is None):
                membership[mentee_id] = tuple(row)
        pair_ids = sorted({m[1] for m in membership.values()})
        goals: dict[tuple[int, int | None], tuple[int, int]] = {}
        if pair_ids:
            for pair_id, goal_mentee, n_goals, n_done in await session.execute(
                select(
                    PlanGoal.pair_id,
                    PlanGoal.mentee_id,
                    func.count(PlanGoal.id),
                    func.count(PlanGoal.id).filter(PlanGoal.status == GoalStatus.DONE),
                )
                .where(PlanGoal.pair_id.in_(pair_ids))
                .group_by(PlanGoal.pair_id, PlanGoal.mentee_id)
            ):
                goals[(pair_id, goal_mentee)] = (int(n_goals), int(n_done))
        ratings = {
            pid: round(float(avg), 1)
            for pid, avg in await session.execute(
                select(Feedback.participant_id, func.avg(Feedback.rating))
                .where(
                    Feedback.participant_id.between(lo, hi),
                    Feedback.status == FeedbackStatus.GIVEN,
                    Feedback.rating.is_not(None),
                )
                .group_by(Feedback.participant_id)
            )
        }
        for p in chunk:
            if p.status == ParticipantStatus.LEFT:
                yield _erased_row(lk, scope, p.school_id, 17, lk.text("export.outcome.left"))
                continue
            m = membership.get(p.id)
            total: int | None = None
            done: int | None = None
            if m is not None:
                # A goal without a mentee is the whole pair's (a group's common goal).
                own = goals.get((m[1], p.id), (0, 0))
                common = goals.get((m[1], None), (0, 0))
                total, done = own[0] + common[0], own[1] + common[1]
            yield (
                p.full_name or lk.erased,
                scope.school_names.get(p.school_id),
                _position(p.position, p.subject),
                p.experience_years,
                _yes_no(
                    lk,
                    None if p.experience_years is None else p.experience_years <= YOUNG_MAX_YEARS,
                ),
                _yes_no(lk, None if p.age_group is None else p.age_group == AgeGroup.UNDER_35),
                _category(lk, p.category),
                lk.titles(deficits.get(p.id, [])) or None,
                p.request_text,
                consents.get(p.id),
                lk.name(m[2]) if m else None,
                m[4] if m else None,
                m[5] if m else None,
                total,
                done,
                ratings.get(p.id),
                _mentee_outcome(lk, m),
            )


def _erased_row(
    lk: Lookups, scope: ExportScope, school_id: int | None, width: int, outcome: str
) -> Row:
    row: list[Any] = [None] * width
    row[0] = lk.erased
    row[1] = scope.school_names.get(school_id or 0)
    row[-1] = outcome
    return row


def _mentee_outcome(lk: Lookups, m: tuple[Any, ...] | None) -> str:
    if m is None:
        return lk.text("export.outcome.unmatched")
    status, left_at = m[3], m[6]
    if status == PairStatus.COMPLETED and left_at is None:
        return lk.text("export.outcome.completed")
    if status in LIVE and left_at is None:
        return lk.text(
            "export.outcome.paused" if status == PairStatus.PAUSED else "export.outcome.active"
        )
    return lk.text("export.outcome.ended")


async def mentor_rows(session: AsyncSession, scope: ExportScope, lk: Lookups) -> AsyncIterator[Row]:
    async for chunk in _chunks(session, scope, Role.MENTOR, [MentorProfile.capacity]):
        lo, hi = chunk[0].id, chunk[-1].id
        competencies = await _marks(session, CatalogueKind.COMPETENCY, lo, hi)
        consents = await _consents(session, scope, lo, hi)
        leads: dict[int, list[int]] = {}
        for mentor_id, mentee_id in await session.execute(
            select(Pair.mentor_id, PairMember.mentee_id)
            .join(PairMember, PairMember.pair_id == Pair.id)
            .where(
                Pair.mentor_id.between(lo, hi),
                Pair.status.in_(LIVE),
                PairMember.left_at.is_(None),
            )
            .order_by(Pair.mentor_id, PairMember.joined_at, PairMember.id)
        ):
            leads.setdefault(mentor_id, []).append(mentee_id)
        for p in chunk:
            if p.status == ParticipantStatus.LEFT:
                yield _erased_row(lk, scope, p.school_id, 11, lk.text("export.outcome.left"))
                continue
            mentees = leads.get(p.id, [])
            yield (
                p.full_name or lk.erased,
                scope.school_names.get(p.school_id),
                _position(p.position, p.subject),
                p.experience_years,
                _category(lk, p.category),
                lk.titles(competencies.get(p.id, [])) or None,
                p.capacity,
                len(mentees),
                ", ".join(lk.name(m) or "" for m in mentees) or None,
                consents.get(p.id),
                lk.text("export.outcome.in_programme"),
            )
