"""Reading pairs with their school's name and time zone, and the one a curator may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Pair, School
from services.access import Actor, school_in_scope
from services.errors import NotFound


@dataclass
class Loaded:
    """A pair with its school's name and time zone, read in one query."""

    pair: Pair
    school_name: str
    zone: str


async def load_pairs(session: AsyncSession, *where: ColumnElement[bool]) -> list[Loaded]:
    rows = await session.execute(
        select(Pair, School.name, School.timezone)
        .join(School, School.id == Pair.school_id)
        .where(*where)
        .order_by(Pair.id)
    )
    return [Loaded(pair, name, zone) for pair, name, zone in rows.unique()]


async def pair_in_scope(session: AsyncSession, actor: Actor, pair_id: int) -> Loaded:
    """The pair, if the actor oversees its school (the id came from a button)."""
    found = await load_pairs(session, Pair.id == pair_id)
    if not found:
        raise NotFound()
    await school_in_scope(session, actor, found[0].pair.school_id)
    return found[0]
