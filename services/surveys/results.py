"""What curators and coordinators see of the surveys: the response rate of each round
(live), and a round's results — per item the mean and the distribution, texts without
names (in alphabetical order, so not even the order hints at who wrote what), and
expectation → result for the items asked in both the entry and the final round.

Everything is aggregated in a few queries over the schools in scope. A role's results
are not shown from fewer than MIN_ANSWERS finished responses: a small school's answers
could name the person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueItem, Municipality, Role, School
from models.surveys import (
    ROUND_ORDER,
    ItemKind,
    RoundKind,
    SurveyAnswer,
    SurveyInstrument,
    SurveyItem,
    SurveyResponse,
    SurveyRound,
)
from services.access import Actor, require_municipality, school_in_scope
from services.errors import NotFound
from services.programmes import academic_year
from services.surveys import instrument, rounds
from services.surveys.rounds import RoundState, local_today

MIN_ANSWERS = 3
ROLES = (Role.MENTEE, Role.MENTOR)


@dataclass(frozen=True)
class Rate:
    invited: int = 0
    started: int = 0  # began and did not finish
    finished: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.finished / self.invited) if self.invited else None


@dataclass(frozen=True)
class RoundLine:
    round_id: int
    kind: RoundKind
    opens_on: dt.date
    closes_on: dt.date
    state: RoundState
    rate: Rate


@dataclass(frozen=True)
class SchoolRounds:
    school_id: int
    school_name: str
    year: str
    instrument_title: str
    instrument_version: str
    own_instrument: bool  # the municipality loaded its own questionnaire
    rounds: list[RoundLine]


@dataclass(frozen=True)
class Scope:
    """The schools a view covers: one school, or every school of a municipality."""

    name: str
    school_ids: list[int]
    zone: str
    municipality_id: int
    school_id: int | None = None  # None: the municipality

    def today(self, now: dt.datetime) -> dt.date:
        return local_today(now, self.zone)

    def year(self, now: dt.datetime) -> str:
        return academic_year(self.today(now))[0]


async def school_scope(session: AsyncSession, actor: Actor, school_id: int) -> Scope:
    school = await school_in_scope(session, actor, school_id)
    return Scope(school.name, [school.id], school.timezone, school.municipality_id, school.id)


async def municipality_scope(session: AsyncSession, actor: Actor, municipality_id: int) -> Scope:
    require_municipality(actor, municipality_id)
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    ids = list(
        await session.scalars(
            select(School.id).where(School.municipality_id == municipality_id).order_by(School.id)
        )
    )
    return Scope(municipality.name, ids, municipality.timezone, municipality.id)


async def rates(
    session: AsyncSession, school_ids: list[int], year: str
) -> dict[tuple[int, RoundKind], Rate]:
    """Invited, begun and finished per school and round kind, in one query."""
    if not school_ids:
        return {}
    rows = await session.execute(
        select(
            SurveyRound.school_id,
            SurveyRound.kind,
            func.count(SurveyResponse.id),
            func.count(SurveyResponse.started_at) - func.count(SurveyResponse.finished_at),
            func.count(SurveyResponse.finished_at),
        )
        .join(SurveyResponse, SurveyResponse.round_id == SurveyRound.id)
        .where(SurveyRound.school_id.in_(school_ids), SurveyRound.academic_year == year)
        .group_by(SurveyRound.school_id, SurveyRound.kind)
    )
    return {(s, k): Rate(int(i), int(b), int(f)) for s, k, i, b, f in rows}


def total(rates_by_school: dict[tuple[int, RoundKind], Rate], kind: RoundKind) -> Rate:
    parts = [r for (_, k), r in rates_by_school.items() if k == kind]
    return Rate(
        sum(r.invited for r in parts), sum(r.started for r in parts), sum(r.finished for r in parts)
    )


async def school_rounds(
    session: AsyncSession, actor: Actor, school_id: int, now: dt.datetime
) -> SchoolRounds:
    """The school's rounds of this year with their dates, state and live response rate."""
    scope = await school_scope(session, actor, school_id)
    today, year = scope.today(now), scope.year(now)
    found = await rounds.of_school(session, school_id, year)
    used = await instrument.in_force(session, scope.municipality_id, now)
    by_kind = await rates(session, [school_id], year)
    await session.commit()
    return SchoolRounds(
        school_id=school_id,
        school_name=scope.name,
        year=year,
        instrument_title=used.title,
        instrument_version=used.version,
        own_instrument=used.municipality_id is not None,
        rounds=[
            RoundLine(
                r.id,
                r.kind,
                r.opens_on,
                r.closes_on,
                rounds.state(r, today),
                by_kind.get((school_id, r.kind), Rate()),
            )
            for r in found
        ],
    )


