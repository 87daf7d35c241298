"""Municipalities and schools: lists for the registration screens (imports:
services/imports)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, School
from services.access import Actor, managed_school_ids

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
