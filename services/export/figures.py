"""The computed sheets: «Показатели эффективности» (services.indicators, with the seeds'
columns), «Анкетирование» (services.surveys.results: aggregates, texts without names,
nothing from fewer than three answers) and the coordinator's «Сводная по ОО».
Small sheets: a few grouped queries each, whatever the number of people."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Meeting,
    MeetingStatus,
    Pair,
    PairMember,
    Participant,
    ParticipantStatus,
    PlanGoal,
    Role,
    RoleGrant,
)
from models.surveys import ROUND_ORDER, Headcount, ItemKind
from services import indicators, regions
from services.access import Actor
from services.export.lookups import Lookups, pair_in_year
from services.export.scope import ExportScope, Level
from services.export.workbook import Column, Kind, Row
from services.indicators import BY_CODE, MIN_ANSWERS, Report, Value
from services.regions import RegionReport
from services.surveys import results

YOUNG_MAX_YEARS = 3


# --- «Показатели эффективности» ---------------------------------------------------------------


def indicator_columns(lk: Lookups, year: str) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.num"), Kind.INT, 7),
        Column(t("export.col.indicator"), width=50),
        Column(t("export.col.method"), width=60),
        Column("A", Kind.INT, 8),
        Column("B", Kind.INT, 8),
        Column(t("export.col.actual"), Kind.NUMBER, 13),
        Column(t("export.col.target", year=year), Kind.INT, 18),
        Column(t("export.col.answered"), Kind.INT, 11),
        Column(t("export.col.collect"), width=44),
        Column(t("export.col.level"), width=22),
        Column(t("export.col.note"), width=40),
    ]


def region_as_report(found: RegionReport) -> Report:
    """The region's line as a Report, with every school of its municipalities (for
    «Показатели эффективности» and «Сводная по ОО»)."""
    first = found.municipalities[0].report if found.municipalities else None
    return Report(
        level=indicators.Level.MUNICIPALITY,
        name=found.name,
        year=found.year,
        year_index=min((m.report.year_index for m in found.municipalities), default=1),
        satisfied_from=first.satisfied_from if first else 0,
        values=found.values,
        health=found.health,
        schools=[s for m in found.municipalities for s in m.report.schools],
    )


async def indicator_report(session: AsyncSession, actor: Actor, scope: ExportScope) -> Report:
    if scope.level == Level.REGION:
        return region_as_report(await regions.region_report(session, actor, scope.id, scope.now))
    if scope.level == Level.SCHOOL:
        return await indicators.for_school(session, actor, scope.id, scope.now)
    return await indicators.for_municipality(session, actor, scope.id, scope.now)


def _note(lk: Lookups, v: Value) -> str | None:
    t = lk.text
    notes = []
    if v.b is None:
        notes.append(t("export.note.no_data"))
    elif v.b == 0:
        notes.append(t("export.note.zero_b"))
    elif v.hidden:
        notes.append(t("export.note.hidden", min=MIN_ANSWERS))
    elif v.met is not None:
        notes.append(t("export.note.met") if v.met else t("export.note.not_met"))
    if v.known is not None and v.schools is not None and v.known < v.schools:
        notes.append(t("export.note.partial", known=v.known, schools=v.schools))
    if v.left_out:
        notes.append(t("indicators.left_out", n=v.left_out))
    return "; ".join(notes) or None


async def indicator_rows(report: Report, scope: ExportScope, lk: Lookups) -> AsyncIterator[Row]:
    t = lk.text
    groups = [(v, BY_CODE[v.code].level.value) for v in report.values]
    groups += [(v, "health") for v in report.health]
    for n, (v, level) in enumerate(groups, start=1):
        if level == "school" and scope.level == Level.MUNICIPALITY:
            level = "school_sum"
        elif level != "health" and scope.level == Level.REGION:
            level = "region_sum"
        pct = v.percent
        yield (
            n,
            t(f"indicator.{v.code}.name"),
            t(f"indicator.{v.code}.method", threshold=report.satisfied_from),
            v.a if v.b is not None else None,
            v.b,
            round(pct, 1) if pct is not None else None,
            v.target,
            v.answered,
            t(f"indicator.{v.code}.collect"),
            t(f"export.level.{level}"),
            _note(lk, v),
        )


# --- «Анкетирование» --------------------------------------------------------------------------


def survey_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.round"), width=16),
        Column(t("export.col.role"), width=14),
        Column(t("export.col.item_code"), width=7),
        Column(t("export.col.question"), width=50),
        Column(t("export.col.responses_finished"), Kind.INT, 10),
        Column(t("export.col.invited"), Kind.INT, 12),
        Column(t("export.col.answers"), Kind.INT, 10),
        Column(t("export.col.mean"), Kind.NUMBER, 10),
        Column(t("export.col.distribution"), width=36),
        Column(t("export.col.text_answer"), width=60),
    ]


def _distribution(lk: Lookups, kind: ItemKind, counts: dict[int, int]) -> str:
    if kind == ItemKind.YES_NO:
        return lk.text("export.survey.yes_no", yes=counts.get(1, 0), no=counts.get(0, 0))
    if kind == ItemKind.DEFICIT_CHANGE:
        return lk.text(
            "export.survey.changes",
            closed=counts.get(1, 0),
            easier=counts.get(2, 0),
            same=counts.get(3, 0),
        )
    return "; ".join(f"{value} — {n}" for value, n in sorted(counts.items()))


async def survey_rows(
    session: AsyncSession, actor: Actor, scope: ExportScope, lk: Lookups
) -> AsyncIterator[Row]:
    t = lk.text
    if scope.level == Level.SCHOOL:
        rscope = await results.school_scope(session, actor, scope.id)
    else:
        # Checked when the scope was made (services.export.scope): a municipality also
        # by the coordinator of its region, who watches it (the panel's export).
        rscope = results.Scope(
            scope.name, list(scope.school_ids), scope.zone, scope.municipality_id
        )
    for kind in ROUND_ORDER:
        found = await results.results(session, rscope, kind, scope.now)
        round_name = t(f"export.round.{kind.value}")
        for role in found.roles:
            role_name = t(f"export.role.{role.role.value}")
            head = (round_name, role_name)
            if role.invited == 0:
                continue
            if role.hidden:
                yield (
                    *head,
                    None,
                    t("export.survey.hidden", min=MIN_ANSWERS),
                    role.finished,
                    role.invited,
                    None,
                    None,
                    None,
                    None,
                )
                continue
            for item in role.items:
                common = (*head, item.code, item.text, role.finished, role.invited)
                if item.kind == ItemKind.TEXT:
                    for text in item.texts:
                        yield (*common, None, None, None, text)
                    continue
                if item.per_deficit:
                    for title, counts in sorted(item.per_deficit.items()):
                        n = sum(counts.values())
                        mean = sum(v * c for v, c in counts.items()) / n if n else None
                        yield (
                            *common[:3],
                            f"{item.text} — {title}",
                            *common[4:],
                            n,
                            round(mean, 1)
                            if mean is not None and item.kind != ItemKind.DEFICIT_CHANGE
                            else None,
                            _distribution(lk, item.kind, counts),
                            None,
                        )
                    continue
                mean = item.mean
                yield (
                    *common,
                    item.answers,
                    round(mean, 1) if mean is not None and item.kind == ItemKind.SCALE else None,
                    _distribution(lk, item.kind, item.counts),
                    None,
                )


# --- «Сводная по ОО» ---------------------------------------------------------------------------


def summary_columns(lk: Lookups) -> list[Column]:
    t = lk.text
    return [
        Column(t("export.col.school"), width=32),
        Column(t("export.col.curator"), width=30),
        Column(t("export.col.mentors_n"), Kind.INT, 12),
        Column(t("export.col.mentees_n"), Kind.INT, 12),
        Column(t("export.col.young_n"), Kind.INT, 14),
        Column(t("export.col.young_headcount"), Kind.INT, 14),
        Column(t("export.col.under35_headcount"), Kind.INT, 14),
        Column(t("export.col.pairs_n"), Kind.INT, 8),
        Column(t("export.col.groups_n"), Kind.INT, 8),
        Column(t("export.col.programmes_n"), Kind.INT, 11),
        Column(t("export.col.meetings_n"), Kind.INT, 9),
        Column(t("export.col.satisfaction_mentees"), Kind.NUMBER, 16),
        Column(t("export.col.satisfaction_mentors"), Kind.NUMBER, 16),
    ]


def _pct(values: list[Value], code: str) -> float | None:
    found = next((v for v in values if v.code == code), None)
    if found is None or found.percent is None:
        return None
    return round(found.percent, 1)


@dataclass(frozen=True)
class SchoolCounts:
    """One school's participants and work of the year: the rows of «Сводная по ОО» and
    the participants' table of the справка."""

    curators: tuple[str, ...] = ()
    mentors: int = 0
    mentees: int = 0
    young_mentees: int = 0
    young_headcount: int | None = None  # None: no headcount entered for the year
    under35_headcount: int | None = None
    pairs: int = 0
    groups: int = 0
    programmes: int = 0
    meetings_held: int = 0