@dataclass(frozen=True)
class SchoolRate:
    school_id: int
    name: str
    rates: dict[RoundKind, Rate]


@dataclass(frozen=True)
class MunicipalityRounds:
    municipality_id: int
    name: str
    year: str
    totals: dict[RoundKind, Rate]
    schools: list[SchoolRate]


async def municipality_rounds(
    session: AsyncSession, actor: Actor, municipality_id: int, now: dt.datetime
) -> MunicipalityRounds:
    scope = await municipality_scope(session, actor, municipality_id)
    year = scope.year(now)
    by_school = await rates(session, scope.school_ids, year)
    names = dict(
        (
            await session.execute(
                select(School.id, School.name).where(School.id.in_(scope.school_ids))
            )
        ).all()
    )
    await session.commit()  # a read: the connection goes back before the reply
    return MunicipalityRounds(
        municipality_id=municipality_id,
        name=scope.name,
        year=year,
        totals={k: total(by_school, k) for k in ROUND_ORDER},
        schools=[
            SchoolRate(s, names[s], {k: by_school.get((s, k), Rate()) for k in ROUND_ORDER})
            for s in sorted(scope.school_ids, key=lambda s: names[s])
        ],
    )


# --- a round's results ------------------------------------------------------------------


@dataclass
class ItemResult:
    item_id: int
    code: str
    kind: ItemKind
    text: str
    # value → count; for the per-deficit items, per deficit title
    counts: dict[int, int] = field(default_factory=dict)
    per_deficit: dict[str, dict[int, int]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    skipped: int = 0

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        n = self.answers
        return sum(v * c for v, c in self.counts.items()) / n if n else None


@dataclass(frozen=True)
class Shift:
    """Expectation → result: one item's mean in the entry round and in the final one."""

    code: str
    text: str
    entry: float
    final: float


@dataclass
class RoleResults:
    role: Role
    finished: int
    invited: int
    hidden: bool  # fewer than MIN_ANSWERS finished responses
    left_out: int = 0  # schools of 1–2 responses left out of a municipality's results
    items: list[ItemResult] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)


@dataclass(frozen=True)
class Results:
    scope_name: str
    year: str
    kind: RoundKind
    roles: list[RoleResults]
    source_notes: list[str]  # each instrument's own note (ours: «собственный вариант…»)


def _finished_in(
    scope_ids: list[int], year: str, kinds: tuple[RoundKind, ...]
) -> list[ColumnElement[bool]]:
    return [
        SurveyRound.school_id.in_(scope_ids),
        SurveyRound.academic_year == year,
        SurveyRound.kind.in_(kinds),
        SurveyResponse.finished_at.is_not(None),
    ]


async def results(
    session: AsyncSession, scope: Scope, kind: RoundKind, now: dt.datetime
) -> Results:
    """A round's results over the scope's schools (access was checked with the scope)."""
    year = scope.year(now)
    ids = scope.school_ids
    invited = dict.fromkeys(ROLES, 0)
    finished = dict.fromkeys(ROLES, 0)
    cells: dict[tuple[int, Role], int] = {}  # (school, role) → finished responses
    for school_id, role, n_invited, n_finished in await session.execute(
        select(
            SurveyRound.school_id,
            SurveyResponse.role,
            func.count(SurveyResponse.id),
            func.count(SurveyResponse.finished_at),
        )
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .where(
            SurveyRound.school_id.in_(ids),
            SurveyRound.academic_year == year,
            SurveyRound.kind == kind,
        )
        .group_by(SurveyRound.school_id, SurveyResponse.role)
    ):
        invited[Role(role)] += int(n_invited)
        finished[Role(role)] += int(n_finished)
        cells[(int(school_id), Role(role))] = int(n_finished)
    left_out = _small_schools(cells) if len(ids) > 1 else {}
    by_role = {
        role: RoleResults(
            role,
            finished[role],
            invited[role],
            finished[role] - sum(cells[(s, role)] for s in left_out.get(role, ())) < MIN_ANSWERS,
            left_out=len(left_out.get(role, ())),
        )
        for role in ROLES
    }
    kept = [(s, r) for r, schools in left_out.items() for s in schools]
    keep = ~tuple_(SurveyRound.school_id, SurveyResponse.role).in_(kept) if kept else true()
    shown = [role for role in ROLES if not by_role[role].hidden]
    if shown:
        await _fill_items(session, ids, year, kind, shown, by_role, keep)
        if kind == RoundKind.FINAL:
            await _fill_shifts(session, ids, year, shown, by_role, keep)
    notes = list(
        await session.scalars(
            select(SurveyInstrument.source_note)
            .join(SurveyResponse, SurveyResponse.instrument_id == SurveyInstrument.id)
            .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
            .where(*_finished_in(ids, year, (kind,)))
            .distinct()
        )
    )
    await session.commit()
    return Results(scope.name, year, kind, [by_role[r] for r in ROLES], notes)


