"""Municipalities and schools: lists for the registration screens, and imports."""

from __future__ import annotations

import csv
import io
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, School
from services.access import Actor, managed_school_ids
from services.errors import DomainError

PAGE_SIZE = 8


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class Page:
    items: list[Choice]
    page: int
    pages: int


async def municipalities(session: AsyncSession) -> list[Choice]:
    rows = await session.scalars(select(Municipality).order_by(Municipality.name))
    return [Choice(m.id, m.name) for m in rows]


async def schools_page(
    session: AsyncSession, municipality_id: int, page: int, query: str | None = None
) -> Page:
    where = [School.municipality_id == municipality_id]
    if query:
        # Case-insensitive search that works the same on SQLite (whose lower() is ASCII
        # only) and PostgreSQL: compare against both spellings of the first letter.
        # autoescape: a typed "%" or "_" is a character, not a wildcard.
        q = query.strip()
        where.append(
            School.name.icontains(q, autoescape=True)
            | School.name.contains(q.lower(), autoescape=True)
            | School.name.contains(q.capitalize(), autoescape=True)
        )
    total = await session.scalar(select(func.count()).select_from(School).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = await session.scalars(
        select(School)
        .where(*where)
        .order_by(School.name, School.id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return Page([Choice(s.id, s.name) for s in rows], page, pages)


async def belongs(session: AsyncSession, school_id: int, municipality_id: int | None) -> bool:
    school = await session.get(School, school_id)
    return school is not None and school.municipality_id == municipality_id


async def in_scope(session: AsyncSession, actor: Actor) -> list[Choice]:
    """Schools the actor oversees, for choosing where an invite leads."""
    ids = await managed_school_ids(session, actor)
    query = select(School).order_by(School.name)
    if ids is not None:
        query = query.where(School.id.in_(ids))
    return [Choice(s.id, s.name) for s in await session.scalars(query)]


@dataclass(frozen=True)
class ImportReport:
    created: int
    skipped: int
    errors: list[str]


def _read_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:  # a read-only workbook keeps the file open until closed
            return [
                ["" if c is None else str(c).strip() for c in row]
                for row in book.worksheets[0].iter_rows(values_only=True)
            ]
        finally:
            book.close()
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on a Russian Windows saves «CSV» in Windows-1251.
            text = raw.decode("cp1251")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:2048], delimiters=",;\t"
        )
    except csv.Error:  # one column, or nothing to guess from: the rows are reported
        dialect = csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


async def import_file(session: AsyncSession, path: Path, *, default_timezone: str) -> ImportReport:
    """Import schools from xlsx/csv with columns: municipality, school, time zone (optional).

    A header row is recognised and skipped; existing schools are left as they are.
    """
    if not path.exists():  # noqa: ASYNC240 - a local file named on the command line
        raise DomainError("schools.import.no_file", path=str(path))
    # Numbered as in the file (blank lines and the header count), so errors point at
    # the line a person sees in their editor.
    rows = [(number, r) for number, r in enumerate(_read_rows(path), start=1) if any(r)]
    # A header row: «Муниципалитет», «Муниципальное образование», "Municipality"…
    if rows and rows[0][1][0].strip().lower().startswith(("муниципал", "municipal")):
        rows = rows[1:]
    created = skipped = 0
    errors: list[str] = []
    known = {m.name: m for m in await session.scalars(select(Municipality))}
    for number, row in rows:
        cells = [*row, "", "", ""][:3]
        mun_name, school_name, zone = cells
        zone = zone or default_timezone
        if not mun_name or not school_name:
            errors.append(f"строка {number}: нужны муниципалитет и название школы")
            continue
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors.append(f"строка {number}: неизвестный часовой пояс {zone!r}")
            continue
        municipality = known.get(mun_name)
        if municipality is None:
            municipality = Municipality(name=mun_name, timezone=zone)
            session.add(municipality)
            await session.flush()
            known[mun_name] = municipality
        exists = await session.scalar(
            select(School.id).where(
                School.municipality_id == municipality.id, School.name == school_name
            )
        )
        if exists:
            skipped += 1
            continue
        session.add(School(municipality_id=municipality.id, name=school_name, timezone=zone))
        created += 1
    await session.commit()
    return ImportReport(created, skipped, errors)