async def school_counts(session: AsyncSession, scope: ExportScope) -> dict[int, SchoolCounts]:
    """Every school of the scope (those with nobody too), a few grouped queries."""
    ids = scope.school_ids
    curators: dict[int, list[str]] = {}
    for school_id, name in await session.execute(
        select(RoleGrant.school_id, Participant.full_name)
        .join(Participant, Participant.id == RoleGrant.participant_id)
        .where(
            RoleGrant.role == Role.CURATOR,
            RoleGrant.school_id.in_(ids),
            Participant.status == ParticipantStatus.ACTIVE,
        )
        .order_by(Participant.full_name)
    ):
        if name and school_id is not None:
            curators.setdefault(school_id, []).append(name)
    people: dict[tuple[int, str], tuple[int, int]] = {}
    for school_id, role, n, young in await session.execute(
        select(
            Participant.school_id,
            RoleGrant.role,
            func.count(distinct(Participant.id)),
            func.count(
                distinct(case((Participant.experience_years <= YOUNG_MAX_YEARS, Participant.id)))
            ),
        )
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .where(
            Participant.school_id.in_(ids),
            Participant.status == ParticipantStatus.ACTIVE,
            RoleGrant.role.in_([Role.MENTOR, Role.MENTEE]),
        )
        .group_by(Participant.school_id, RoleGrant.role)
    ):
        if school_id is not None:
            people[(school_id, Role(role).value)] = (int(n), int(young))
    heads = {
        school_id: (young, under_35)
        for school_id, young, under_35 in await session.execute(
            select(Headcount.school_id, Headcount.young_specialists, Headcount.under_35).where(
                Headcount.school_id.in_(ids), Headcount.academic_year == scope.year
            )
        )
    }
    sizes = (
        select(Pair.id.label("pair_id"), Pair.school_id, func.count(PairMember.id).label("n"))
        .outerjoin(PairMember, PairMember.pair_id == Pair.id)
        .where(pair_in_year(scope))
        .group_by(Pair.id, Pair.school_id)
        .subquery()
    )
    with_goals = select(PlanGoal.pair_id).distinct().subquery()
    units: dict[int, tuple[int, int, int]] = {}
    for school_id, pairs, groups, programmes in await session.execute(
        select(
            sizes.c.school_id,
            func.count(case((sizes.c.n <= 1, 1))),
            func.count(case((sizes.c.n > 1, 1))),
            func.count(with_goals.c.pair_id),
        )
        .outerjoin(with_goals, with_goals.c.pair_id == sizes.c.pair_id)
        .group_by(sizes.c.school_id)
    ):
        units[school_id] = (int(pairs), int(groups), int(programmes))
    held = {
        school_id: int(n)
        for school_id, n in await session.execute(
            select(Pair.school_id, func.count(Meeting.id))
            .join(Pair, Pair.id == Meeting.pair_id)
            .where(
                Pair.school_id.in_(ids),
                Meeting.status == MeetingStatus.HELD,
                Meeting.starts_at >= scope.starts,
                Meeting.starts_at < scope.ends,
            )
            .group_by(Pair.school_id)
        )
    }
    out: dict[int, SchoolCounts] = {}
    for school_id in ids:
        mentors = people.get((school_id, Role.MENTOR.value), (0, 0))
        mentees = people.get((school_id, Role.MENTEE.value), (0, 0))
        head: tuple[Any, Any] = heads.get(school_id, (None, None))
        pairs, groups, programmes = units.get(school_id, (0, 0, 0))
        out[school_id] = SchoolCounts(
            curators=tuple(curators.get(school_id, [])),
            mentors=mentors[0],
            mentees=mentees[0],
            young_mentees=mentees[1],
            young_headcount=head[0],
            under35_headcount=head[1],
            pairs=pairs,
            groups=groups,
            programmes=programmes,
            meetings_held=held.get(school_id, 0),
        )
    return out