def _small_schools(cells: dict[tuple[int, Role], int]) -> dict[Role, list[int]]:
    """Per role, the schools whose 1–2 finished responses the municipality's results
    leave out: each school's own results are hidden below MIN_ANSWERS, so if the
    municipality counted them while they are fewer than MIN_ANSWERS altogether, its
    distribution minus the schools shown would give those one or two people's answers
    back. Together they may stay in (then the difference is enough answers)."""
    left: dict[Role, list[int]] = {}
    for role in ROLES:
        total = sum(n for (_, r), n in cells.items() if r == role)
        small = {s: n for (s, r), n in cells.items() if r == role and 0 < n < MIN_ANSWERS}
        if total >= MIN_ANSWERS and small and sum(small.values()) < MIN_ANSWERS:
            left[role] = sorted(small)
    return left


async def _fill_items(
    session: AsyncSession,
    ids: list[int],
    year: str,
    kind: RoundKind,
    roles: list[Role],
    by_role: dict[Role, RoleResults],
    keep: ColumnElement[bool],
) -> None:
    where = [*_finished_in(ids, year, (kind,)), SurveyResponse.role.in_(roles), keep]
    items: dict[int, ItemResult] = {}
    role_of: dict[int, Role] = {}
    for item in await session.scalars(
        select(SurveyItem)
        .where(
            SurveyItem.instrument_id.in_(
                select(SurveyResponse.instrument_id)
                .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
                .where(*where)
            ),
            SurveyItem.role.in_(roles),
        )
        .order_by(SurveyItem.instrument_id, SurveyItem.position)
    ):
        if item.in_round(kind):
            items[item.id] = ItemResult(item.id, item.code, item.kind, item.text)
            role_of[item.id] = item.role
    titles = dict((await session.execute(select(CatalogueItem.id, CatalogueItem.title))).all())
    for item_id, sub, value, skipped, n in await session.execute(
        select(
            SurveyAnswer.item_id,
            SurveyAnswer.sub,
            SurveyAnswer.value,
            SurveyAnswer.skipped,
            func.count(),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .where(*where, SurveyAnswer.text.is_(None))
        .group_by(SurveyAnswer.item_id, SurveyAnswer.sub, SurveyAnswer.value, SurveyAnswer.skipped)
    ):
        result = items.get(item_id)
        if result is None:
            continue
        if skipped:
            result.skipped += int(n)
        elif value is not None:
            result.counts[value] = result.counts.get(value, 0) + int(n)
            if sub:
                per = result.per_deficit.setdefault(titles.get(sub, "?"), {})
                per[value] = per.get(value, 0) + int(n)
    for item_id, text in await session.execute(
        select(SurveyAnswer.item_id, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .where(*where, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.text)
    ):
        if item_id in items and text is not None:
            items[item_id].texts.append(text)
    for item_id, result in items.items():
        by_role[role_of[item_id]].items.append(result)


async def _fill_shifts(
    session: AsyncSession,
    ids: list[int],
    year: str,
    roles: list[Role],
    by_role: dict[Role, RoleResults],
    keep: ColumnElement[bool],
) -> None:
    """Means of the 1–10 items asked in both the entry and the final round, by code."""
    means: dict[tuple[Role, str], dict[RoundKind, float]] = defaultdict(dict)
    texts: dict[tuple[Role, str], str] = {}
    for role, code, text, kind, mean in await session.execute(
        select(
            SurveyResponse.role,
            SurveyItem.code,
            func.min(SurveyItem.text),
            SurveyRound.kind,
            func.avg(SurveyAnswer.value),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(
            *_finished_in(ids, year, (RoundKind.ENTRY, RoundKind.FINAL)),
            SurveyResponse.role.in_(roles),
            keep,
            SurveyItem.kind == ItemKind.SCALE,
            SurveyAnswer.value.is_not(None),
        )
        .group_by(SurveyResponse.role, SurveyItem.code, SurveyRound.kind)
    ):
        means[(Role(role), code)][RoundKind(kind)] = float(mean)
        texts[(Role(role), code)] = text
    for (role, code), pair in sorted(means.items()):
        if RoundKind.ENTRY in pair and RoundKind.FINAL in pair:
            by_role[role].shifts.append(
                Shift(code, texts[(role, code)], pair[RoundKind.ENTRY], pair[RoundKind.FINAL])
            )
