"""A file of schools' headcounts (численность педагогов, из них до 35 лет, молодых
специалистов) for many schools at once: the preview against the database (what is
new, what changes and from what, what is already so, skipped rows and why, per-row
errors) and its import in one transaction.

Who imports decides the reach, as for the list of schools: the command line (and an
admin) any school; a coordinator only the schools of their municipality (rows of
another are skipped; rows naming no municipality belong to theirs when they have
exactly one). A school is found by any of its names as the file writes them; the
year is the row's «Учебный год», else the one running now in the school's zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, School
from models.surveys import Headcount
from services import audit, headcounts
from services.access import Actor
from services.errors import AccessDenied, DomainError
from services.headcounts import Counts
from services.imports import files, layout
from services.imports.layout import ParsedFile, Repeat, RowError, Skipped
from services.imports.specs import HEADCOUNTS
from services.imports.text import key
from services.programmes import academic_year
from services.validation import FieldError


@dataclass(frozen=True)
class HeadcountLine:
    row: int
    school_id: int
    school: str  # the school's name in the bot
    year: str
    counts: Counts
    before: Counts | None  # what the bot has for that year now (None: nothing)


@dataclass
class HeadcountsPlan:
    parsed: ParsedFile
    new: list[HeadcountLine] = field(default_factory=list)
    changed: list[HeadcountLine] = field(default_factory=list)
    same: list[HeadcountLine] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def to_save(self) -> list[HeadcountLine]:
        return sorted(self.new + self.changed, key=lambda line: line.row)


def may_import(actor: Actor) -> bool:
    return actor.is_admin or bool(actor.coordinator_municipality_ids)


def is_headcount_file(data: bytes, filename: str) -> bool:
    """Whether the file's header names the headcount columns (a list of schools has a
    school column too, so the headcount columns decide)."""
    try:
        sheets = files.read(data, filename)
    except DomainError:
        return False
    return any(layout.find_header(HEADCOUNTS, sheet.rows) is not None for sheet in sheets)


async def preview(
    session: AsyncSession,
    data: bytes,
    filename: str,
    *,
    actor: Actor | None,
    now: dt.datetime,
) -> HeadcountsPlan:
    """What importing the file would do; writes nothing. ``actor`` None is the server's
    command line."""
    if actor is not None and not may_import(actor):
        raise AccessDenied("imports.headcounts.not_allowed")
    parsed = layout.parse(HEADCOUNTS, files.read(data, filename))
    return await _plan(session, parsed, actor, now)


async def _plan(
    session: AsyncSession, parsed: ParsedFile, actor: Actor | None, now: dt.datetime
) -> HeadcountsPlan:
    plan = HeadcountsPlan(
        parsed,
        skipped=list(parsed.skipped),
        repeats=list(parsed.repeats),
        errors=list(parsed.errors),
    )
    municipalities = {m.name_key: m for m in await session.scalars(select(Municipality))}
    is_admin = actor is None or actor.is_admin
    mine = set() if actor is None else set(actor.coordinator_municipality_ids)
    choices = (
        list(municipalities.values())
        if is_admin
        else [m for m in municipalities.values() if m.id in mine]
    )
    fallback = choices[0] if len(choices) == 1 else None
    schools: dict[tuple[int, str], School] = {}  # (municipality, name key) → school
    for known in await session.scalars(select(School)):
        for name in (known.name_key, key(known.full_name or "")):
            if name:
                schools[(known.municipality_id, name)] = known
    headers = {k: h for h, k in parsed.layout.columns}
    found: dict[tuple[int, str], tuple[int, str]] = {}  # (school, year) → first row, label
    lines: list[HeadcountLine] = []
    for record in parsed.records:
        v = record.values
        written = v.get("municipality")
        municipality = municipalities.get(key(written)) if written else fallback
        if written is None and municipality is None:
            plan.errors.append(
                RowError(record.row, headers.get("municipality"), "", "imports.err.no_municipality")
            )
            continue
        if municipality is not None and not is_admin and municipality.id not in mine:
            plan.skipped.append(Skipped(record.row, "scope", written or ""))
            continue
        names = [n for n in (v.get("short_name"), v.get("name"), v.get("full_name")) if n]
        column = next(k for k in ("short_name", "name", "full_name") if v.get(k))
        if municipality is None:
            plan.errors.append(
                RowError(
                    record.row,
                    headers.get("municipality"),
                    str(written),
                    "imports.err.no_such_municipality",
                )
            )
            continue
        mun_id = municipality.id
        school = next(
            (schools[(mun_id, key(n))] for n in names if (mun_id, key(n)) in schools), None
        )
        if school is None:
            plan.errors.append(
                RowError(record.row, headers.get(column), names[0], "imports.err.no_such_school")
            )
            continue
        year = v.get("academic_year") or _year_now(school.timezone, now)
        counts = Counts(int(v["teachers"]), int(v["under_35"]), int(v["young_specialists"]))
        try:
            counts.check()
        except FieldError as err:
            plan.errors.append(RowError(record.row, None, "", err.code, dict(err.params)))
            continue
        first = found.get((school.id, year))
        if first is not None:
            plan.repeats.append(Repeat(record.row, first[0], first[1]))
            continue
        found[(school.id, year)] = (record.row, f"{school.name}, {year}")
        lines.append(HeadcountLine(record.row, school.id, school.name, year, counts, None))
    before = await _existing(session, [(line.school_id, line.year) for line in lines])
    for line in lines:
        old = before.get((line.school_id, line.year))
        placed = HeadcountLine(line.row, line.school_id, line.school, line.year, line.counts, old)
        if old is None:
            plan.new.append(placed)
        elif old == line.counts:
            plan.same.append(placed)
        else:
            plan.changed.append(placed)
    plan.errors.sort(key=lambda e: e.row)
    plan.skipped.sort(key=lambda s: s.row)
    plan.repeats.sort(key=lambda r: r.row)
    return plan


def _year_now(zone: str, now: dt.datetime) -> str:
    return academic_year(now.astimezone(zoneinfo.ZoneInfo(zone)).date())[0]


async def _existing(
    session: AsyncSession, wanted: list[tuple[int, str]]
) -> dict[tuple[int, str], Counts]:
    if not wanted:
        return {}
    rows = await session.scalars(
        select(Headcount)
        .where(Headcount.school_id.in_({s for s, _ in wanted}))
        .execution_options(populate_existing=True)
    )
    return {
        (r.school_id, r.academic_year): Counts(r.teachers, r.under_35, r.young_specialists)
        for r in rows
    }


@dataclass(frozen=True)
class HeadcountsResult:
    saved: int
    schools: int


async def apply(
    session: AsyncSession,
    data: bytes,
    filename: str,
    *,
    actor: Actor | None,
    only_valid: bool,
    now: dt.datetime,
) -> tuple[HeadcountsPlan, HeadcountsResult]:
    """Save the file's new and changed headcounts in one transaction, the file read and
    compared with the database again. A file with errors is imported only when
    ``only_valid`` says to leave those rows out. Commits."""
    plan = await preview(session, data, filename, actor=actor, now=now)
    if plan.errors and not only_valid:
        raise DomainError("imports.has_errors", n=len(plan.errors))
    lines = plan.to_save
    await headcounts.save_imported(
        session,
        [(line.school_id, line.year, line.counts) for line in lines],
        now=now,
        entered_by_id=actor.participant_id if actor else None,
    )
    for school_id in sorted({line.school_id for line in lines}):
        audit.record(
            session,
            now,
            "headcount.imported",
            actor_id=actor.participant_id if actor else None,
            object_type="school",
            object_id=school_id,
        )
    await session.commit()
    return plan, HeadcountsResult(len(lines), len({line.school_id for line in lines}))
