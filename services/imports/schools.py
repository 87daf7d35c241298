"""The list of schools: the preview of a file against the database (added / existing /
skipped and why / repeats / errors) and its import in one transaction.

Who imports decides the reach: the command line and an admin may add municipalities;
a coordinator adds schools to their own municipality only (rows of others are skipped,
rows naming none go to theirs when they have exactly one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, School
from services import audit
from services.access import Actor
from services.errors import AccessDenied, DomainError
from services.imports import files, layout
from services.imports.layout import ParsedFile, Repeat, RowError, Skipped
from services.imports.specs import SCHOOLS
from services.imports.text import key

NAME_MAX = 300  # School.name
FULL_NAME_MAX = 1000  # School.full_name
MUNICIPALITY_MAX = 200


@dataclass(frozen=True)
class NewSchool:
    row: int
    municipality: str
    name: str
    full_name: str | None
    timezone: str
    zone_from: str  # file | municipality | default


@dataclass(frozen=True)
class KnownSchool:
    row: int
    municipality: str
    name: str  # as the file writes it


@dataclass
class SchoolsPlan:
    parsed: ParsedFile
    added: list[NewSchool] = field(default_factory=list)
    existing: list[KnownSchool] = field(default_factory=list)
    new_municipalities: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    default_timezone: str = "Europe/Moscow"

    @property
    def defaulted_zones(self) -> int:
        return sum(s.zone_from == "default" for s in self.added)


@dataclass(frozen=True)
class ImportResult:
    schools: int
    municipalities: int


def may_import(actor: Actor) -> bool:
    return actor.is_admin or bool(actor.coordinator_municipality_ids)


async def preview(
    session: AsyncSession,
    data: bytes,
    filename: str,
    *,
    actor: Actor | None,
    default_timezone: str,
) -> SchoolsPlan:
    """What importing the file would do; writes nothing. ``actor`` None is the server's
    command line (an admin)."""
    if actor is not None and not may_import(actor):
        raise AccessDenied("imports.not_allowed")
    parsed = layout.parse(SCHOOLS, files.read(data, filename))
    return await _plan(session, parsed, actor, default_timezone)


async def _plan(
    session: AsyncSession, parsed: ParsedFile, actor: Actor | None, default_timezone: str
) -> SchoolsPlan:
    plan = SchoolsPlan(
        parsed,
        skipped=list(parsed.skipped),
        repeats=list(parsed.repeats),
        errors=list(parsed.errors),
        default_timezone=default_timezone,
    )
    municipalities = {m.name_key: m for m in await session.scalars(select(Municipality))}
    is_admin = actor is None or actor.is_admin
    mine = set() if actor is None else set(actor.coordinator_municipality_ids)
    own = [m for m in municipalities.values() if m.id in mine]
    fallback = own[0] if not is_admin and len(own) == 1 else None
    known: dict[int, set[str]] = {}  # municipality id → name keys of its schools
    for school in await session.scalars(select(School)):
        known.setdefault(school.municipality_id, set()).update(
            k for k in (school.name_key, key(school.full_name or "")) if k
        )
    new_zones: dict[str, str] = {}  # key of a new municipality → its time zone
    # A new municipality is written as the file spells it best: «Городской округ Х»
    # rather than «ГОРОДСКОЙ ОКРУГ Х» or «городской округ х» when the file has both.
    new_names: dict[str, str] = {}
    for record in parsed.records:
        spelled = record.values.get("municipality")
        if spelled and (key(spelled) not in new_names or _better(spelled, new_names[key(spelled)])):
            new_names[key(spelled)] = spelled
    defaulted: set[str] = set()  # new municipalities whose zone is the default
    planned: dict[tuple[str, str], int] = {}  # (municipality key, name key) → row
    headers = {k: h for h, k in parsed.layout.columns}

    for record in parsed.records:
        v = record.values
        written = v.get("municipality")
        if written is None and fallback is None:
            plan.errors.append(
                RowError(record.row, headers.get("municipality"), "", "imports.err.no_municipality")
            )
            continue
        municipality = municipalities.get(key(written)) if written else fallback
        if not is_admin and (municipality is None or municipality.id not in mine):
            plan.skipped.append(Skipped(record.row, "scope", written or ""))
            continue
        mun_key = municipality.name_key if municipality else key(written)
        # A new municipality is written as its first row spells it.
        mun_name = (
            municipality.name if municipality else new_names.setdefault(mun_key, str(written))
        )
        if len(mun_name) > MUNICIPALITY_MAX:
            plan.errors.append(
                RowError(
                    record.row,
                    headers.get("municipality"),
                    mun_name,
                    "imports.err.too_long",
                    {"limit": MUNICIPALITY_MAX},
                )
            )
            continue
        short, plain, full = v.get("short_name"), v.get("name"), v.get("full_name")
        name = short or plain or full
        assert name  # the spec's one_of group
        kept_full = full or (plain if short else None)
        if kept_full is not None and key(kept_full) == key(name):
            kept_full = None
        column = "short_name" if short else "name" if plain else "full_name"
        if len(name) > NAME_MAX or (kept_full and len(kept_full) > FULL_NAME_MAX):
            too_long = name if len(name) > NAME_MAX else str(kept_full)
            plan.errors.append(
                RowError(
                    record.row,
                    headers.get(column),
                    too_long,
                    "imports.err.too_long",
                    {"limit": NAME_MAX if too_long == name else FULL_NAME_MAX},
                )
            )
            continue
        names = {key(n) for n in (short, plain, full) if n}
        if municipality is not None and names & known.get(municipality.id, set()):
            plan.existing.append(KnownSchool(record.row, mun_name, name))
            continue
        first = next((planned[(mun_key, n)] for n in names if (mun_key, n) in planned), None)
        if first is not None:
            plan.repeats.append(Repeat(record.row, first, f"{mun_name} — {name}"))
            continue
        zone, zone_from = v.get("timezone"), "file"
        if zone is None:
            zone = municipality.timezone if municipality else new_zones.get(mun_key)
            zone_from = "default" if zone is None or mun_key in defaulted else "municipality"
        if municipality is None and mun_key not in new_zones:
            new_zones[mun_key] = zone or default_timezone
            if zone is None:
                defaulted.add(mun_key)
            plan.new_municipalities.append(mun_name)
        for n in names:
            planned[(mun_key, n)] = record.row
        plan.added.append(
            NewSchool(
                record.row,
                mun_name,
                name,
                kept_full,
                zone or default_timezone,
                zone_from,
            )
        )
    plan.errors.sort(key=lambda e: e.row)
    plan.skipped.sort(key=lambda s: s.row)
    plan.repeats.sort(key=lambda r: r.row)
    return plan


def _better(spelled: str, than: str) -> bool:
    def mixed(text: str) -> bool:
        return not (text.islower() or text.isupper())

    return mixed(spelled) and not mixed(than)


async def apply(
    session: AsyncSession,
    data: bytes,
    filename: str,
    *,
    actor: Actor | None,
    default_timezone: str,
    only_valid: bool,
    at: dt.datetime,
) -> tuple[SchoolsPlan, ImportResult]:
    """Import the file's new schools, all in one transaction. The file is read and
    compared with the database again, so what is written is what is true now. A file
    with errors is imported only when ``only_valid`` says to leave those rows out."""
    plan = await preview(session, data, filename, actor=actor, default_timezone=default_timezone)
    if plan.errors and not only_valid:
        raise DomainError("imports.has_errors", n=len(plan.errors))
    municipalities = {m.name_key: m for m in await session.scalars(select(Municipality))}
    zones = {key(s.municipality): s.timezone for s in reversed(plan.added)}
    created_municipalities = 0
    try:
        for name in plan.new_municipalities:
            municipality = Municipality(name=name, timezone=zones[key(name)])
            session.add(municipality)
            municipalities[key(name)] = municipality
            created_municipalities += 1
        await session.flush()
        schools = [
            School(
                municipality_id=municipalities[key(s.municipality)].id,
                name=s.name,
                full_name=s.full_name,
                timezone=s.timezone,
            )
            for s in plan.added
        ]
        session.add_all(schools)
        await session.flush()
    except IntegrityError:
        # Someone imported the same schools a moment ago (the unique name keys
        # stopped us): nothing of ours is kept.
        await session.rollback()
        raise DomainError("imports.conflict") from None
    actor_id = actor.participant_id if actor else None
    for school in schools:
        audit.record(
            session,
            at,
            "school.imported",
            actor_id=actor_id,
            object_type="school",
            object_id=school.id,
        )
    await session.commit()
    return plan, ImportResult(len(schools), created_municipalities)