async def summary_rows(
    session: AsyncSession, scope: ExportScope, report: Report, lk: Lookups
) -> AsyncIterator[Row]:
    counts = await school_counts(session, scope)
    values = {s.school_id: s.values for s in report.schools}
    for school_id in scope.school_ids:
        c = counts[school_id]
        school_values = values.get(school_id, [])
        yield (
            scope.school_names[school_id],
            ", ".join(c.curators) or None,
            c.mentors,
            c.mentees,
            c.young_mentees,
            c.young_headcount,
            c.under35_headcount,
            c.pairs,
            c.groups,
            c.programmes,
            c.meetings_held,
            _pct(school_values, "satisfaction_mentees"),
            _pct(school_values, "satisfaction_mentors"),
        )


# --- «Сводная по муниципалитетам» (a region) ------------------------------------------------


def region_summary_columns(lk: Lookups) -> list[Column]:
    """The columns of «Сводная по ОО», a municipality a row (its coordinators in the
    curator's column)."""
    t = lk.text
    columns = summary_columns(lk)
    return [
        Column(t("export.col.municipality"), width=32),
        Column(t("export.col.coordinator"), width=30),
        *columns[2:],
    ]


def _total(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


async def region_summary_rows(
    session: AsyncSession, scope: ExportScope, found: RegionReport, lk: Lookups
) -> AsyncIterator[Row]:
    counts = await school_counts(session, scope)
    coordinators: dict[int, list[str]] = {}
    for municipality_id, name in await session.execute(
        select(RoleGrant.municipality_id, Participant.full_name)
        .join(Participant, Participant.id == RoleGrant.participant_id)
        .where(
            RoleGrant.role == Role.COORDINATOR,
            RoleGrant.municipality_id.in_(scope.municipalities),
            Participant.status == ParticipantStatus.ACTIVE,
        )
        .order_by(Participant.full_name)
    ):
        if name and municipality_id is not None:
            coordinators.setdefault(municipality_id, []).append(name)
    for line in found.municipalities:
        mine = [counts[s.school_id] for s in line.report.schools if s.school_id in counts]
        yield (
            line.report.name,
            ", ".join(coordinators.get(line.municipality_id, [])) or None,
            sum(c.mentors for c in mine),
            sum(c.mentees for c in mine),
            sum(c.young_mentees for c in mine),
            _total([c.young_headcount for c in mine]),
            _total([c.under35_headcount for c in mine]),
            sum(c.pairs for c in mine),
            sum(c.groups for c in mine),
            sum(c.programmes for c in mine),
            sum(c.meetings_held for c in mine),
            _pct(line.report.values, "satisfaction_mentees"),
            _pct(line.report.values, "satisfaction_mentors"),
        )


def generated_at(scope: ExportScope) -> dt.datetime:
    return scope.now.astimezone(scope.tz).replace(tzinfo=None)
